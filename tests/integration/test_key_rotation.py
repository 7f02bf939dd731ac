"""Retiring a data key with ``pendamping rotate-data-key``, on SQLite and PostgreSQL.

One foundation gets one of every record through the API under key A (``populate``: a
client through intake, assessment, placement, sessions, notes, discharge, sent messages,
events in every outbox), plus a console account and an opted-out address. The deployment
then runs with ``B,A`` and the blind-index key pinned (what ``pendamping index-key``
prints), the command re-encrypts everything under the deployment keys and re-wraps the
clients' keys in the key stores, leaving the values under those keys untouched; with B
alone every record reads back the same through the APIs, NIK duplicates, near-duplicates,
name search, opt-outs and console sign-in still work, no stored value or wrapped key is
left under A, and a second run rotates nothing.
"""

from __future__ import annotations

import dataclasses
import json
import re
import uuid
from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import Text, column, select, table

from ops.key_rotation import (
    ROTATED_SERVICES,
    encrypted_columns,
    rotate_service,
    run_rotation,
)
from ops.migrations import upgrade
from ops.registry import METADATA
from services.console.accounts import authenticate, create_account
from services.notifications.inbound import is_opted_out, opt_out
from shared.client_keys import PREFIX, client_keys_table
from shared.crypto import DataCipher, DecryptionError
from shared.db import Database
from shared.events.catalogue import map_personal
from shared.settings import CONSOLE, SERVICES, Settings
from tests.conftest import PG_SERVER, TEST_DATA_KEY, _pg_admin
from tests.security.world import PEOPLE, populate
from tests.support.factories import create_foundation, register_client
from tests.support.suite import Suite

pytestmark = pytest.mark.integration

FOUNDATION = "medan-plus"
PERSON = PEOPLE["a"]
KEY_A = TEST_DATA_KEY  # what the `settings` fixture, and so the suite, writes with
KEY_B = Fernet.generate_key().decode()
PINNED = DataCipher([KEY_A]).index_key  # `pendamping index-key` while A is the last key
OPTED_OUT = "+6281199990000"
CONSOLE_EMAIL = "rahmat.console@example.org"
CONSOLE_PASSWORD = "kata-sandi-yang-panjang-sekali"
ROW = re.compile(r"^(\S+)\s+(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$")


@pytest.fixture
def deployment(settings, backend, tmp_path) -> Iterator[Settings]:
    """The test's settings with a console database too (``rotate-data-key`` covers it)."""
    if backend == "postgres":
        name = f"pendamping_test_console_{uuid.uuid4().hex[:10]}"
        _pg_admin(f'CREATE DATABASE "{name}"')
        url = f"{PG_SERVER}/{name}"
    else:
        url = f"sqlite:///{tmp_path / 'console.sqlite'}"
    upgrade(CONSOLE, url)
    yield dataclasses.replace(settings, database_urls={**settings.database_urls, CONSOLE: url})
    if backend == "postgres":
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def keyed(settings: Settings, *keys: str, index_key: str = PINNED) -> Settings:
    return dataclasses.replace(settings, data_keys=keys, index_key=index_key)


def restart(settings: Settings, running: list[Suite]) -> Suite:
    """Every process restarted with ``settings`` (the old suite is not used again)."""
    suite = Suite.start(settings)
    running.append(suite)
    return suite


@pytest.fixture
def running() -> Iterator[list[Suite]]:
    suites: list[Suite] = []
    yield suites
    for suite in suites:
        for service in ("intake", "assessment", "notifications"):
            suite.runtime(service).publisher.flush()
            suite.runtime(service).db.dispose()


def stored_tokens(settings: Settings) -> Iterator[tuple[str, str]]:
    """``(where, ciphertext)`` for every encrypted value of every database: each
    ``EncryptedText`` column, each personal field of each outbox event, and each wrapped
    key in the services' key stores."""
    yield from _wrapped_keys(settings)
    for service in ROTATED_SERVICES:
        metadata = METADATA[service]
        db = Database(settings.database_url(service))
        try:
            with db.reading() as session:
                for source in metadata.sorted_tables:
                    names = ["envelope"] if source.name == "outbox" else encrypted_columns(source)
                    if not names:
                        continue
                    raw = table(source.name, *[column(name, Text()) for name in names])
                    for row in session.execute(select(*raw.c)).all():
                        for name, value in row._mapping.items():
                            if value is None:
                                continue
                            where = f"{service}.{source.name}.{name}"
                            if name == "envelope":
                                yield from _event_tokens(where, json.loads(value))
                            else:
                                yield where, value
        finally:
            db.dispose()


