"""Every service's migrations build exactly the tables its models declare: a model changed
without its migration (or the reverse) fails here, not on an operator's upgrade. And the
migrations that move data move it as an operator's upgrade would find it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, inspect, text

from ops.migrations import alembic_config, upgrade
from ops.registry import METADATA
from shared import crypto
from tests.conftest import PG_SERVER, _pg_admin


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


def _sessions(url: str) -> dict[str, tuple]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            columns = [c["name"] for c in inspect(connection).get_columns("sessions")]
            chosen = "client_id, title" if "client_id" in columns else "NULL, title"
            rows = connection.execute(text(f"SELECT id, {chosen} FROM sessions ORDER BY id"))
            return {row[0]: (row[1], row[2]) for row in rows}
    finally:
        engine.dispose()


@pytest.fixture
def empty_database(backend, tmp_path) -> Iterator[str]:
    """The URL of an empty database of ``backend``, dropped after the test."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'assessment'}.db"
        return
    name = f"pendamping_test_migration_{uuid.uuid4().hex[:10]}"
    _pg_admin(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_sessions_of_one_client_are_keyed_to_it_and_titles_encrypted_on_upgrade(
    empty_database,
):
    """Sessions scheduled before 0006: the only participant of each becomes the client
    whose key seals it (a group of two names none), and the titles written in clear are
    encrypted; a downgrade gives them back in clear, and refuses, untouched, once a title
    is under a client key."""
    crypto.configure([Fernet.generate_key()])
    url = empty_database
    upgrade("assessment", url, "0005")
    engine = create_engine(url)
    session = text(
        "INSERT INTO sessions (id, foundation, kind, starts_at, duration_minutes, location,"
        " title, status, facilitator_id, created_at) VALUES (:id, 'medan-plus', :kind,"
        " CURRENT_TIMESTAMP, 60, :location, :title, 'scheduled', 'sw', CURRENT_TIMESTAMP)"
    )
    participant = text(
        "INSERT INTO session_participants (session_id, client_id) VALUES (:session, :client)"
    )
    with engine.begin() as db:
        place = crypto.cipher().encrypt("Rumah Budi")
        db.execute(
            session,
            {"id": "s1", "kind": "family", "location": place, "title": "Kunjungan rumah Budi"},
        )
        db.execute(
            session, {"id": "s2", "kind": "group", "location": None, "title": "Kelompok pagi"}
        )
        db.execute(session, {"id": "s3", "kind": "individual", "location": None, "title": None})
        for session_id, client_id in (
            ("s1", "budi"),
            ("s2", "budi"),
            ("s2", "rina"),
            ("s3", "rina"),
        ):
            db.execute(participant, {"session": session_id, "client": client_id})
    engine.dispose()

    upgrade("assessment", url)
    upgraded = _sessions(url)
    assert {k: client for k, (client, _title) in upgraded.items()} == {
        "s1": "budi",
        "s2": None,
        "s3": "rina",
    }
    assert upgraded["s1"][1].startswith("gAAAAA") and upgraded["s3"][1] is None
    assert crypto.cipher().decrypt(upgraded["s1"][1]) == "Kunjungan rumah Budi"
    assert crypto.cipher().decrypt(upgraded["s2"][1]) == "Kelompok pagi"

    command.downgrade(alembic_config("assessment", url), "0005")
    assert _sessions(url) == {
        "s1": (None, "Kunjungan rumah Budi"),
        "s2": (None, "Kelompok pagi"),
        "s3": (None, None),
    }

    upgrade("assessment", url)
    engine = create_engine(url)
    with engine.begin() as db:
        db.execute(text("UPDATE sessions SET title = 'c1:budi:k1:token' WHERE id = 's1'"))
    engine.dispose()
    with pytest.raises(RuntimeError, match="titles under client keys"):
        command.downgrade(alembic_config("assessment", url), "0005")
    assert _sessions(url)["s1"] == ("budi", "c1:budi:k1:token")
