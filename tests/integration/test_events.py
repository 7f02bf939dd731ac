"""The event path: outbox while Redis is down, order-independent inbox, dispatcher claims."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import replace
from datetime import timedelta

import pytest
import redis
from cryptography.fernet import Fernet
from sqlalchemy import event, func, insert, select, text

from ops import devredis
from services.intake.app import create_app as create_intake
from services.notifications.dispatcher import (
    BATCH,
    SEND_BATCH_TASK,
    SEND_CHUNK,
    claim_due,
    dispatch,
    recover_stalled,
)
from services.notifications.models import Message
from shared.db import new_id, utcnow
from shared.events.publisher import BackgroundPublisher, InlinePublisher
from shared.runtime import in_worker
from tests.support.factories import (
    admit,
    assert_no_one_to_write_to,
    create_foundation,
    register_client,
    withdraw_consent,
)

pytestmark = pytest.mark.integration


def _unpublished(runtime) -> int:
    with runtime.db.transaction() as session:
        return session.execute(
            text("SELECT count(*) FROM outbox WHERE published_at IS NULL")
        ).scalar()


def test_writes_succeed_while_redis_is_down_and_the_relay_catches_up(suite, settings):
    create_foundation(suite)
    suite.pump()
    dead_redis = f"redis://127.0.0.1:{devredis.free_port()}/0"
    offline = create_intake(replace(settings, redis_url=dead_redis))
    http = offline.test_client()
    runtime = offline.extensions["pendamping"]

    client = http.post(
        "/clients",
        json={
            "full_name": "Rina",
            "consent": {"contact_family": True},
            "family_contacts": [
                {"name": "Ibu", "relationship": "mother", "phone": "081298765432", "channel": "sms"}
            ],
        },
        headers=suite.headers(),
    )
    assert client.status_code == 201
    admitted = http.post(
        f"/clients/{client.get_json()['id']}/admission",
        json={"family_agreement": True},
        headers=suite.headers(),
    )
    assert admitted.status_code == 200
    runtime.publisher.flush()
    assert _unpublished(runtime) == 2  # registered + admitted, kept for the relay

    # Redis is back (the suite's own relay reaches it): the relay publishes the backlog.
    assert suite.runtime("intake").relay.relay_pending(grace_seconds=0) == 2
    assert _unpublished(runtime) == 0
    suite.pump()
    messages = (
        suite.client("notifications")
        .get(f"/messages?client_id={client.get_json()['id']}", headers=suite.headers())
        .get_json()
    )
    assert [m["status"] for m in messages["items"]] == ["sent"]
    runtime.db.dispose()


def test_a_backlog_reaches_every_queue_once(suite, settings):
    create_foundation(suite)
    suite.pump()
    offline = create_intake(
        replace(settings, redis_url=f"redis://127.0.0.1:{devredis.free_port()}/0")
    )
    for i in range(7):
        answer = offline.test_client().post(
            "/clients", json={"full_name": f"Klien {i}"}, headers=suite.headers()
        )
        assert answer.status_code == 201
    runtime = offline.extensions["pendamping"]
    runtime.publisher.flush()
    assert _unpublished(runtime) == 7

    assert suite.runtime("intake").relay.relay_pending(grace_seconds=0) == 7
    assert _unpublished(runtime) == 0
    broker = redis.Redis.from_url(settings.redis_url)
    for queue in ("assessment", "notifications"):
        task_ids = [json.loads(m)["headers"]["id"] for m in broker.lrange(queue, 0, -1)]
        assert len(task_ids) == 7 and len(set(task_ids)) == 7, queue
    runtime.db.dispose()


def test_events_applied_out_of_order_keep_the_newest_state(suite):
    create_foundation(suite)
    suite.pump()
    client = register_client(suite)
    admit(suite, client["id"])
    suite.flush_publishers()
    queued = suite.take("assessment")
    names = [args[0]["type"] for _name, args in queued]
    assert names == ["client.registered", "client.admitted"]
    for name, args in reversed(queued):  # admitted overtakes registered
        suite.run_task("assessment", name, args)
    view = (
        suite.client("assessment")
        .get(f"/clients/{client['id']}", headers=suite.headers())
        .get_json()
    )
    assert view["status"] == "admitted"
    assert view["assessment"]["status"] == "due"

    notifications = suite.take("notifications")
    for name, args in reversed(notifications):
        suite.run_task("notifications", name, args)
    suite.pump()
    messages = (
        suite.client("notifications")
        .get(f"/messages?client_id={client['id']}", headers=suite.headers())
        .get_json()
    )
    assert [(m["template"], m["status"]) for m in messages["items"]] == [("family.welcome", "sent")]


def test_a_consent_withdrawal_applied_beside_the_registration_is_not_put_aside(suite):
    """Two notifications workers take a client's registration and, a moment later, the
    family's consent withdrawn. The withdrawal's worker finds no version of the client to
    move on while the registration's is still uncommitted, and looks again once it has
    committed (on PostgreSQL each statement sees what was committed when it began): the
    withdrawal is still the newer event, and no one may write to the family after it."""
    runtime = suite.runtime("notifications")
    if runtime.db.is_sqlite:
        pytest.skip("SQLite serialises writers: the race needs PostgreSQL")
    create_foundation(suite)
    suite.pump()
    sms = {"name": "Siti", "relationship": "mother", "phone": "0812-3456-7890", "channel": "sms"}
    client = register_client(suite, family_contacts=[sms])
    withdraw_consent(suite, client["id"])
    suite.flush_publishers()
    (registered, withdrawal) = [
        task for task in suite.take("notifications") if task[1][0]["subject"] == client["id"]
    ]
    assert [task[1][0]["type"] for task in (registered, withdrawal)] == [
        "client.registered",
        "consent.changed",
    ]
    registration_found_no_version = threading.Event()
    withdrawal_looked = threading.Event()
    registration_committed = threading.Event()

    def interleave(_conn, _cursor, statement, _params, _context, _many):
        who = threading.current_thread().name
        if who == "registration" and statement.startswith("SELECT subject_versions.sequence"):
            registration_found_no_version.set()  # a first event: its version not yet written
            assert withdrawal_looked.wait(10)
        elif who == "withdrawal" and statement.startswith("UPDATE subject_versions"):
            withdrawal_looked.set()  # nothing committed to move on yet
            assert registration_committed.wait(10)

    def apply(task) -> None:
        name, args = task
        suite.run_task("notifications", name, args)
        if threading.current_thread().name == "registration":
            registration_committed.set()

    event.listen(runtime.db.engine, "after_cursor_execute", interleave)
    try:
        first = threading.Thread(target=apply, args=(registered,), name="registration")
        first.start()
        assert registration_found_no_version.wait(10)
        second = threading.Thread(target=apply, args=(withdrawal,), name="withdrawal")
        second.start()
        first.join(30)
        second.join(30)
    finally:
        event.remove(runtime.db.engine, "after_cursor_execute", interleave)
    assert registration_committed.is_set() and not second.is_alive()
    # Consent withdrawn, intake shares no contact of the family's: none is left to write to.
    # Had the withdrawal been put aside as stale, this would be a message to the family.
    assert_no_one_to_write_to(suite, client["family_contacts"][0]["id"])


def test_an_event_for_another_foundations_record_is_not_applied(suite):
    create_foundation(suite)
    client = register_client(suite)
    suite.flush_publishers()
    ((name, args),) = [
        t for t in suite.take("assessment") if t[1][0]["type"] == "client.registered"
    ]
    forged = dict(args[0], id=new_id(), foundation="yakita", sequence=99)
    suite.run_task("assessment", name, [args[0]])
    suite.run_task("assessment", name, [forged])
    mine = suite.client("assessment").get(f"/clients/{client['id']}", headers=suite.headers())
    assert mine.status_code == 200
    theirs = suite.client("assessment").get(
        f"/clients/{client['id']}", headers=suite.headers(foundation="yakita")
    )
    assert theirs.status_code == 404


def _due_messages(runtime, count: int) -> None:
    now = utcnow()
    with runtime.db.transaction() as session:
        for i in range(count):
            session.add(
                Message(
                    foundation="medan-plus",
                    client_id=None,
                    recipient_kind="staff",
                    recipient_id=new_id(),
                    channel="log",
                    template="staff.assessment_due",
                    locale="id",
                    occurrence=str(i),
                    dedupe_key=f"t:{i}:{new_id()}",
                    status="scheduled",
                    scheduled_for=now - timedelta(seconds=1),
                )
            )


def test_concurrent_dispatchers_never_claim_a_message_twice(suite):
    runtime = suite.runtime("notifications")
    _due_messages(runtime, 300)
    claims: list[list[str]] = []
    barrier = threading.Barrier(4)

    def dispatcher():
        barrier.wait()
        mine = []
        while batch := claim_due(runtime.db, utcnow(), batch=25):
            mine.extend(batch)
        claims.append(mine)

    threads = [threading.Thread(target=dispatcher) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    every = [m for batch in claims for m in batch]
    assert len(every) == 300 and len(set(every)) == 300
    with runtime.db.transaction() as session:
        assert (
            session.execute(select(func.count()).where(Message.status == "queued")).scalar() == 300
        )


def _message_rows(runtime, statuses_and_times: list[tuple[str, object]]) -> list[str]:
    """Rows inserted in one statement (fast enough for thousands); returns their ids."""
    now = utcnow()
    rows = [
        {
            "id": new_id(),
            "foundation": "medan-plus",
            "recipient_kind": "staff",
            "recipient_id": new_id(),
            "channel": "log",
            "template": "staff.assessment_due",
            "locale": "id",
            "occurrence": "o",
            "dedupe_key": f"t:{new_id()}",
            "context": "{}",
            "status": status,
            "scheduled_for": when,
            "attempts": 0,
            "created_at": now,
            "updated_at": now,
        }
        for status, when in statuses_and_times
    ]
    with runtime.db.transaction() as session:
        session.execute(insert(Message), rows)
    return [row["id"] for row in rows]


def test_racing_dispatchers_claim_exactly_the_due_rows_once(suite):
    runtime = suite.runtime("notifications")
    now = utcnow()
    due = _message_rows(runtime, [("scheduled", now - timedelta(minutes=i)) for i in range(120)])
    later = _message_rows(runtime, [("scheduled", now + timedelta(hours=1))] * 10)
    settled = _message_rows(
        runtime, [(s, now - timedelta(hours=1)) for s in ("sent", "cancelled", "sending")]
    )
    claims: dict[int, list[str]] = {0: [], 1: []}
    barrier = threading.Barrier(2)

    def dispatcher(me: int) -> None:
        barrier.wait()
        while batch := claim_due(runtime.db, utcnow(), batch=7):
            claims[me].extend(batch)

    threads = [threading.Thread(target=dispatcher, args=(me,)) for me in claims]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    every = claims[0] + claims[1]
    assert sorted(every) == sorted(due)  # each due row once, nothing else
    with runtime.db.transaction() as session:
        status = dict(session.execute(select(Message.id, Message.status)).all())
        stamped = session.execute(
            select(func.count()).where(Message.id.in_(due), Message.queued_at.is_not(None))
        ).scalar()
    assert stamped == len(due)
    assert {status[i] for i in due} == {"queued"}
    assert {status[i] for i in later} == {"scheduled"}
    assert [status[i] for i in settled] == ["sent", "cancelled", "sending"]


def test_claims_look_due_rows_up_by_primary_key_on_sqlite(suite):
    """SQLite once planned the claim's UPDATE on ix_messages_due, walking every row still
    scheduled for each batch: 36x the time for 10x the rows."""
    runtime = suite.runtime("notifications")
    if not runtime.db.is_sqlite:
        pytest.skip("a SQLite query plan")
    _message_rows(runtime, [("scheduled", utcnow() - timedelta(seconds=1))] * 3)
    updates: list[tuple[str, object]] = []

    def remember(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("UPDATE MESSAGES"):
            updates.append((statement, parameters))

    event.listen(runtime.db.engine, "before_cursor_execute", remember)
    try:
        assert len(claim_due(runtime.db, utcnow())) == 3
    finally:
        event.remove(runtime.db.engine, "before_cursor_execute", remember)
    ((statement, parameters),) = updates
    with runtime.db.engine.connect() as conn:
        plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
    details = " ".join(str(row[-1]) for row in plan)
    assert "ix_messages_due" not in details and "(id=?)" in details, details


def _ids_in(sends) -> int:
    return len({message_id for _name, (ids,) in sends for message_id in ids})


def test_a_sweep_hands_off_each_batch_and_stops_at_its_time_budget(suite):
    runtime = suite.runtime("notifications")
    _message_rows(runtime, [("scheduled", utcnow() - timedelta(seconds=1))] * (BATCH + 200))
    suite.take("notifications")

    # no time left after the first batch: the rest waits for the next sweep
    assert dispatch(runtime, budget_seconds=0) == BATCH
    assert _ids_in(suite.take("notifications")) == BATCH
    first_done = utcnow()
    assert dispatch(runtime) == 200
    sends = suite.take("notifications")
    assert _ids_in(sends) == 200 and {name for name, _ in sends} == {SEND_BATCH_TASK}
    assert len(sends) == 200 // SEND_CHUNK  # one broker message per chunk, not per row
    with runtime.db.transaction() as session:
        stamps = session.execute(
            select(Message.queued_at).where(Message.status == "queued")
        ).scalars()
        later = [at for at in stamps if at >= first_done]
    assert len(later) == 200  # each batch carries its own claim time, not the sweep's start


def test_interrupted_sends_are_recovered_under_the_same_id(suite):
    runtime = suite.runtime("notifications")
    _due_messages(runtime, 2)
    claimed = claim_due(runtime.db, utcnow())
    long_ago = utcnow() - timedelta(minutes=10)
    with runtime.db.transaction() as session:
        session.execute(
            Message.__table__.update()
            .where(Message.id == claimed[0])
            .values(status="sending", claimed_at=long_ago)
        )
        session.execute(
            Message.__table__.update().where(Message.id == claimed[1]).values(queued_at=long_ago)
        )
    assert recover_stalled(runtime.db, utcnow()) == 2
    assert sorted(claim_due(runtime.db, utcnow())) == sorted(claimed)


def test_relay_publishes_to_every_subscriber_queue(suite, settings):
    create_foundation(suite)
    suite.flush_publishers()
    broker = redis.Redis.from_url(settings.redis_url)
    assert broker.llen("assessment") == 1 and broker.llen("notifications") == 1
    assert broker.llen("intake") == 0
    # what Flower and task events show of it: the event's type, never the envelope
    headers = json.loads(broker.lindex("notifications", 0))["headers"]
    assert headers["argsrepr"] == "[foundation.saved]" and headers["kwargsrepr"] == "{}"


def test_old_event_bookkeeping_is_pruned_and_recent_kept(suite):
    from shared.events.retention import prune_events

    create_foundation(suite)
    suite.pump()
    runtime = suite.runtime("intake")
    assert prune_events(runtime.db, runtime.tables, utcnow()) == 0  # nothing is old yet
    later = utcnow() + timedelta(days=8)
    assert prune_events(runtime.db, runtime.tables, later) >= 1  # published a week ago: gone
    notifications = suite.runtime("notifications")
    with notifications.db.transaction() as session:
        handled = session.execute(text("SELECT count(*) FROM inbox")).scalar()
        published = session.execute(
            text("SELECT count(*) FROM outbox WHERE published_at IS NOT NULL")
        ).scalar()
    assert handled >= 1  # the foundation and intake's heartbeat reached notifications
    pruned = prune_events(notifications.db, notifications.tables, utcnow() + timedelta(days=8))
    assert pruned == published  # only its own published events are a week old
    with notifications.db.transaction() as session:
        remaining = session.execute(text("SELECT count(*) FROM inbox")).scalar()
    assert remaining == handled  # handled ids stay for 30 days
    prune_events(notifications.db, notifications.tables, utcnow() + timedelta(days=31))
    with notifications.db.transaction() as session:
        assert session.execute(text("SELECT count(*) FROM inbox")).scalar() == 0


def _attempts_of(runtime, event_id: str) -> int | None:
    attempts = runtime.tables.attempts
    with runtime.db.transaction() as session:
        return session.execute(
            select(attempts.c.attempts).where(attempts.c.event_id == event_id)
        ).scalar()


def test_a_first_delivery_writes_no_attempt_but_a_failing_one_counts_until_it_gives_up(suite):
    from shared.events.inbox import MAX_ATTEMPTS, EventConsumer

    create_foundation(suite)
    client = register_client(suite)
    admit(suite, client["id"])
    suite.flush_publishers()
    envelopes = [args[0] for _name, args in suite.take("notifications")]
    admitted = next(e for e in envelopes if e["type"] == "client.admitted")
    runtime = suite.runtime("notifications")

    # a clean first delivery: applied, and no attempt row was written for it
    registered = next(e for e in envelopes if e["type"] == "client.registered")
    assert runtime.consumer.consume(registered, first_delivery=True) == "applied"
    assert _attempts_of(runtime, registered["id"]) is None

    # an event whose handler fails every time: the first delivery counts after failing,
    # every retry or redelivery before running, and after MAX_ATTEMPTS it is settled dead
    def broken(_uow, _event, _newer):
        raise RuntimeError("database went away")

    failing = EventConsumer(
        "notifications",
        runtime.db,
        runtime.tables,
        {"client.admitted": [broken]},
        runtime.unit_of_work,
    )
    with pytest.raises(RuntimeError):
        failing.consume(admitted, first_delivery=True)
    assert _attempts_of(runtime, admitted["id"]) == 1
    for attempt in range(2, MAX_ATTEMPTS + 1):
        with pytest.raises(RuntimeError):
            failing.consume(admitted)
        assert _attempts_of(runtime, admitted["id"]) == attempt
    assert failing.consume(admitted) == "dead"
    # settled: published again later, the real handlers see it as handled, change nothing
    assert runtime.consumer.consume(admitted, first_delivery=True) == "duplicate"
    messages = suite.client("notifications").get(
        f"/messages?client_id={client['id']}", headers=suite.headers()
    )
    assert messages.get_json()["items"] == []


def test_a_task_knows_a_first_delivery_from_a_retry_and_a_redelivery():
    from celery.app.task import Context

    from shared.runtime import first_delivery

    assert first_delivery(Context(retries=0, delivery_info={"redelivered": False}))
    assert first_delivery(Context(retries=0, delivery_info=None))  # run in-process
    assert not first_delivery(Context(retries=1, delivery_info={}))
    assert not first_delivery(Context(retries=0, delivery_info={"redelivered": True}))


def _count_outbox_marks(runtime) -> list[int]:
    """A one-item list counting ``UPDATE outbox`` statements run from now on."""
    marks = [0]

    def count(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("UPDATE OUTBOX"):
            marks[0] += 1

    event.listen(runtime.db.engine, "before_cursor_execute", count)
    return marks


def _intake_publishing_with(suite, publisher: type, mark_interval: float):
    """Intake's runtime, its foundation made, publishing through ``publisher``."""
    create_foundation(suite)
    suite.pump()
    runtime = suite.runtime("intake")
    runtime.publisher = publisher(runtime.relay, mark_interval=mark_interval)
    return runtime