def _wrapped_keys(settings: Settings) -> Iterator[tuple[str, str]]:
    keys = client_keys_table()
    for service in SERVICES:
        db = Database(settings.keys_database_url(service))
        try:
            with db.reading() as session:
                raw = table(keys.name, column("wrapped_key", Text()))
                for (value,) in session.execute(select(raw.c.wrapped_key)).all():
                    if value is not None:
                        yield f"{service}.{keys.name}.wrapped_key", value
        finally:
            db.dispose()


def client_values(settings: Settings) -> list[tuple[str, str]]:
    """The stored values under a client's own key (``c1:…``), as stored."""
    return sorted(item for item in stored_tokens(settings) if item[1].startswith(PREFIX))


def _event_tokens(where: str, envelope: dict) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []

    def collect(token: str) -> str:
        found.append((f"{where}:{envelope['type']}", token))
        return token

    map_personal(envelope["type"], envelope["data"], collect)
    return found


def readable_by(settings: Settings, *keys: str) -> dict[str, int]:
    """How many stored values under the deployment keys (wrapped client keys included)
    ``keys`` decrypt and how many they do not. Values under a client's own key are not
    counted: see :func:`client_values`."""
    cipher = DataCipher(keys)
    counts = {"readable": 0, "unreadable": 0}
    for _where, token in stored_tokens(settings):
        if token.startswith(PREFIX):
            continue
        try:
            cipher.decrypt(token)
            counts["readable"] += 1
        except DecryptionError:
            counts["unreadable"] += 1
    return counts


def table_rows(output: str) -> dict[str, tuple[int, int, int, int]]:
    """``service.table`` -> (rows, rotated, values, unreadable) from the command's output."""
    rows = {}
    for line in output.splitlines():
        if match := ROW.match(line.strip()):
            service, name, *numbers = match.groups()
            rows[f"{service}.{name}"] = tuple(int(n) for n in numbers)
    return rows


def snapshot(suite: Suite, world) -> dict[str, object]:
    """What the APIs show of the foundation's records (reads only)."""
    admin = {"Authorization": f"Bearer {suite.token('admin', FOUNDATION)}"}
    paths = {"intake": ["/staff?per_page=200", "/clients?per_page=200"]}
    paths["intake"] += [f"/clients/{cid}" for cid in world.ids["client"]]
    paths["intake"] += [f"/clients/{world.first('client')}/screenings"]
    paths["intake"] += [f"/clients/{world.first('client')}/consent/history"]
    paths["assessment"] = [
        f"/clients/{world.first('client')}/notes",
        f"/clients/{world.first('client')}/goals",
        f"/assessments?client_id={world.first('client')}",
        f"/sessions/{world.first('session')}",
        "/followups",
    ]
    paths["notifications"] = ["/messages?per_page=200", "/channels/webhook"]
    views = {}
    for service, service_paths in paths.items():
        for path in service_paths:
            response = suite.client(service).get(path, headers=admin)
            assert response.status_code == 200, (service, path, response.get_json())
            views[f"{service}{path}"] = _contacts_by_id(response.get_json())
    return views


def _contacts_by_id(value):
    """``value`` with family contacts in id order: contacts saved in the same instant tie on
    ``created_at``, so PostgreSQL may list them either way round after any update."""
    if isinstance(value, list):
        return [_contacts_by_id(item) for item in value]
    if not isinstance(value, dict):
        return value
    tidy = {key: _contacts_by_id(item) for key, item in value.items()}
    if isinstance(tidy.get("family_contacts"), list):
        tidy["family_contacts"] = sorted(tidy["family_contacts"], key=lambda c: c["id"])
    return tidy


