"""Moving a deployment's stored client data under per-client keys with ``pendamping
rekey-clients``, on SQLite and PostgreSQL.

The suite first runs the way deployments did before clients had keys of their own: every
service's key store detached, so each personal value is written under the deployment data
key. ``populate`` then makes one of every record (clients, contacts, consent, screenings,
assessments, goals, notes, a family session's place and title, follow-ups, outreach,
messages, replies). The command, cut short and run again, leaves every personal value of
each client under that client's own key in each service's key store, reading back the
same through the APIs and the ORM; a second run changes nothing, and a dry run writes
nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Text, column, func, select, table

from ops import cli
from ops.client_rekey import client_tables, rekey_service, run_rekey
from ops.registry import METADATA
from shared import crypto
from shared.client_keys import PREFIX, parse
from shared.settings import SERVICES, Settings
from tests.security.world import PEOPLE, populate
from tests.support.factories import create_foundation, register_client

pytestmark = pytest.mark.integration

FOUNDATION = "medan-plus"
PERSON = PEOPLE["a"]
ROW = re.compile(r"^(\S+)\s+(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$")

Cell = tuple[str, str, tuple, str]  # service, table, primary key, column


@contextmanager
def without_client_keys(suite) -> Iterator[None]:
    """The suite as it ran before per-client keys: every value under the deployment key."""
    stores = {service: suite.runtime(service).db.key_store for service in SERVICES}
    for service in SERVICES:
        suite.runtime(service).db.attach_key_store(None)
    try:
        yield
    finally:
        for service, store in stores.items():
            suite.runtime(service).db.attach_key_store(store)


def stored(suite) -> dict[Cell, tuple[str | None, str]]:
    """Every personal value of every client-owned table as stored (ciphertext), with the
    client its row names."""
    cells: dict[Cell, tuple[str | None, str]] = {}
    for service in SERVICES:
        with suite.runtime(service).db.reading() as session:
            for spec in client_tables(METADATA[service]):
                keys = [c.name for c in spec.table.primary_key.columns]
                names = sorted({*keys, spec.client_column, *spec.values})
                raw = table(spec.table.name, *[column(name, Text()) for name in names])
                for row in session.execute(select(*raw.c)).mappings():
                    for name in spec.values:
                        if row[name] is not None:
                            where = (service, spec.table.name, tuple(row[k] for k in keys), name)
                            cells[where] = (row[spec.client_column], row[name])
    return cells


def plaintexts(suite) -> dict[Cell, str]:
    """Every personal value of every client-owned table as the services read it (through
    the column types the ORM uses, with each service's key store)."""
    values: dict[Cell, str] = {}
    for service in SERVICES:
        with suite.runtime(service).db.reading() as session:
            for spec in client_tables(METADATA[service]):
                keys = [c.name for c in spec.table.primary_key.columns]
                for row in session.execute(select(spec.table)).mappings():
                    for name in spec.values:
                        if row[name] is not None:
                            where = (service, spec.table.name, tuple(row[k] for k in keys), name)
                            values[where] = row[name]
    return values


def key_count(suite) -> int:
    total = 0
    for service in SERVICES:
        store = suite.runtime(service).db.key_store
        with store.db.reading() as session:
            total += session.execute(select(func.count()).select_from(store.table)).scalar_one()
    return total


def table_rows(output: str) -> dict[str, tuple[int, ...]]:
    """``service.table`` -> (rows, rekeyed, values, no_client, unreadable, erased)."""
    rows = {}
    for line in output.splitlines():
        if match := ROW.match(line.strip()):
            service, name, *numbers = match.groups()
            rows[f"{service}.{name}"] = tuple(int(n) for n in numbers)
    return rows


def views(suite, world) -> dict[str, object]:
    """What the APIs show of the foundation's clients (reads only)."""
    admin = {"Authorization": f"Bearer {suite.token('admin', FOUNDATION)}"}
    client = world.first("client")
    paths = {
        "intake": [f"/clients/{cid}" for cid in world.ids["client"]]
        + [f"/clients/{client}/screenings", f"/clients/{client}/consent/history"],
        "assessment": [
            f"/clients/{client}/notes",
            f"/clients/{client}/goals",
            f"/sessions?client_id={client}",
            f"/assessments?client_id={client}",
            "/followups",
        ],
        "notifications": ["/messages?per_page=200", "/replies"],
    }
    shown = {}
    for service, service_paths in paths.items():
        for path in service_paths:
            response = suite.client(service).get(path, headers=admin)
            assert response.status_code == 200, (service, path, response.get_json())
            shown[f"{service}{path}"] = response.get_json()
    return shown


def under_own_key(suite, cells: dict[Cell, tuple[str | None, str]]) -> list[Cell]:
    """The cells whose value is under the current key of the client its row names, in the
    key store of the service that holds it."""
    done = []
    for where, (client_id, value) in cells.items():
        parsed = parse(value)
        if client_id and parsed and parsed[0] == client_id:
            key = suite.runtime(where[0]).db.key_store.current(client_id)
            if key is not None and parsed[1] == key.key_id:
                done.append(where)
    return done


def cli_environment(monkeypatch, settings: Settings) -> None:
    """``pendamping``'s own environment naming the test's databases."""
    monkeypatch.delenv("PENDAMPING_ENV", raising=False)
    monkeypatch.delenv("PENDAMPING_INDEX_KEY", raising=False)
    monkeypatch.setenv("PENDAMPING_VAR_DIR", str(settings.var_dir))
    monkeypatch.setenv("PENDAMPING_SECRET_KEY", settings.secret_key)
    monkeypatch.setenv("PENDAMPING_CONSOLE_KEY", settings.console_key)
    monkeypatch.setenv("PENDAMPING_DATA_KEY", ",".join(settings.data_keys))
    for service in SERVICES:
        monkeypatch.setenv(f"{service.upper()}_DATABASE_URL", settings.database_url(service))
        monkeypatch.setenv(
            f"{service.upper()}_KEYS_DATABASE_URL", settings.keys_database_url(service)
        )


def test_an_interrupted_rekey_resumes_and_leaves_every_client_value_under_its_own_key(
    suite, settings, capsys, monkeypatch
):
    with without_client_keys(suite):
        world = populate(suite, FOUNDATION, PERSON)
    before = stored(suite)
    assert {where[:2] for where in before} >= {
        ("intake", "clients"),
        ("intake", "family_contacts"),
        ("intake", "screenings"),
        ("assessment", "assessments"),
        ("assessment", "notes"),
        ("assessment", "goals"),
        ("assessment", "sessions"),
        ("notifications", "clients"),
        ("notifications", "messages"),
        ("notifications", "replies"),
    }
    assert not any(value.startswith(PREFIX) for _client, value in before.values())
    assert key_count(suite) == 0
    read_before, shown_before = plaintexts(suite), views(suite, world)

    # a dry run counts and writes nothing, not even a key
    assert run_rekey(settings, dry_run=True) == 0
    dry = table_rows(capsys.readouterr().out)
    assert dry["intake.clients"][1] == len(world.ids["client"])
    assert all(dry[f"{s}.{t}"][1] > 0 for s, t, *_ in before)
    assert stored(suite) == before and key_count(suite) == 0

    # stopped after its first batch of one row (a client of two): that one stays done, the
    # rest is as it was
    progress = rekey_service(settings, "intake", crypto.cipher(), batch_size=1)
    first = next(progress)
    assert (first.table, first.rows, first.rekeyed, first.done) == ("clients", 1, 1, False)
    progress.close()
    partly = under_own_key(suite, stored(suite))
    assert 0 < len(partly) < len(before)
    assert plaintexts(suite) == read_before  # a half-done deployment reads as before

    assert run_rekey(settings, batch_size=2) == 0
    output = capsys.readouterr().out
    for secret in [*PERSON.plaintexts(), *settings.data_keys]:
        assert secret not in output
    after = stored(suite)
    assert after.keys() == before.keys()
    staff_only = {where for where, (client_id, _value) in after.items() if not client_id}
    assert sorted(under_own_key(suite, after)) == sorted(set(after) - staff_only)
    for where in staff_only:  # a message to staff names no client: the deployment key
        assert not after[where][1].startswith(PREFIX)
    counts = table_rows(output)
    assert sum(n[2] for n in counts.values()) == len(before) - len(partly) - len(staff_only)
    assert all(n[4] == 0 and n[5] == 0 for n in counts.values())

    # everything reads as before, through the column types and through the APIs
    assert plaintexts(suite) == read_before
    assert views(suite, world) == shown_before

    # the command itself, run again: nothing left to do
    cli_environment(monkeypatch, settings)
    assert cli.main(["rekey-clients"]) == 0
    again = table_rows(capsys.readouterr().out)
    assert again.keys() == counts.keys()
    assert all(numbers[1:3] == (0, 0) for numbers in again.values())
    assert stored(suite) == after

    # and what is written now goes under the client's key from the start
    newcomer = register_client(suite, full_name="Cahyo Nugroho")
    suite.pump()
    assert cli.main(["rekey-clients", "--dry-run"]) == 0
    assert all(n[1] == 0 for n in table_rows(capsys.readouterr().out).values())
    fetched = suite.client("intake").get(f"/clients/{newcomer['id']}", headers=suite.headers())
    assert fetched.get_json()["full_name"] == "Cahyo Nugroho"


def test_values_of_a_client_whose_keys_were_destroyed_are_left_and_reported(
    suite, settings, capsys
):
    create_foundation(suite)
    with without_client_keys(suite):
        kept = register_client(suite, full_name="Dimas Prasetyo")
        gone = register_client(suite, full_name="Eko Saputra", nik="1271010101010004")
        suite.pump()
    suite.runtime("intake").db.key_store.destroy(gone["id"])
    before = stored(suite)

    assert run_rekey(settings, dry_run=True) == 1
    captured = capsys.readouterr()
    assert "destroyed" in captured.err
    assert table_rows(captured.out)["intake.clients"][5] > 0
    assert stored(suite) == before

    assert run_rekey(settings) == 1
    counts = table_rows(capsys.readouterr().out)
    assert counts["intake.clients"][1] == 1 and counts["intake.clients"][5] > 0
    after = stored(suite)
    for where, (client_id, value) in after.items():
        if client_id == gone["id"] and where[0] == "intake":
            assert value == before[where][1]  # nothing to seal it with: left as it was
        else:
            assert value.startswith(f"{PREFIX}{client_id}:"), where
    fetched = suite.client("intake").get(f"/clients/{kept['id']}", headers=suite.headers())
    assert fetched.get_json()["full_name"] == "Dimas Prasetyo"
