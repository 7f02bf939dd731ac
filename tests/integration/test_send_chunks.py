"""A morning's due messages through the sms channel to a real (local) provider: the
dispatcher keeps at most ``max_waiting_sends`` of them waiting ``queued``, and a send task
claims its chunk's messages together, each once, each on the consent that holds then. The
provider's request log is the witness of what went out."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import select, text

from services.notifications.chunk_facts import ChunkFacts
from services.notifications.delivery import send_chunk
from services.notifications.dispatcher import SEND_BATCH_TASK, dispatch
from services.notifications.models import FamilyContact, Message
from services.notifications.opt_outs import opt_out
from services.notifications.scheduling import family_recipient, schedule_message
from shared.db import utcnow
from tests.support.factories import create_foundation, register_client
from tests.support.provider import send_sms_through
from tests.support.suite import Suite

pytestmark = pytest.mark.integration

CAP = 5


def start_suite(settings, provider) -> Suite:
    """The three services on ``settings``, a foundation whose sms goes to ``provider``."""
    running = Suite.start(settings)
    running.take("intake"), running.take("assessment"), running.take("notifications")
    running.heartbeat()  # notifications sends family messages only on fresh consent data
    running.pump()
    create_foundation(running)
    send_sms_through(running, provider)
    return running


def close(running: Suite) -> None:
    for service in ("intake", "assessment", "notifications"):
        running.runtime(service).publisher.flush()
        running.runtime(service).db.dispose()


@pytest.fixture
def suite(settings, provider):
    running = start_suite(settings, provider)
    yield running
    close(running)


@pytest.fixture
def capped_suite(settings, provider):
    running = start_suite(replace(settings, max_waiting_sends=CAP), provider)
    yield running
    close(running)


def families(suite, count: int) -> list[str]:
    """``count`` consenting clients with one family contact on sms each; their ids."""
    ids = [
        register_client(
            suite,
            full_name=f"Klien Pagi {i}",
            family_contacts=[
                {
                    "name": f"Ibu {i}",
                    "relationship": "mother",
                    "phone": f"0812000000{i:02d}",
                    "channel": "sms",
                }
            ],
            consent={"contact_family": True, "share_progress": True},
        )["id"]
        for i in range(count)
    ]
    suite.pump()
    return ids


def due_overnight(suite, client_ids: list[str]) -> list[str]:
    """A progress update per client's contact, held overnight and due now (as the event
    handlers schedule it, due a minute ago); the message ids, in the clients' order."""
    runtime = suite.runtime("notifications")
    due = utcnow() - timedelta(minutes=1)
    ids = []
    with runtime.unit_of_work() as uow:
        for client_id in client_ids:
            contact = uow.session.execute(
                select(FamilyContact).where(FamilyContact.client_id == client_id)
            ).scalar_one()
            message = schedule_message(
                uow,
                recipient=family_recipient(contact),
                template="family.progress_update",
                occurrence=f"placement:{client_id}",
                due=due,
                context={"program_name": "Rawat Jalan", "start_on": date.today()},
                client_id=client_id,
                subject_id=client_id,
            )
            ids.append(message.id)
    return ids


def statuses(suite, message_ids: list[str]) -> list[str]:
    with suite.runtime("notifications").db.reading() as db:
        found = dict(
            db.execute(select(Message.id, Message.status).where(Message.id.in_(message_ids))).all()
        )
    return [found[m] for m in message_ids]


def count(values: list[str]) -> dict[str, int]:
    return {v: values.count(v) for v in sorted(set(values))}


def queued_chunk(suite) -> list[str]:
    """Dispatch what is due and take its one send task off the queue: its message ids."""
    assert dispatch(suite.runtime("notifications")) > 0
    (task,) = suite.take("notifications")
    assert task[0] == SEND_BATCH_TASK
    return task[1][0]


def requested(provider) -> list[str]:
    """Every request's idempotency key (the message id), repeats included."""
    return [r.header("Idempotency-Key") for r in provider.requests]


def test_the_dispatcher_leaves_due_rows_scheduled_while_the_waiting_cap_is_reached(
    capped_suite, provider
):
    suite = capped_suite
    messages = due_overnight(suite, families(suite, 12))
    runtime = suite.runtime("notifications")

    assert dispatch(runtime) == CAP
    assert count(statuses(suite, messages)) == {"queued": CAP, "scheduled": 12 - CAP}
    assert dispatch(runtime) == 0  # nobody took the waiting ones yet: no room
    assert count(statuses(suite, messages)) == {"queued": CAP, "scheduled": 12 - CAP}

    suite.pump()  # a worker takes the waiting sends
    assert count(statuses(suite, messages)) == {"scheduled": 12 - CAP, "sent": CAP}
    assert dispatch(runtime) == CAP  # a later sweep takes the next ones
    suite.pump()
    assert dispatch(runtime) == 12 - 2 * CAP
    suite.pump()
    assert statuses(suite, messages) == ["sent"] * 12
    assert sorted(requested(provider)) == sorted(messages)  # each sent once