def test_the_publisher_sends_each_commit_at_once_and_marks_many_in_one_write(suite, settings):
    runtime = _intake_publishing_with(suite, BackgroundPublisher, mark_interval=3600)
    marks = _count_outbox_marks(runtime)
    broker = redis.Redis.from_url(settings.redis_url)
    for i in range(10):
        register_client(suite, full_name=f"Klien {i}")
    # every registration reaches the broker without waiting for any mark ...
    deadline = time.monotonic() + 10
    while broker.llen("notifications") < 10 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert broker.llen("notifications") == 10
    assert _unpublished(runtime) == 10 and marks[0] == 0
    # ... and the ten commits are marked published by one write
    runtime.publisher.flush()
    assert _unpublished(runtime) == 0 and marks[0] == 1


@pytest.mark.parametrize("kind", ["background", "inline"])
def test_marks_are_written_once_the_interval_passes_without_a_flush(suite, kind):
    publisher = BackgroundPublisher if kind == "background" else InlinePublisher
    runtime = _intake_publishing_with(suite, publisher, mark_interval=0.2)
    register_client(suite)
    deadline = time.monotonic() + 10
    while _unpublished(runtime) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _unpublished(runtime) == 0


def test_a_worker_publishes_each_commit_before_its_task_ends_and_marks_them_in_one_write(
    suite, settings
):
    runtime = _intake_publishing_with(suite, InlinePublisher, mark_interval=3600)
    marks = _count_outbox_marks(runtime)
    broker = redis.Redis.from_url(settings.redis_url)
    for i in range(5):
        register_client(suite, full_name=f"Klien {i}")
        # on the broker as soon as the commit's unit of work has ended: nothing to wait for
        assert broker.llen("notifications") == i + 1
    assert _unpublished(runtime) == 5 and marks[0] == 0
    runtime.publisher.flush()
    assert _unpublished(runtime) == 0 and marks[0] == 1


