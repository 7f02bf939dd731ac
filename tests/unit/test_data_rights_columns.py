"""Erasure reaches every personal value: each column assessment and notifications keep
under a client's key is emptied by that service's erasure (a personal column added later
must be added to it), with a value its column accepts."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import DeclarativeBase

from services.assessment import data_rights as assessment_rights
from services.assessment.models import Base as AssessmentBase
from services.notifications import data_rights as notifications_rights
from services.notifications.models import Base as NotificationsBase
from shared.crypto import EncryptedText

SERVICES = [
    pytest.param(AssessmentBase, assessment_rights.ERASED_COLUMNS, id="assessment"),
    pytest.param(NotificationsBase, notifications_rights.ERASED_COLUMNS, id="notifications"),
]


def _client_models(base: type[DeclarativeBase]) -> list[type]:
    return [
        mapper.class_
        for mapper in base.registry.mappers
        if getattr(mapper.class_, "__client_key__", None) is not None
    ]


@pytest.mark.parametrize(("base", "erased"), SERVICES)
def test_every_value_under_a_client_key_is_erased(base, erased):
    models = _client_models(base)
    assert models, "no model keeps values under a client's key"
    for model in models:
        personal = {
            column.key
            for column in model.__table__.columns
            if isinstance(column.type, EncryptedText)
        }
        assert personal <= set(erased.get(model, {})), model.__name__


@pytest.mark.parametrize(("base", "erased"), SERVICES)
def test_erasure_writes_what_each_column_accepts(base, erased):
    for model, columns in erased.items():
        for name, value in columns.items():
            column = model.__table__.c[name]
            assert value is not None or column.nullable, f"{model.__name__}.{name}"
            assert not column.primary_key, f"{model.__name__}.{name}: ids are kept"
