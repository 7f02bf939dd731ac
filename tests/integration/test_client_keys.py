"""A key per client, and how it crosses the broker (shared.client_keys, shared.transport_keys).

What is asserted is what an attacker holding a copy would see: the rows as stored, the
outbox as stored, the envelopes as they sit on the broker's queues.
"""

from __future__ import annotations

import json
from datetime import timedelta
from types import SimpleNamespace

from sqlalchemy import text

from shared import client_keys
from shared.db import Database, utcnow
from shared.transport_keys import TRANSPORT_KEYS
from tests.support.factories import create_foundation, register_client


def _raw(runtime, sql: str, **params):
    with runtime.db.engine.connect() as connection:
        return connection.execute(text(sql), params).all()


def _queued(suite, service: str, event_type: str) -> dict:
    suite.flush_publishers()
    envelopes = [args[0] for _name, args in suite.take(service) if args[0]["type"] == event_type]
    assert envelopes, f"no {event_type} on {service}'s queue"
    return envelopes[-1]


def test_each_client_has_its_own_key_in_every_service(suite):
    create_foundation(suite)
    budi = register_client(suite)
    ani = register_client(suite, full_name="Ani Lestari")
    suite.pump()
    intake = suite.runtime("intake")
    names = dict(_raw(intake, "SELECT id, full_name FROM clients"))
    assert client_keys.client_of(names[budi["id"]]) == budi["id"]
    assert client_keys.client_of(names[ani["id"]]) == ani["id"]
    key_ids = {client_keys.parse(v)[1] for v in names.values()}
    assert len(key_ids) == 2  # two clients, two keys
    notifications = suite.runtime("notifications")
    stored = _raw(notifications, "SELECT client_id, name, phone FROM family_contacts")
    assert stored and all(
        client_keys.client_of(name) == client and client_keys.client_of(phone) == client
        for client, name, phone in stored
    )
    # and nothing of a client is readable without its service's key store
    assert all("Budi" not in str(row) and "Siti" not in str(row) for row in stored)


def test_the_client_key_crosses_the_broker_sealed_to_each_subscriber_never_in_the_outbox(
    suite,
):
    create_foundation(suite)
    suite.pump()
    budi = register_client(suite)
    envelope = _queued(suite, "notifications", "client.registered")
    assert set(envelope["client_keys"]) == {"assessment", "notifications"}
    assert "client_key" not in envelope  # never under the long-lived data key
    outbox = _raw(suite.runtime("intake"), "SELECT envelope FROM outbox")
    assert outbox and all(
        "client_keys" not in json.loads(row.envelope) and "client_key" not in row.envelope
        for row in outbox
    )
    runtime = suite.runtime("notifications")
    assert runtime.consumer.consume(envelope, first_delivery=True) == "applied"
    contacts = _raw(runtime, "SELECT id FROM family_contacts WHERE client_id = :c", c=budi["id"])
    assert len(contacts) == 1


def test_an_envelope_copied_off_the_broker_stops_opening_once_the_transport_key_is_destroyed(
    suite,
):
    create_foundation(suite)
    suite.pump()
    register_client(suite)
    copy = _queued(suite, "notifications", "client.registered")
    runtime = suite.runtime("notifications")
    transport = runtime.db.key_store.transport
    box = copy["client_keys"]["notifications"]
    assert transport.open_box("notifications", copy["subject"], box) is not None
    # the next day brings a new key; a week and a day later, that day's private key is gone
    transport.ensure_own("notifications", utcnow() + timedelta(days=1))
    assert transport.destroy_old("notifications", utcnow() + timedelta(days=8)) == 1
    assert transport.open_box("notifications", copy["subject"], box) is None
    assert runtime.consumer.consume(copy, first_delivery=True) == "unreadable"
    with runtime.db.key_store.db.engine.connect() as connection:
        stored = connection.execute(
            text(
                "SELECT private_key FROM transport_keys WHERE service = 'notifications' "
                "AND key_id = :k"
            ),
            {"k": box["key_id"]},
        ).all()
    assert [row.private_key for row in stored] == [None]