def test_a_worker_marks_what_went_out_as_it_shuts_down(suite):
    from celery import signals

    create_foundation(suite)
    suite.pump()
    runtime = in_worker(suite.runtime("intake"))
    runtime.publisher.mark_interval = 3600  # no mark falls due while the test runs
    for i in range(2):
        register_client(suite, full_name=f"Klien {i}")
    assert _unpublished(runtime) == 2
    signals.worker_shutdown.send(sender=None)  # what Celery sends as the worker stops
    assert _unpublished(runtime) == 0


def test_a_worker_that_cannot_reach_the_broker_leaves_its_events_to_the_relay(suite, settings):
    create_foundation(suite)
    suite.pump()
    dead_redis = f"redis://127.0.0.1:{devredis.free_port()}/0"
    offline = create_intake(replace(settings, redis_url=dead_redis))
    runtime = in_worker(offline.extensions["pendamping"])
    for i in range(3):
        answer = offline.test_client().post(
            "/clients", json={"full_name": f"Klien {i}"}, headers=suite.headers()
        )
        assert answer.status_code == 201  # the commit stands; the publish failed after it
    runtime.publisher.flush()
    assert _unpublished(runtime) == 3

    assert suite.runtime("intake").relay.relay_pending(grace_seconds=0) == 3
    assert _unpublished(runtime) == 0
    runtime.db.dispose()


