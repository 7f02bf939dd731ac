"""Who wrote a reply and what it answers: the family contact of the foundation reached at
the sender's phone (found by its blind index), and that contact's latest open question
(read from the messages sent to them; the rule is :mod:`.open_questions`)."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.notifications.addresses import address_index
from services.notifications.models import FamilyContact, Message
from services.notifications.open_questions import (
    SESSION_CHANGED,
    SESSION_QUESTIONS,
    TEMPLATES_READ,
    FamilyMessage,
    OpenQuestion,
    latest_open_question,
)
from services.notifications.templates import decode_context
from shared.db import utcnow
from shared.vocabulary import RecipientKind

#: How many of a contact's latest question-related messages the open-question rule reads.
MESSAGES_READ = 200


def family_contact_by_phone(session: Session, foundation: str, phone: str) -> FamilyContact | None:
    """The family contact of ``foundation`` reached at ``phone`` (any written form), or
    ``None``. When several share the number (a mother of two clients), the one most
    recently sent a family message: the reply most likely answers it."""
    contacts = list(
        session.execute(
            select(FamilyContact).where(
                FamilyContact.foundation == foundation,
                FamilyContact.phone_index == address_index(phone),
            )
        ).scalars()
    )
    if len(contacts) <= 1:
        return contacts[0] if contacts else None
    last_sent: dict[str, datetime] = {
        recipient_id: cast(datetime, sent_at)
        for recipient_id, sent_at in session.execute(
            select(Message.recipient_id, func.max(Message.sent_at))
            .where(
                Message.foundation == foundation,
                Message.recipient_kind == RecipientKind.FAMILY,
                Message.recipient_id.in_([c.id for c in contacts]),
                Message.sent_at.is_not(None),
            )
            .group_by(Message.recipient_id)
        ).all()
    }
    return max(contacts, key=lambda c: (c.id in last_sent, last_sent.get(c.id, utcnow()), c.id))


def open_question_of(
    session: Session, contact: FamilyContact, now: datetime
) -> OpenQuestion | None:
    """The contact's latest open question at ``now`` (see :mod:`.open_questions`)."""
    rows = session.execute(
        select(
            Message.id,
            Message.template,
            Message.status,
            Message.subject_id,
            Message.created_at,
            Message.sent_at,
            Message.context,
        )
        .where(
            Message.foundation == contact.foundation,
            Message.recipient_kind == RecipientKind.FAMILY,
            Message.recipient_id == contact.id,
            Message.template.in_(sorted(TEMPLATES_READ)),
        )
        .order_by(Message.created_at.desc())
        .limit(MESSAGES_READ)
    ).all()
    facts = []
    for message_id, template, status, subject_id, created_at, sent_at, context in rows:
        starts_at = None
        if template in SESSION_QUESTIONS or template == SESSION_CHANGED:
            starts_at = decode_context(context).get("starts_at")
        facts.append(
            FamilyMessage(
                message_id,
                template,
                status,
                subject_id,
                created_at,
                sent_at,
                starts_at if isinstance(starts_at, datetime) else None,
            )
        )
    return latest_open_question(facts, now)