def add_console_account(settings: Settings, world) -> None:
    db = Database(settings.database_url(CONSOLE))
    try:
        create_account(
            db,
            email=CONSOLE_EMAIL,
            password=CONSOLE_PASSWORD,
            name=PERSON.staff_name,
            foundation=FOUNDATION,
            role="social_worker",
            staff_id=world.first("staff"),
        )
    finally:
        db.dispose()


def console_sign_in(settings: Settings) -> str | None:
    from datetime import timedelta

    db = Database(settings.database_url(CONSOLE))
    try:
        account = authenticate(
            db, CONSOLE_EMAIL, CONSOLE_PASSWORD, limit=5, lock_for=timedelta(minutes=15)
        )
        return account.name if account else None
    finally:
        db.dispose()


def sent_welcomes(suite: Suite, client_id: str) -> int:
    response = suite.client("notifications").get(
        f"/messages?client_id={client_id}&template=family.welcome&status=sent",
        headers=suite.headers("admin"),
    )
    return response.get_json()["total"]


def opted_out(suite: Suite) -> bool:
    with suite.runtime("notifications").db.reading() as session:
        return is_opted_out(session, FOUNDATION, OPTED_OUT)


def test_old_key_retired_after_rotation_everything_still_works(suite, deployment, running, capsys):
    world = populate(suite, FOUNDATION, PERSON)
    add_console_account(deployment, world)
    with suite.runtime("notifications").db.transaction() as session:
        opt_out(session, FOUNDATION, "sms", OPTED_OUT)
    assert readable_by(deployment, KEY_B)["readable"] == 0

    # the new key first, the index key pinned, every process restarted; new writes use B
    both = keyed(deployment, KEY_B, KEY_A)
    on_both = restart(both, running)
    newcomer = register_client(on_both, full_name="Cahyo Nugroho", nik="1271010101010003")
    on_both.pump()
    before = snapshot(on_both, world)
    welcomes_before = sent_welcomes(on_both, world.first("client"))
    under_client_keys = client_values(both)
    assert {where.split(":")[0] for where, _token in under_client_keys} >= {
        "intake.clients.full_name",
        "intake.outbox.envelope",
        "assessment.notes.text",
        "notifications.messages.body",
    }

    assert run_rotation(both, batch_size=7) == 0
    output = capsys.readouterr().out
    counts = table_rows(output)
    for rotated_table in (
        "intake.staff",
        "intake.client_keys",
        "assessment.client_keys",
        "notifications.channel_settings",
        "notifications.client_keys",
        "console.accounts",
    ):
        rows, rotated, values, unreadable = counts[rotated_table]
        assert 0 < rotated <= rows and values >= rotated and unreadable == 0, rotated_table
    # a client's values are under its own key: only that key, wrapped, is rotated
    for client_table in (
        "intake.clients",
        "intake.family_contacts",
        "intake.screenings",
        "assessment.notes",
        "assessment.sessions",  # a family session's place and title, under its client's key
        "notifications.messages",
        "notifications.clients",
    ):
        rows, rotated, values, unreadable = counts[client_table]
        assert rows > 0 and (rotated, values, unreadable) == (0, 0, 0), client_table
    assert client_values(both) == under_client_keys
    # the newcomer's key was wrapped under B already: not every key needed rotating
    assert counts["intake.client_keys"][1] == counts["intake.client_keys"][0] - 1
    for secret in [*PERSON.plaintexts(), KEY_A, KEY_B, PINNED, newcomer["full_name"]]:
        assert secret not in output

    assert run_rotation(both) == 0
    again = table_rows(capsys.readouterr().out)
    assert again.keys() == counts.keys()
    assert {name: numbers[1:] for name, numbers in again.items()} == {
        name: (0, 0, 0) for name in again
    }

    # the old key removed
    only_b = keyed(deployment, KEY_B)
    on_b = restart(only_b, running)
    assert readable_by(only_b, KEY_A)["readable"] == 0
    assert readable_by(only_b, KEY_B)["unreadable"] == 0
    assert client_values(only_b) == under_client_keys
    # the clients' values read through their keys, unwrapped with B alone
    assert snapshot(on_b, world) == before

    intake, headers = on_b.client("intake"), on_b.headers()
    duplicate = intake.post(
        "/clients", headers=headers, json={"full_name": "Orang Lain", "nik": PERSON.nik}
    )
    assert duplicate.status_code == 409
    assert duplicate.get_json()["existing_client_id"] == world.first("client")
    alike = intake.post(
        "/clients",
        headers=headers,
        json={"full_name": PERSON.full_name.split()[0] + " K.", "date_of_birth": "1993-04-25"},
    )
    assert alike.status_code == 201
    assert world.first("client") in [c["id"] for c in alike.get_json()["possible_duplicates"]]
    found = intake.get(f"/clients?q={PERSON.full_name.split()[1]}", headers=headers).get_json()
    assert [c["id"] for c in found["items"]] == [world.first("client")]
    found = intake.get("/clients?q=Cahyo", headers=headers).get_json()
    assert [c["id"] for c in found["items"]] == [newcomer["id"]]
    assert opted_out(on_b)
    assert console_sign_in(only_b) == PERSON.staff_name

    # and the suite keeps working end to end: a readmission welcomes the family again
    readmitted = intake.post(
        f"/clients/{world.first('client')}/admission",
        json={"family_agreement": True},
        headers=headers,
    )
    assert readmitted.status_code == 200, readmitted.get_json()
    on_b.heartbeat()
    on_b.pump()
    on_b.run_task("notifications", "notifications.dispatch_due", [])
    on_b.pump()
    assert sent_welcomes(on_b, world.first("client")) > welcomes_before


