"""Who sends a message that an action makes due at once.

The worker that applies an event sends what its handlers scheduled right after the
event's commit (an admission's family welcome, say): no send task to publish and consume.
A web request queues its messages for a worker instead: a request never waits on a
provider. The local provider's request log shows what went out, and when.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from services.notifications.dispatcher import (
    SEND_BATCH_TASK,
    SEND_CHUNK,
    dispatch,
    dispatch_after_commit,
    recover_stalled,
)
from services.notifications.models import FamilyContact, Message
from services.notifications.scheduling import family_recipient, schedule_message
from shared.db import utcnow
from shared.events.outbox import task_name
from tests.support.factories import admit, create_foundation, register_client
from tests.support.provider import send_sms_through

pytestmark = pytest.mark.integration


@pytest.fixture
def family(suite, provider) -> dict:
    """A foundation sending sms through ``provider``; a consenting client with one family
    contact on sms, registered and settled (not yet admitted)."""
    create_foundation(suite)
    send_sms_through(suite, provider)
    client = register_client(
        suite,
        family_contacts=[
            {"name": "Siti", "relationship": "mother", "phone": "0812-3456-7890", "channel": "sms"}
        ],
    )
    suite.pump()
    return client


def apply_events(suite, service: str) -> list[tuple[str, list]]:
    """Apply the events waiting on ``service``'s queue as its worker does; returns the other
    tasks that were waiting there."""
    suite.flush_publishers()
    others = []
    for name, args in suite.take(service):
        if name == task_name(service):
            suite.run_task(service, name, args)
        else:
            others.append((name, args))
    return others


def welcomes(suite, client_id: str) -> list[Message]:
    with suite.runtime("notifications").db.reading() as session:
        return list(
            session.execute(
                select(Message).where(
                    Message.client_id == client_id, Message.template == "family.welcome"
                )
            ).scalars()
        )


def write_to_family(suite, family: dict, text: str) -> str:
    """A social worker writes to the client's family contact (a web request); the
    message's id."""
    contact_id = family["family_contacts"][0]["id"]
    response = suite.client("notifications").post(
        f"/conversations/{contact_id}/messages", json={"text": text}, headers=suite.headers()
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def requested(provider) -> list[str]:
    """Every request's idempotency key (the message id), repeats included."""
    return [r.header("Idempotency-Key") for r in provider.requests]


def test_the_worker_that_applies_an_admission_sends_the_family_welcome_itself(
    suite, provider, family
):
    admit(suite, family["id"])
    apply_events(suite, "intake")
    apply_events(suite, "assessment")
    left = apply_events(suite, "notifications")  # client.admitted, among others

    (welcome,) = welcomes(suite, family["id"])
    assert welcome.status == "sent"
    assert requested(provider) == [welcome.id]
    # no send task was queued for it, now or by the events the admission caused meanwhile
    suite.pump()
    assert SEND_BATCH_TASK not in {name for name, _ in left}
    assert requested(provider) == [welcome.id], "the welcome went out once"


def test_a_message_a_web_request_schedules_is_queued_for_a_worker_not_sent_by_the_request(
    suite, provider, family
):
    message_id = write_to_family(suite, family, "Ada jadwal kunjungan hari Kamis.")
    assert requested(provider) == []  # the request did not wait on the provider
    sends = [(name, args) for name, args in suite.take("notifications") if name == SEND_BATCH_TASK]
    assert sends == [(SEND_BATCH_TASK, [[message_id]])]

    suite.run_task("notifications", SEND_BATCH_TASK, sends[0][1])
    assert requested(provider) == [message_id]


def test_more_than_a_chunk_made_due_at_once_the_first_chunk_is_sent_here_the_rest_queued(
    suite, provider, family
):
    runtime = suite.runtime("notifications")
    due = utcnow() - timedelta(minutes=1)
    suite.take("notifications")
    with runtime.unit_of_work() as uow:
        uow.applies_delivered_event = True  # as the inbox marks a worker's event
        contact = uow.session.execute(
            select(FamilyContact).where(FamilyContact.client_id == family["id"])
        ).scalar_one()
        messages = [
            schedule_message(
                uow,
                recipient=family_recipient(contact),
                template="family.direct",
                occurrence=f"direct:{n}",
                due=due,
                context={"text": f"Pesan {n}"},
                client_id=family["id"],
                subject_id=contact.id,
            )
            for n in range(SEND_CHUNK + 5)
        ]
        ids = [m.id for m in messages]
        dispatch_after_commit(uow, messages)
        assert requested(provider) == [], "nothing goes out before the commit"

    sent_here = requested(provider)
    assert len(sent_here) == SEND_CHUNK and set(sent_here) < set(ids)
    ((name, (queued,)),) = suite.take("notifications")
    assert name == SEND_BATCH_TASK
    assert sorted(queued) == sorted(set(ids) - set(sent_here))

    suite.run_task("notifications", SEND_BATCH_TASK, [queued])
    assert sorted(requested(provider)) == sorted(ids), "each message once"


def test_a_message_whose_send_task_is_lost_is_recovered_and_sent_once(suite, provider, family):
    """The request claims the message (``queued``) when it schedules it, so no sweep sends
    it meanwhile. Its send task lost (a Redis restart, say), the sweep's recovery puts it
    back on the schedule after the queued timeout, and it goes out once."""
    message_id = write_to_family(suite, family, "Ibu, jadwal kunjungan pindah ke hari Jumat.")
    runtime = suite.runtime("notifications")
    with runtime.db.reading() as session:
        message = session.get(Message, message_id)
        assert message is not None and message.status == "queued"
        assert message.queued_at is not None
    # a sweep before the timeout leaves it to the send task it was queued with
    assert dispatch(runtime) == 0
    lost = [args for name, args in suite.take("notifications") if name == SEND_BATCH_TASK]
    assert lost == [[[message_id]]]

    timeout = timedelta(seconds=runtime.settings.queued_timeout_seconds + 1)
    assert recover_stalled(runtime.db, utcnow() + timeout) == 1
    assert dispatch(runtime) == 1
    for name, args in suite.take("notifications"):
        suite.run_task("notifications", name, args)
    assert requested(provider) == [message_id], "sent once, after the recovery"


def test_messages_claimed_in_an_event_transaction_that_fails_are_neither_kept_nor_sent(
    suite, provider, family
):
    """The claim is part of the event's transaction: when a later handler fails, the
    messages, their claims and their sends go with it, and the event's redelivery starts
    afresh."""
    runtime = suite.runtime("notifications")
    with pytest.raises(RuntimeError), runtime.unit_of_work() as uow:
        uow.applies_delivered_event = True  # as the inbox marks a worker's event
        contact = uow.session.execute(
            select(FamilyContact).where(FamilyContact.client_id == family["id"])
        ).scalar_one()
        message = schedule_message(
            uow,
            recipient=family_recipient(contact),
            template="family.direct",
            occurrence="direct:failed-event",
            due=utcnow(),
            context={"text": "Pesan"},
            client_id=family["id"],
            subject_id=contact.id,
        )
        dispatch_after_commit(uow, [message])
        raise RuntimeError("a later handler of the same event failed")

    assert requested(provider) == []
    with runtime.db.reading() as session:
        kept = session.execute(
            select(Message).where(Message.occurrence == "direct:failed-event")
        ).all()
    assert kept == []
