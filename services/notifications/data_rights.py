"""A client's rights over what notifications holds (UU PDP 27/2022): a copy of all of it
(:func:`export_part`, an access request) and its erasure (:func:`erase_client`).

Erasure cancels every message still waiting (``client_erased``) and empties every personal
value: the client's first name, the family contacts' names, phones and e-mails with their
blind indexes, the names, addresses, bodies and template values of the client's messages,
and the family's replies. Kept are ids, statuses, dates, channels and counts. An opt-out is
kept too: it holds only a blind index of an address, belongs to no client, and a family that
said STOP must stay opted out.

It writes with plain SQL statements, which need no client key: it still works after the key
is destroyed (a retried request, ``client.erased``), and runs again harmlessly.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, literal, select, update
from sqlalchemy.orm import Session

from services.notifications.models import ClientRecord, FamilyContact, Message, OptOut, Reply
from shared.codes import reason_text
from shared.db import rowcount
from shared.vocabulary import PENDING_MESSAGE_STATUSES, MessageStatus, RecipientKind

ERASED_REASON = "client_erased"

#: Per table, the personal columns erasure empties: NULL where the column allows it, else
#: the empty value (a message's template values: an empty JSON object).
ERASED_COLUMNS: dict[type, dict[str, Any]] = {
    ClientRecord: {"first_name": ""},
    FamilyContact: {
        "name": "",
        "phone": None,
        "email": None,
        "phone_index": None,
        "email_index": None,
    },
    Message: {"recipient_name": None, "address": None, "body": None, "context": "{}"},
    # a reply's dedupe key is a blind index of the sender's address and the text: it goes too
    Reply: {"text": "", "dedupe_key": literal("erased:") + Reply.__table__.c.id},
}


class ForeignClient(Exception):
    """The client belongs to another foundation here: its data is none of this request's."""


def check_owner(session: Session, foundation: str | None, client_id: str) -> None:
    """Raise :class:`ForeignClient` when notifications knows ``client_id`` under another
    foundation (a client it does not know at all has nothing here, and is answered so)."""
    client = session.get(ClientRecord, client_id)
    if client is not None and client.foundation != foundation:
        raise ForeignClient(client_id)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_part(session: Session, foundation: str, client_id: str) -> dict[str, Any]:
    """Everything notifications holds about the client, decrypted, as JSON-ready values."""
    client = session.get(ClientRecord, client_id)
    if client is not None and client.foundation != foundation:
        client = None
    return {
        "client": None
        if client is None
        else {
            "id": client.id,
            "code": client.code,
            "first_name": client.first_name or None,
            "status": client.status,
            "case_worker_id": client.case_worker_id,
            "episode_id": client.episode_id,
        },
        "consent": None
        if client is None
        else {"contact_family": client.contact_family, "share_progress": client.share_progress},
        "family_contacts": _contacts(session, foundation, client_id),
        "messages": _messages(session, foundation, client_id),
        "replies": [
            {
                "id": r.id,
                "contact_id": r.contact_id,
                "channel": r.channel,
                "text": r.text or None,
                "intent": r.intent,
                "in_reply_to": r.in_reply_to,
                "received_at": _iso(r.received_at),
                "read_at": _iso(r.read_at),
            }
            for r in session.execute(
                select(Reply)
                .where(Reply.foundation == foundation, Reply.client_id == client_id)
                .order_by(Reply.received_at, Reply.id)
            ).scalars()
        ],
    }


def _contacts(session: Session, foundation: str, client_id: str) -> list[dict[str, Any]]:
    """The family contacts notifications may message, each with whether its address asked
    for no more messages (an opt-out is found by the same blind index as the contact)."""
    contacts = list(
        session.execute(
            select(FamilyContact)
            .where(FamilyContact.foundation == foundation, FamilyContact.client_id == client_id)
            .order_by(FamilyContact.id)
        ).scalars()
    )
    indexes = {i for c in contacts for i in (c.phone_index, c.email_index) if i}
    opted_out = (
        set(
            session.execute(
                select(OptOut.address_index).where(
                    OptOut.foundation == foundation, OptOut.address_index.in_(indexes)
                )
            ).scalars()
        )
        if indexes
        else set()
    )
    return [
        {
            "id": c.id,
            "name": c.name or None,
            "relationship": c.relationship_,
            "phone": c.phone or None,
            "email": c.email or None,
            "channel": c.channel,
            "locale": c.locale,
            "opted_out": bool({c.phone_index, c.email_index} & opted_out),
        }
        for c in contacts
    ]


def _messages(session: Session, foundation: str, client_id: str) -> list[dict[str, Any]]:
    """The messages about the client, to its family and to staff (a staff member's address
    is theirs, not the client's: it is left out)."""
    rows = session.execute(
        select(Message)
        .where(Message.foundation == foundation, Message.client_id == client_id)
        .order_by(Message.created_at, Message.id)
    ).scalars()
    return [
        {
            "id": m.id,
            "template": m.template,
            "channel": m.channel,
            "locale": m.locale,
            "status": m.status,
            "reason_code": m.reason_code,
            "recipient": {
                "kind": m.recipient_kind,
                "id": m.recipient_id,
                "name": m.recipient_name or None,
                "address": (m.address or None)
                if m.recipient_kind == RecipientKind.FAMILY
                else None,
            },
            "body": m.body or None,
            "scheduled_for": _iso(m.scheduled_for),
            "sent_at": _iso(m.sent_at),
        }
        for m in rows
    ]


def erase_client(session: Session, foundation: str, client_id: str) -> dict[str, int]:
    """Cancel the client's waiting messages and empty every personal value of the client;
    returns how many rows of each table were emptied (``messages_cancelled``: how many
    messages were still waiting). The rows stay, with their ids, statuses and dates."""
    messages = cast(Table, Message.__table__)
    cancelled = session.execute(
        update(messages)
        .where(
            messages.c.foundation == foundation,
            messages.c.client_id == client_id,
            messages.c.status.in_(PENDING_MESSAGE_STATUSES),
        )
        .values(
            status=MessageStatus.CANCELLED,
            reason_code=ERASED_REASON,
            reason=reason_text(ERASED_REASON),
        )
    )
    erased = {}
    for model, columns in ERASED_COLUMNS.items():
        table: Table = model.__table__  # type: ignore[attr-defined]
        of_client = table.c[model.__client_key__]  # type: ignore[attr-defined]
        result = session.execute(
            update(table)
            .where(table.c.foundation == foundation, of_client == client_id)
            .values(**columns)
        )
        erased[table.name] = rowcount(result)
    erased["messages_cancelled"] = rowcount(cancelled)
    return erased
