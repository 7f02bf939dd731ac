"""A database error names its statement, never the values: they are personal data."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, MetaData, String, Table, insert
from sqlalchemy.exc import IntegrityError

from shared.db import make_engine
from tests.conftest import PG_SERVER


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'errors.sqlite'}"
    else:
        url = PG_SERVER + "/test"
    engine = make_engine(url)
    yield engine
    engine.dispose()


def test_an_integrity_error_does_not_carry_the_values(engine):
    metadata = MetaData()
    table = Table("pendamping_error_probe", metadata, Column("nik", String(32), primary_key=True))
    metadata.drop_all(engine)
    metadata.create_all(engine)
    try:
        with engine.begin() as connection:
            connection.execute(insert(table).values(nik="3171234567890001"))
        with pytest.raises(IntegrityError) as raised, engine.begin() as connection:
            connection.execute(insert(table).values(nik="3171234567890001"))
        message = str(raised.value)
        assert "pendamping_error_probe" in message  # the statement is still named
        assert "SQL parameters hidden" in message
        # PostgreSQL's own DETAIL line quotes the conflicting key; the columns we make unique
        # hold keyed hashes and ciphertexts, never plain values. SQLite quotes nothing.
        if engine.dialect.name == "sqlite":
            assert "3171234567890001" not in message
    finally:
        metadata.drop_all(engine)
