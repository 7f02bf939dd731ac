"""Personal data is never written in plaintext: not in any service's database file, not in
the logs of a whole flow, not in the events waiting in the outboxes.

One foundation's client goes through register, screening, admission, assessment, placement,
a family session, a crisis note, a goal, discharge and follow-ups, and its family's messages
are sent; meanwhile every log record at DEBUG is captured. Then each SQLite file (its WAL
checkpointed first) is read as bytes and searched for the client's, the family contact's and
the staff member's NIK, names, phones and emails, in every form they were written in.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from shared import client_keys
from shared.crypto import cipher
from shared.events.catalogue import _walk, spec_for
from tests.security.world import PEOPLE, World, populate

FOUNDATION = "medan-plus"
SERVICES = ("intake", "assessment", "notifications")
FERNET_PREFIX = "gAAAAA"  # version byte 0x80, base64
# the scan reads SQLite files; the flow itself does not depend on the database
pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def found_in(haystack: str, person_world: World) -> list[str]:
    lowered = haystack.lower()
    return [value for value in person_world.person.plaintexts() if value.lower() in lowered]


@pytest.fixture
def flow(suite, caplog) -> World:
    caplog.set_level(logging.DEBUG)  # the root logger, every library's records included
    world = populate(suite, FOUNDATION, PEOPLE["a"])
    suite.run_task("notifications", "notifications.dispatch_due", [])
    suite.pump()
    sent = suite.client("notifications").get(
        "/messages?status=sent&per_page=200", headers=suite.headers("admin", FOUNDATION)
    )
    assert sent.get_json()["total"] > 0, "the flow should have sent messages"
    return world


def sqlite_files(suite) -> dict[str, Path]:
    files = {}
    for service in SERVICES:
        url = suite.settings.database_url(service)
        assert url.startswith("sqlite:///"), "the file scan reads SQLite databases"
        files[service] = Path(url.removeprefix("sqlite:///"))
    return files


def test_no_database_file_holds_personal_data_in_plaintext(suite, flow):
    files = sqlite_files(suite)
    for service in SERVICES:
        suite.runtime(service).publisher.flush()
        suite.runtime(service).db.dispose()
    # what is not personal is stored as it is: proof that the scan reads the rows
    controls = {"intake": "Yayasan medan-plus", "assessment": "Rehabilitasi medan-plus"}
    for service, path in files.items():
        with sqlite3.connect(path) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        contents = ""
        for candidate in (path, *path.parent.glob(path.name + "-*")):
            data = candidate.read_bytes()
            # the bytes as they lie on disk, and as UTF-8 text
            contents += data.decode("latin-1") + data.decode("utf-8", errors="ignore")
        leaked = found_in(contents, flow)
        assert not leaked, f"{service}: {path.name} holds {leaked} in plaintext"
        if service in controls:
            assert controls[service] in contents, f"{service}: the scan found no rows"


def test_no_log_record_of_a_whole_flow_holds_personal_data(flow, caplog):
    records = caplog.get_records("setup") + caplog.get_records("call")  # the flow is a fixture
    assert len(records) > 20, "the flow should have logged"
    everything = "\n".join(
        "\n".join(
            str(part)
            for part in (record.getMessage(), record.exc_text or "", record.stack_info or "")
        )
        for record in records
    )
    leaked = found_in(everything, flow)
    assert not leaked, f"logs hold {leaked}"


def test_outbox_events_carry_personal_fields_only_encrypted(suite, flow):
    personal_seen = 0
    for service in SERVICES:
        with suite.runtime(service).db.engine.connect() as conn:
            rows = conn.execute(text("SELECT type, envelope FROM outbox")).all()
        assert rows or service == "notifications", f"{service} wrote no events"
        for event_type, raw in rows:
            leaked = found_in(raw, flow)
            assert not leaked, f"{service} outbox {event_type} holds {leaked}"
            envelope = json.loads(raw)
            # the client's key travels only on the way to the broker, never stored here
            assert "client_key" not in envelope and "client_keys" not in envelope
            values: list[str] = []
            _walk(spec_for(event_type).schema(), envelope["data"], _collect(values), prune=False)
            for value in values:
                # a client's values under the client's own key, the rest under the data key
                assert value.startswith((FERNET_PREFIX, client_keys.PREFIX)), value[:20]
                with client_keys.using(suite.runtime(service).db.key_store):
                    found = found_in(cipher().decrypt(value), flow)
                personal_seen += bool(found)
    # the events did carry personal data: a name, a phone, an email, encrypted
    assert personal_seen > 5


def _collect(values: list[str]):
    def keep(value: str) -> str:
        values.append(value)
        return value

    return keep