def test_an_event_that_cannot_be_decrypted_is_counted_from_its_first_delivery(suite):
    from shared.events.inbox import MAX_ATTEMPTS

    create_foundation(suite)
    register_client(suite)
    suite.flush_publishers()
    (registered,) = [
        args[0]
        for _name, args in suite.take("notifications")
        if args[0]["type"] == "client.registered"
    ]
    # a personal field sealed under a key this deployment does not have
    other = Fernet(Fernet.generate_key())
    data = dict(registered["data"], first_name=other.encrypt(b"Budi").decode())
    poisoned = dict(registered, data=data)
    runtime = suite.runtime("notifications")
    with pytest.raises(ValueError):
        runtime.consumer.consume(poisoned, first_delivery=True)
    assert _attempts_of(runtime, registered["id"]) == 1
    for _ in range(2, MAX_ATTEMPTS + 1):
        with pytest.raises(ValueError):
            runtime.consumer.consume(poisoned)
    assert runtime.consumer.consume(poisoned) == "dead"  # gives up instead of looping


def test_a_send_task_given_odd_arguments_handles_each_message_once_and_nothing_else(suite):
    runtime = suite.runtime("notifications")
    _message_rows(runtime, [("scheduled", utcnow() - timedelta(seconds=1))] * 2)
    suite.take("notifications")
    assert dispatch(runtime) == 2
    ((_name, (ids,)),) = suite.take("notifications")
    send = runtime.celery.tasks[SEND_BATCH_TASK]
    assert send.run("not-a-list") == [] and send.run(None) == []
    # (staff recipients nobody knows: each is settled `cancelled`, once)
    outcomes = send.run([ids[0], ids[0], {"id": ids[1]}, 7, "no-such-id", ids[1]])
    assert outcomes == ["cancelled", "skipped", "cancelled"]
    with runtime.db.transaction() as session:
        statuses = session.execute(select(Message.status).where(Message.id.in_(ids))).scalars()
        assert sorted(statuses) == ["cancelled", "cancelled"]
