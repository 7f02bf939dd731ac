"""A staff member writes to a family contact: a ``family.direct`` message, scheduled under
every rule a family message goes under (:func:`services.notifications.conversations.
direct_message_refusal`), then sent like any other message: the send decision checks
consent, opt-out and quiet hours again when it goes.

The text is personal data: it lives only in the message's encrypted context (and, once
sent, its encrypted body); it never reaches a log line or an event.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from services.notifications.consent import family_message_refusal
from services.notifications.conversation_history import find_party, last_whatsapp_reply_at
from services.notifications.conversations import (
    DIRECT_TEMPLATE,
    direct_message_refusal,
    window_open_until,
)
from services.notifications.dispatcher import dispatch_after_commit
from services.notifications.models import ClientRecord, Message
from services.notifications.opt_outs import is_opted_out
from services.notifications.quiet_hours import defer_past_quiet_hours
from services.notifications.scheduling import (
    calendar_of,
    dedupe_key,
    family_recipient,
    schedule_message,
)
from shared.db import new_id, utcnow
from shared.events.unit_of_work import UnitOfWork
from shared.problems import Conflict, NotFound


def _occurrence(contact_id: str, request_key: str | None) -> str:
    # every answer is its own occurrence (staff may write the same words twice), unless the
    # caller names the request: then a repeat of it (a double click, a retried POST) is one
    return f"direct:{request_key}" if request_key else f"direct:{new_id()}"


def _already_written(session, foundation: str, contact_id: str, occurrence: str):
    return session.execute(
        select(Message).where(
            Message.foundation == foundation,
            Message.dedupe_key == dedupe_key(DIRECT_TEMPLATE, contact_id, occurrence),
        )
    ).scalar()


def write_to_family(
    uow: UnitOfWork, foundation: str, contact_id: str, text: str, request_key: str | None = None
) -> tuple[Message, bool]:
    """Schedule ``text`` for the contact ``contact_id`` of ``foundation`` (due now, or at
    the end of quiet hours) and queue it right after the commit. Returns the message and
    whether it is new: with ``request_key`` (the request's ``Idempotency-Key``) a request
    already answered returns its message again, whatever the rules say by now.

    Raises :class:`NotFound` (``contact_not_found``) for a contact the foundation never
    knew, :class:`Conflict` with the refusal's code when the message may not go."""
    session = uow.session
    party = find_party(session, foundation, contact_id)
    if party is None:
        raise NotFound(code="contact_not_found")
    occurrence = _occurrence(party.contact_id, request_key)
    earlier = _already_written(session, foundation, party.contact_id, occurrence)
    if earlier is not None:
        return earlier, False
    contact = party.contact
    client = None
    if contact is not None:
        client = session.execute(
            select(ClientRecord).where(
                ClientRecord.id == contact.client_id, ClientRecord.foundation == foundation
            )
        ).scalar()
    recipient = family_recipient(contact) if contact is not None else None
    opted_out = bool(
        recipient and recipient.address and is_opted_out(session, foundation, recipient.address)
    )
    now = utcnow()
    calendar = calendar_of(session, foundation)
    goes_at = defer_past_quiet_hours(
        now, calendar.timezone, calendar.quiet_start, calendar.quiet_end
    )
    window = window_open_until(
        party.channel, last_whatsapp_reply_at(session, foundation, party.contact_id)
    )
    refusal = direct_message_refusal(
        family_message_refusal(client, contact, DIRECT_TEMPLATE),
        opted_out,
        party.channel,
        window,
        goes_at,
    )
    if refusal is not None or recipient is None:
        raise Conflict(code=refusal or "no_consent")
    try:
        # A twin request writing the same message at this moment holds its row uncommitted:
        # this insert waits for it, and fails once the twin commits. The savepoint keeps
        # the failure from taking the request's transaction with it.
        with session.begin_nested():
            message = schedule_message(
                uow,
                recipient=recipient,
                template=DIRECT_TEMPLATE,
                occurrence=occurrence,
                due=now,
                context={"text": text},
                client_id=party.client_id,
            )
    except IntegrityError:
        message = None
    if message is None:  # the same request, written a moment ago by a twin
        earlier = _already_written(session, foundation, party.contact_id, occurrence)
        if earlier is not None:  # the twin committed: this is its answer too
            return earlier, False
        raise Conflict(code="request_in_progress")
    dispatch_after_commit(uow, [message])
    return message, True