class InterruptedCipher(DataCipher):
    """Stops the process (as Ctrl-C would) at the ``after``-th value it rotates."""

    def __init__(self, keys, index_key, after: int):
        super().__init__(keys, index_key)
        self.left = after

    def rotate(self, token: str) -> str:
        self.left -= 1
        if self.left < 0:
            raise KeyboardInterrupt
        return super().rotate(token)


def test_an_interrupted_rotation_loses_nothing_and_the_next_run_finishes(
    suite, deployment, running, capsys
):
    world = populate(suite, FOUNDATION, PERSON)
    both = keyed(deployment, KEY_B, KEY_A)
    total = readable_by(both, KEY_A)["readable"]
    in_intake = [
        where
        for where, token in stored_tokens(both)
        if where.startswith("intake.") and not token.startswith(PREFIX)
    ]
    assert "intake.client_keys.wrapped_key" in in_intake

    # cut short at intake's last value: the last of its key store's wrapped keys
    cipher = InterruptedCipher(both.data_keys, both.index_key, after=len(in_intake) - 1)
    with pytest.raises(KeyboardInterrupt):
        list(rotate_service(both, "intake", cipher, batch_size=1))
    partly = readable_by(both, KEY_B)
    assert 0 < partly["readable"] < total  # whole batches committed, the one cut short not
    assert readable_by(both, KEY_B, KEY_A) == {"readable": total, "unreadable": 0}
    on_both = restart(both, running)
    client = on_both.client("intake").get(
        f"/clients/{world.first('client')}", headers=on_both.headers()
    )
    assert client.get_json()["full_name"] == PERSON.full_name

    assert run_rotation(both, batch_size=3) == 0
    capsys.readouterr()
    assert run_rotation(both) == 0
    last = table_rows(capsys.readouterr().out)
    assert last and all(numbers[1] == 0 for numbers in last.values())
    assert readable_by(both, KEY_B) == {"readable": total, "unreadable": 0}


def test_refuses_while_the_index_key_hangs_on_the_old_key_and_a_dry_run_writes_nothing(
    suite, deployment, capsys
):
    create_foundation(suite)
    register_client(suite, nik=PERSON.nik)
    suite.pump()
    written = readable_by(deployment, KEY_A)
    assert written["readable"] > 0

    unpinned = keyed(deployment, KEY_B, KEY_A, index_key="")
    assert run_rotation(unpinned) == 2
    assert "PENDAMPING_INDEX_KEY" in capsys.readouterr().err
    assert readable_by(deployment, KEY_A) == written

    under_client_keys = client_values(deployment)
    assert run_rotation(keyed(deployment, KEY_B, KEY_A), dry_run=True) == 0
    counts = table_rows(capsys.readouterr().out)
    assert counts["intake.client_keys"][1] == 1 and counts["intake.clients"][1] == 0
    assert readable_by(deployment, KEY_A) == written
    assert client_values(deployment) == under_client_keys