def test_a_subscriber_without_a_transport_key_still_reads_the_event(suite):
    """A deployment whose services have not exchanged keys yet loses nothing: the relay
    falls back to the data-key wrapping for that subscriber."""
    create_foundation(suite)
    suite.pump()
    intake = suite.runtime("intake")
    with intake.db.key_store.db.transaction() as session:
        session.execute(TRANSPORT_KEYS.delete().where(TRANSPORT_KEYS.c.service == "notifications"))
    intake.db.key_store.transport._newest.clear()
    budi = register_client(suite)
    envelope = _queued(suite, "notifications", "client.registered")
    assert "notifications" not in envelope["client_keys"] and envelope["client_key"]
    runtime = suite.runtime("notifications")
    assert runtime.consumer.consume(envelope, first_delivery=True) == "applied"
    assert _raw(runtime, "SELECT id FROM family_contacts WHERE client_id = :c", c=budi["id"])


def test_a_client_erased_here_gets_no_new_key_and_its_events_store_nothing(suite):
    create_foundation(suite)
    suite.pump()
    budi = register_client(suite)
    envelope = _queued(suite, "notifications", "client.registered")
    runtime = suite.runtime("notifications")
    runtime.db.key_store.destroy(budi["id"])
    assert runtime.consumer.consume(envelope, first_delivery=True) == "erased"
    assert not _raw(runtime, "SELECT id FROM family_contacts WHERE client_id = :c", c=budi["id"])
    assert not _raw(runtime, "SELECT id FROM clients WHERE id = :c", c=budi["id"])


def test_a_new_transport_key_each_day_is_published_and_sealed_to_the_old_one_destroyed(suite):
    from shared.transport_keys import key_id_for, rotate

    create_foundation(suite)
    suite.pump()
    notifications = suite.runtime("notifications")
    tomorrow = utcnow() + timedelta(days=1)
    assert rotate(notifications, tomorrow) == 1
    assert rotate(notifications, tomorrow) == 0  # once a day, published once
    suite.pump()  # the publication reaches intake (and assessment)
    register_client(suite)
    envelope = _queued(suite, "notifications", "client.registered")
    assert envelope["client_keys"]["notifications"]["key_id"] == key_id_for(
        "notifications", tomorrow
    )
    assert notifications.consumer.consume(envelope, first_delivery=True) == "applied"
    # a week later the first key is destroyed; the newest stays, whatever its age
    rotate(notifications, tomorrow + timedelta(days=30))
    transport = notifications.db.key_store.transport
    assert transport.private("notifications", key_id_for("notifications", utcnow())) is None
    newest = transport.own_public("notifications")
    assert newest is not None and transport.private("notifications", newest[0]) is not None


def test_a_process_keeps_only_the_keys_it_used_lately(suite, monkeypatch):
    """A worker sending to thousands of families reads thousands of client keys: what it
    keeps in memory follows the clients of the last CACHE_SECONDS, not every one it read."""
    create_foundation(suite)
    budi, ani = register_client(suite), register_client(suite, full_name="Ani Lestari")
    clock = SimpleNamespace(now=1000.0)
    monkeypatch.setattr(client_keys, "time", SimpleNamespace(monotonic=lambda: clock.now))
    store = client_keys.KeyStore(Database(suite.settings.keys_database_url("intake")))
    budi_key = store.current(budi["id"])
    assert budi_key is not None and store.current(budi["id"]) is budi_key  # remembered
    clock.now += client_keys.CACHE_SECONDS + 1
    assert store.current(ani["id"]) is not None
    assert set(store._clients) == {ani["id"]}  # Budi's key, unused for a while, is not held
    assert store.current(budi["id"]).key_id == budi_key.key_id  # and is read again when needed


def test_a_process_holds_a_bounded_number_of_clients_keys(suite, monkeypatch):
    """A morning burst reads the keys of tens of thousands of clients within the cache's
    half minute: the process holds the most recently read CACHED_CLIENTS of them, so its
    memory stays flat, and reads a forgotten one again when it needs it."""
    create_foundation(suite)
    clients = [register_client(suite, full_name=f"Klien {i}")["id"] for i in range(3)]
    monkeypatch.setattr(client_keys, "CACHED_CLIENTS", 2)
    store = client_keys.KeyStore(Database(suite.settings.keys_database_url("intake")))
    first = [store.current(client) for client in clients]
    assert list(store._clients) == clients[1:]  # the first read, the first forgotten
    assert store.current(clients[1]) is first[1]  # still held: no read
    assert store.key(clients[0], first[0].key_id).key_id == first[0].key_id  # read again
    assert list(store._clients) == [clients[2], clients[0]]  # forgotten in the order read