def test_a_chunk_sends_the_others_and_not_the_message_whose_consent_was_withdrawn(suite, provider):
    clients = families(suite, 3)
    messages = due_overnight(suite, clients)
    chunk = queued_chunk(suite)
    assert sorted(chunk) == sorted(messages)
    response = suite.client("intake").put(
        f"/clients/{clients[1]}/consent",
        headers=suite.headers(),
        json={"contact_family": False, "share_progress": False},
    )
    assert response.status_code == 200, response.get_json()
    suite.pump()
    # the withdrawal cancelled it; queued again anyway (as if recovered meanwhile), the
    # send task's own consent check is what must stop it
    assert statuses(suite, messages)[1] == "cancelled"
    with suite.runtime("notifications").db.transaction() as db:
        db.execute(text("UPDATE messages SET status = 'queued' WHERE id = :m"), {"m": messages[1]})

    suite.run_task("notifications", SEND_BATCH_TASK, [chunk])

    assert statuses(suite, messages) == ["sent", "cancelled", "sent"]
    with suite.runtime("notifications").db.reading() as db:
        withdrawn = db.get(Message, messages[1])
        assert (withdrawn.reason_code, withdrawn.attempts) == ("consent_withdrawn", 0)
    assert sorted(requested(provider)) == sorted([messages[0], messages[2]])


def test_a_message_another_worker_claimed_is_not_sent_again(suite, provider):
    messages = due_overnight(suite, families(suite, 3))
    chunk = queued_chunk(suite)
    with suite.runtime("notifications").db.transaction() as db:  # another worker's claim
        db.execute(
            text("UPDATE messages SET status = 'sending', claimed_at = :now WHERE id = :m"),
            {"m": messages[1], "now": utcnow()},
        )

    outcomes = send_chunk(suite.runtime("notifications"), chunk)

    assert dict(zip(chunk, outcomes, strict=True)) == {
        messages[0]: "sent",
        messages[1]: "skipped",
        messages[2]: "sent",
    }
    assert sorted(requested(provider)) == sorted([messages[0], messages[2]])


def test_the_same_chunk_run_by_two_workers_at_once_sends_each_message_once(suite, provider):
    messages = due_overnight(suite, families(suite, 8))
    chunk = queued_chunk(suite)
    runtime = suite.runtime("notifications")
    outcomes: list[list[str]] = []
    workers = [
        threading.Thread(target=lambda: outcomes.append(send_chunk(runtime, chunk)))
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)

    assert statuses(suite, messages) == ["sent"] * 8
    assert sorted(requested(provider)) == sorted(messages)  # one request per message
    for first, second in zip(*outcomes, strict=True):  # one sent it, the other found it taken
        assert sorted([first, second]) == ["sent", "skipped"]


def test_claims_older_than_the_chunk_trusts_are_read_again_and_sent_once(suite, provider):
    messages = due_overnight(suite, families(suite, 4))
    chunk = queued_chunk(suite)

    # every claim is already too old for the message after it: each is given back and
    # claimed again, its consent read again, before it goes
    outcomes = send_chunk(suite.runtime("notifications"), chunk, ChunkFacts(fresh_for=0))

    assert outcomes == ["sent"] * 4
    assert sorted(requested(provider)) == sorted(messages)
    with suite.runtime("notifications").db.reading() as db:
        attempts = db.execute(select(Message.attempts).where(Message.id.in_(messages))).scalars()
        assert list(attempts) == [1] * 4  # a claim given back was no attempt


def test_a_chunk_of_two_foundations_reads_each_message_within_its_own(suite, provider):
    """One family phone known to two foundations, which opted out of only one of them: a
    chunk holding both foundations' messages sends the other's and suppresses this one's."""
    other = "rumah-harapan"
    create_foundation(suite, other)
    send_sms_through(suite, provider, other)
    phone = "0812-3456-7000"
    clients = [
        register_client(
            suite,
            foundation,
            family_contacts=[
                {"name": "Ibu", "relationship": "mother", "phone": phone, "channel": "sms"}
            ],
            consent={"contact_family": True, "share_progress": True},
        )["id"]
        for foundation in ("medan-plus", other)
    ]
    suite.pump()
    messages = due_overnight(suite, clients)
    chunk = queued_chunk(suite)
    assert sorted(chunk) == sorted(messages)
    with suite.runtime("notifications").db.transaction() as db:
        opt_out(db, other, "sms", phone)  # a STOP sent to the other foundation only
        # suppressed by the opt-out; queued again anyway (as if recovered meanwhile), the
        # send task's own check is what must stop it
        db.execute(text("UPDATE messages SET status = 'queued' WHERE id = :m"), {"m": messages[1]})

    suite.run_task("notifications", SEND_BATCH_TASK, [chunk])

    assert statuses(suite, messages) == ["sent", "suppressed"]
    assert requested(provider) == [messages[0]]
