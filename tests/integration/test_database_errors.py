"""Database connections: an error names its statement, never the values (they are personal
data), and a forked process never shares its parent's connection."""

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


def test_a_forked_process_never_talks_over_its_parents_connection():
    """A Celery pool child or gunicorn worker forked after the service queried its database
    opens a connection of its own (two processes on one connection corrupt each other's
    statements: seen as a message stuck after a worker restart)."""
    import os

    from shared.db import Database
    from tests.conftest import PG_AVAILABLE

    if not PG_AVAILABLE:
        pytest.skip("no PostgreSQL answers on 127.0.0.1:5432")
    db = Database(PG_SERVER + "/test")
    backend_pid = "SELECT pg_backend_pid()"
    with db.engine.connect() as connection:  # back in the pool, still open, when we fork
        parent = connection.exec_driver_sql(backend_pid).scalar()
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # the child reports which server process answers it
        try:
            with db.engine.connect() as connection:
                os.write(write, str(connection.exec_driver_sql(backend_pid).scalar()).encode())
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(child, 0)
    answered = int(os.read(read, 32).decode() or 0)
    os.close(read)
    with db.engine.connect() as connection:  # and the parent's connection still works
        assert connection.exec_driver_sql(backend_pid).scalar() == parent
    db.dispose()
    assert answered and answered != parent
