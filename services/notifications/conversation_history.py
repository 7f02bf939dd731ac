"""Loading a family contact's conversation: who it is with, and every message and reply.

A contact that intake removed (or whose client withdrew consent) is deleted here, but its
history stays part of the case: the messages sent to it and its replies still name its id.
Such a conversation is shown from that history (its channel: the last message's).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from services.notifications.conversations import (
    ConversationItem,
    in_order,
    message_moment,
    message_text,
    window_open_until,
)
from services.notifications.models import FamilyContact, Message, Reply
from services.notifications.templates import decode_context
from shared.vocabulary import Channel, ConversationItemKind, RecipientKind


@dataclass(frozen=True)
class Party:
    """Who a conversation is with. ``contact``: the contact as known now; ``None`` when it
    was removed and only its history remains."""

    contact_id: str
    client_id: str | None
    channel: str
    contact: FamilyContact | None


def _to_contact(foundation: str, contact_id: str) -> Any:
    return (
        Message.foundation == foundation,
        Message.recipient_kind == RecipientKind.FAMILY,
        Message.recipient_id == contact_id,
    )


def find_party(session: Session, foundation: str, contact_id: str) -> Party | None:
    """The contact ``contact_id`` of ``foundation``, else what its history says of it;
    ``None`` when the foundation never knew such a contact."""
    contact = session.execute(
        select(FamilyContact).where(
            FamilyContact.id == contact_id, FamilyContact.foundation == foundation
        )
    ).scalar()
    if contact is not None:
        return Party(contact.id, contact.client_id, contact.channel, contact)
    last_message = session.execute(
        select(Message.client_id, Message.channel)
        .where(*_to_contact(foundation, contact_id))
        .order_by(Message.created_at.desc())
        .limit(1)
    ).first()
    last_reply = session.execute(
        select(Reply.client_id, Reply.channel)
        .where(Reply.foundation == foundation, Reply.contact_id == contact_id)
        .order_by(Reply.received_at.desc())
        .limit(1)
    ).first()
    latest = last_message if last_message is not None else last_reply
    if latest is None:
        return None
    client_id = latest.client_id or (last_reply.client_id if last_reply is not None else None)
    return Party(contact_id, client_id, latest.channel, None)


def last_whatsapp_reply_at(session: Session, foundation: str, contact_id: str) -> datetime | None:
    """When the contact last wrote over WhatsApp (what opens the free-text window)."""
    return last_whatsapp_replies(session, foundation, [contact_id]).get(contact_id)


def last_whatsapp_replies(
    session: Session, foundation: str, contact_ids: list[str]
) -> dict[str, datetime]:
    """When each of the foundation's ``contact_ids`` last wrote over WhatsApp, in one
    query (a contact that never did is left out)."""
    rows = session.execute(_LAST_WHATSAPP_REPLIES, {"foundation": foundation, "ids": contact_ids})
    return {contact_id: last_reply_at for contact_id, last_reply_at in rows}


_LAST_WHATSAPP_REPLIES = (
    select(Reply.contact_id, func.max(Reply.received_at))
    .where(
        Reply.foundation == bindparam("foundation"),
        Reply.contact_id.in_(bindparam("ids", expanding=True)),
        Reply.channel == Channel.WHATSAPP,
    )
    .group_by(Reply.contact_id)
)


def _sent(message: Message) -> ConversationItem:
    direct_text = None
    if message.body is None:
        direct_text = decode_context(message.context).get("text")
    return ConversationItem(
        kind=ConversationItemKind.SENT,
        id=message.id,
        at=message_moment(
            message.status, message.sent_at, message.scheduled_for, message.updated_at
        ),
        channel=message.channel,
        text=message_text(message.template, message.body, direct_text),
        template=message.template,
        status=message.status,
        reason_code=message.reason_code,
    )


def _received(reply: Reply) -> ConversationItem:
    return ConversationItem(
        kind=ConversationItemKind.RECEIVED,
        id=reply.id,
        at=reply.received_at,
        channel=reply.channel,
        text=reply.text,
        intent=reply.intent,
    )


def conversation(session: Session, foundation: str, party: Party) -> dict[str, Any]:
    """The conversation as ``GET /conversations/{contact_id}`` shows it."""
    messages = session.execute(select(Message).where(*_to_contact(foundation, party.contact_id)))
    replies = session.execute(
        select(Reply).where(Reply.foundation == foundation, Reply.contact_id == party.contact_id)
    )
    items = [_sent(m) for m in messages.scalars()] + [_received(r) for r in replies.scalars()]
    last_reply = last_whatsapp_reply_at(session, foundation, party.contact_id)
    return {
        "contact_id": party.contact_id,
        "client_id": party.client_id,
        "channel": party.channel,
        "window_open_until": window_open_until(party.channel, last_reply),
        "items": in_order(items),
    }
