"""A service refuses to start under a blind-index key other than the one its database was
indexed with: with another key, NIK duplicates, name search, opt-outs and sign-in would stop
matching without an error, and a family that opted out would be messaged again."""

from __future__ import annotations

from dataclasses import replace

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from services.intake.app import create_app as create_intake
from services.notifications.app import create_app as create_notifications
from shared import crypto
from shared.index_check import fingerprint
from shared.settings import ConfigurationError
from tests.support.console import console_app
from tests.support.factories import create_foundation, register_client

pytestmark = pytest.mark.integration


def _fingerprints(app) -> list[str]:
    db = app.extensions["pendamping"].db
    with db.transaction() as session:
        return list(session.execute(text("SELECT fingerprint FROM key_checks")).scalars())


def test_intake_keeps_its_index_key_and_refuses_another(suite, settings):
    key = crypto.cipher().index_key
    # recorded on the first start
    assert _fingerprints(suite.intake) == [fingerprint(crypto.cipher())]
    assert key not in _fingerprints(suite.intake)[0]  # a fingerprint, never the key
    create_foundation(suite)
    register_client(suite, nik="3201010101010001")

    # the same key again, e.g. pinned while the data key is rotated: starts
    rotated = replace(settings, data_keys=(Fernet.generate_key().decode(), *settings.data_keys))
    create_intake(replace(rotated, index_key=key)).extensions["pendamping"].db.dispose()

    # rotated without pinning: the key derived from the (new) last data key differs
    unpinned = replace(settings, data_keys=(Fernet.generate_key().decode(),))
    other = replace(settings, index_key="ab" * 32)
    for wrong in (unpinned, other):
        with pytest.raises(ConfigurationError) as refused:
            create_intake(wrong)
        message = str(refused.value)
        assert "PENDAMPING_INDEX_KEY" in message and "intake" in message
        assert key not in message and "ab" * 32 not in message
    crypto.configure(settings.data_keys, settings.index_key)  # as the suite runs

    # the stored indexes still match under the right key: the NIK is still found
    again = suite.client("intake").post(
        "/clients",
        json={"full_name": "Budi", "nik": "3201010101010001", "consent": {"contact_family": False}},
        headers=suite.headers(),
    )
    assert again.status_code == 409


def test_notifications_and_the_console_refuse_another_index_key(suite, settings, tmp_path):
    assert _fingerprints(suite.notifications)  # notifications keeps opt-outs as blind indexes
    other = replace(settings, index_key="cd" * 32)
    with pytest.raises(ConfigurationError, match="notifications database"):
        create_notifications(other)
    console_app(settings, {}, tmp_path).extensions["console"].db.dispose()  # records its key
    with pytest.raises(ConfigurationError, match="console database"):
        console_app(other, {}, tmp_path)
    crypto.configure(settings.data_keys, settings.index_key)
