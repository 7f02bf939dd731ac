"""What a family's reply sets off, once it is kept.

- an RSVP or a check-in answer: ``family.replied`` to assessment (through the outbox, in the
  reply's transaction) and ``family.reply_thanks`` to the family;
- an RSVP "no" or "later", or free text: ``staff.family_replied`` to the case worker (free
  text at most once per contact and hour: a family writing five lines is one alert);
- a check-in asking for help: ``staff.family_needs_help`` at once, night or not.

Every message goes through the ordinary schedule, so consent, opt-outs and quiet hours
apply to it as to any other. Staff messages never carry the family's words: the case worker
reads them in the console.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from services.notifications.dispatcher import dispatch_after_commit
from services.notifications.models import ClientRecord, FamilyContact, Message, Reply
from services.notifications.open_questions import OpenQuestion
from services.notifications.scheduling import (
    calendar_of,
    family_recipient,
    schedule_message,
    staff_recipient,
    staff_to_notify,
)
from shared.events.unit_of_work import UnitOfWork
from shared.vocabulary import CHECKIN_INTENTS, RSVP_INTENTS, ReplyIntent

ANSWERS: Final = frozenset({*RSVP_INTENTS, *CHECKIN_INTENTS})
#: Answers the case worker hears of: the family will not come as planned.
TELL_CASE_WORKER: Final = frozenset({ReplyIntent.RSVP_NO, ReplyIntent.RSVP_LATER})


#: A family writing several lines is one alert: free text tells staff at most this often.
FREE_TEXT_ALERT_EVERY: Final = timedelta(hours=1)
FREE_TEXT_ALERT: Final = "staff.family_replied"


def free_text_alert_due(last_alert_at: datetime | None, received_at: datetime) -> bool:
    """Whether a contact's free text received at ``received_at`` tells staff: not when
    their free text already did within the hour before (a rolling hour, not the clock's:
    texts at 10:59 and 11:00 are one alert)."""
    return last_alert_at is None or received_at - last_alert_at >= FREE_TEXT_ALERT_EVERY


def publish_answer(uow: UnitOfWork, reply: Reply) -> None:
    """``family.replied``: what the reply means, for assessment (never its text)."""
    uow.emit(
        "family.replied",
        subject=reply.contact_id,
        foundation=reply.foundation,
        data={
            "reply_id": reply.id,
            "client_id": reply.client_id,
            "contact_id": reply.contact_id,
            "intent": reply.intent,
            "answered_at": reply.received_at,
            "session_id": reply.session_id,
            "followup_id": reply.followup_id,
        },
    )


def _thank_family(
    uow: UnitOfWork, reply: Reply, client: ClientRecord, question: OpenQuestion | None
) -> Message | None:
    contact = uow.session.get(FamilyContact, reply.contact_id)
    if contact is None or not client.contact_family:
        return None
    return schedule_message(
        uow,
        recipient=family_recipient(contact),
        template="family.reply_thanks",
        occurrence=f"reply:{reply.id}",
        due=reply.received_at,
        context={"intent": reply.intent, "starts_at": question.starts_at if question else None},
        client_id=reply.client_id,
        subject_id=reply.id,
    )


def _tell_staff(
    uow: UnitOfWork,
    reply: Reply,
    client: ClientRecord,
    template: str,
    occurrence: str,
    **context: Any,
) -> list[Message | None]:
    calendar = calendar_of(uow.session, reply.foundation)
    return [
        schedule_message(
            uow,
            recipient=staff_recipient(member, calendar.locale),
            template=template,
            occurrence=occurrence,
            due=reply.received_at,
            context={"client_code": client.code, **context},
            client_id=reply.client_id,
            subject_id=reply.id,
        )
        for member in staff_to_notify(uow, reply.foundation, client.case_worker_id, admins=False)
    ]


def _tell_staff_once_an_hour(
    uow: UnitOfWork, reply: Reply, client: ClientRecord
) -> list[Message | None]:
    """``staff.family_replied`` for free text, unless this contact's free text told staff
    within the hour. The contact's row is locked first, so texts delivered at once take
    turns and the later ones see the first one's alert; the savepoint keeps a collision on
    the message's unique key (SQLite's turns aside) from failing the webhook."""
    session = uow.session
    session.execute(
        select(FamilyContact.id).where(FamilyContact.id == reply.contact_id).with_for_update()
    )
    prefix = f"contact:{reply.contact_id}@"
    last_alert_at = session.execute(
        select(func.max(Message.created_at)).where(
            Message.foundation == reply.foundation,
            Message.client_id == reply.client_id,
            Message.template == FREE_TEXT_ALERT,
            Message.occurrence.startswith(prefix, autoescape=True),
        )
    ).scalar()
    if not free_text_alert_due(last_alert_at, reply.received_at):
        return []
    occurrence = f"{prefix}{reply.received_at.isoformat()}"
    try:
        with session.begin_nested():
            return _tell_staff(uow, reply, client, FREE_TEXT_ALERT, occurrence, intent=reply.intent)
    except IntegrityError:
        return []


def act_on_reply(uow: UnitOfWork, reply: Reply, question: OpenQuestion | None) -> None:
    """Publish, thank and alert as the reply's intent asks (see the module)."""
    client = uow.session.get(ClientRecord, reply.client_id)
    if client is None or client.foundation != reply.foundation:
        return
    intent = ReplyIntent(reply.intent)
    starts_at = question.starts_at if question else None
    messages: list[Message | None] = []
    if intent in ANSWERS:
        publish_answer(uow, reply)
        messages.append(_thank_family(uow, reply, client, question))
    if intent in TELL_CASE_WORKER:
        messages += _tell_staff(
            uow,
            reply,
            client,
            "staff.family_replied",
            f"reply:{reply.id}",
            intent=intent,
            starts_at=starts_at,
        )
    elif intent == ReplyIntent.CHECKIN_HELP:
        messages += _tell_staff(uow, reply, client, "staff.family_needs_help", f"reply:{reply.id}")
    elif intent == ReplyIntent.TEXT:
        messages += _tell_staff_once_an_hour(uow, reply, client)
    dispatch_after_commit(uow, messages)
