"""Putting messages on the schedule: one row per recipient, template and occurrence."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from services.notifications.models import FamilyContact, FoundationProfile, Message
from services.notifications.quiet_hours import defer_past_quiet_hours
from services.notifications.templates import encode_context
from shared.db import utcnow
from shared.events.outbox import UnitOfWork

PENDING = ("scheduled", "queued")
DEFAULT_PROFILE = {"timezone": "Asia/Jakarta", "quiet_start": "21:00", "quiet_end": "07:00"}


def schedule_family_message(
    uow: UnitOfWork,
    *,
    contact: FamilyContact,
    template: str,
    occurrence: str,
    due: datetime,
    context: dict[str, Any],
) -> Message | None:
    """Schedule ``template`` for ``contact`` once per ``occurrence``; quiet hours respected.

    Returns the new message, or ``None`` when this occurrence was already scheduled.
    """
    session = uow.session
    dedupe_key = f"{template}:{contact.id}:{occurrence}"
    if session.execute(select(Message.id).where(Message.dedupe_key == dedupe_key)).first():
        return None
    profile = session.get(FoundationProfile, contact.foundation)
    timezone = profile.timezone if profile else DEFAULT_PROFILE["timezone"]
    start = profile.quiet_start if profile else DEFAULT_PROFILE["quiet_start"]
    end = profile.quiet_end if profile else DEFAULT_PROFILE["quiet_end"]
    message = Message(
        foundation=contact.foundation,
        client_id=contact.client_id,
        recipient_kind="family",
        recipient_id=contact.id,
        recipient_name=contact.name,
        channel=contact.channel,
        address=contact.email if contact.channel == "email" else contact.phone,
        template=template,
        locale=contact.locale,
        occurrence=occurrence,
        dedupe_key=dedupe_key,
        context=encode_context(context),
        status="scheduled",
        scheduled_for=defer_past_quiet_hours(due, timezone, start, end),
    )
    session.add(message)
    session.flush()
    return message


def cancel_pending_for_contact(uow: UnitOfWork, contact_id: str, reason: str) -> int:
    result = uow.session.execute(
        update(Message)
        .where(Message.recipient_id == contact_id, Message.status.in_(PENDING))
        .values(status="cancelled", reason=reason, updated_at=utcnow())
    )
    return result.rowcount or 0


def cancel_pending_family_messages(uow: UnitOfWork, client_id: str, reason: str) -> int:
    result = uow.session.execute(
        update(Message)
        .where(
            Message.client_id == client_id,
            Message.recipient_kind == "family",
            Message.status.in_(PENDING),
        )
        .values(status="cancelled", reason=reason, updated_at=utcnow())
    )
    return result.rowcount or 0
