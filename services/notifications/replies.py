"""Replies from families: what one does when the provider brings it. A family contact's
reply is kept once however often it is delivered (who wrote and what it answers:
:mod:`.reply_lookup`), then acted on (:mod:`.reply_actions`); STOP and START opt out and in.

A reply from an address that is no contact of the foundation keeps nothing readable: at most
an opt-out (or its lifting), keyed by a blind index, as STOP/START from anyone always did.
The reply's text is never logged and never travels in an event.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from services.notifications.addresses import address_index
from services.notifications.inbound_receipts import first_receipt
from services.notifications.models import FamilyContact, Reply
from services.notifications.open_questions import OpenQuestion
from services.notifications.opt_outs import lift_opt_out, opt_out
from services.notifications.reply_actions import act_on_reply
from services.notifications.reply_intent import QuestionKind, reply_intent
from services.notifications.reply_lookup import family_contact_by_phone, open_question_of
from shared.crypto import cipher, seal_columns
from shared.db import insert_unless_present, new_id, utcnow
from shared.events.unit_of_work import UnitOfWork
from shared.vocabulary import ReplyIntent


def reply_dedupe_key(
    foundation: str,
    channel: str,
    sender: str,
    text: str,
    received_at: datetime,
    provider_message_id: str | None = None,
) -> str:
    """What makes a redelivered webhook the same reply: the provider's message id when it
    gives one, else the sender, the text and the minute it arrived (a blind index: the key
    reveals none of them)."""
    if provider_message_id:
        basis = f"reply:{foundation}:{channel}:id:{provider_message_id}"
    else:
        minute = received_at.strftime("%Y-%m-%dT%H:%M")
        basis = f"reply:{foundation}:{address_index(sender)}:{minute}:{text}"
    return cipher().blind_index(basis)


def record_reply(
    session: Session,
    contact: FamilyContact,
    *,
    channel: str,
    text: str,
    intent: ReplyIntent,
    question: OpenQuestion | None,
    dedupe_key: str,
    received_at: datetime,
) -> Reply | None:
    """Keep the reply once: ``None`` when one with ``dedupe_key`` is kept already (two
    deliveries at once included: the second insert does nothing)."""
    reply_id = new_id()
    # The text goes under the client's own key, as an ORM write would put it (this insert
    # is Core, which the session's sealing does not see): a client's erasure destroys the
    # key, and no backup reads the family's words after it.
    sealed = Reply(foundation=contact.foundation, client_id=contact.client_id, text=text)
    seal_columns(sealed, session.info.get("key_store"))
    inserted = insert_unless_present(
        session,
        Reply,
        ["dedupe_key"],
        id=reply_id,
        foundation=contact.foundation,
        client_id=contact.client_id,
        contact_id=contact.id,
        channel=channel,
        text=sealed.text,
        intent=intent,
        in_reply_to=question.message_id if question else None,
        session_id=question.session_id if question else None,
        followup_id=question.followup_id if question else None,
        dedupe_key=dedupe_key,
        received_at=received_at,
    )
    if not inserted:
        return None
    return session.get(Reply, reply_id)


def receive_reply(
    uow: UnitOfWork,
    foundation: str,
    channel: str,
    sender: str,
    text: str,
    provider_message_id: str | None = None,
) -> dict[str, Any]:
    """What a reply from ``sender`` does, as the webhook answers it (``action``):
    ``opted_out``, ``opted_in``, ``reply_recorded``, ``duplicate`` or ``ignored``."""
    session = uow.session
    now = utcnow()
    if provider_message_id and not first_receipt(
        session, foundation, channel, provider_message_id, now
    ):
        return {"ok": True, "action": "duplicate"}  # a redelivery, or a captured replay
    contact = family_contact_by_phone(session, foundation, sender)
    question = open_question_of(session, contact, now) if contact is not None else None
    intent = reply_intent(text, question.kind if question else QuestionKind.NONE)
    reply = None
    if contact is not None:
        key = reply_dedupe_key(foundation, channel, sender, text, now, provider_message_id)
        reply = record_reply(
            session,
            contact,
            channel=channel,
            text=text,
            intent=intent,
            question=question,
            dedupe_key=key,
            received_at=now,
        )
        if reply is None:
            return {"ok": True, "action": "duplicate"}
    if intent == ReplyIntent.STOP:
        suppressed = opt_out(session, foundation, channel, sender)
        return {"ok": True, "action": "opted_out", "suppressed": suppressed}
    if intent == ReplyIntent.START:
        lift_opt_out(session, foundation, sender)
        return {"ok": True, "action": "opted_in"}
    if reply is None:  # no contact of this foundation wrote it: nothing is kept or sent
        return {"ok": True, "action": "ignored"}
    act_on_reply(uow, reply, question)
    return {"ok": True, "action": "reply_recorded"}
