"""Every service's migrations build exactly the tables its models declare: a model changed
without its migration (or the reverse) fails here, not on an operator's upgrade."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from cryptography.fernet import Fernet
from sqlalchemy import create_engine

from ops.migrations import upgrade
from ops.registry import METADATA
from shared import crypto


@pytest.mark.parametrize("service", sorted(METADATA))
def test_the_migrated_schema_is_the_models_schema(service, tmp_path):
    crypto.configure([Fernet.generate_key()])  # the encrypted column types need a cipher
    url = f"sqlite:///{tmp_path / service}.db"
    upgrade(service, url)
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            differences = compare_metadata(
                MigrationContext.configure(connection), METADATA[service]
            )
    finally:
        engine.dispose()
    assert differences == []
