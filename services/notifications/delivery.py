"""Sending one message: check consent and quiet hours again, render, mark ``sending``,
call the channel, record the outcome."""

from __future__ import annotations

import logging
import random
from datetime import timedelta

from sqlalchemy import select

from services.notifications.channels import (
    Outgoing,
    PermanentFailure,
    TransientFailure,
    channel_for,
)
from services.notifications.consent import family_message_refusal
from services.notifications.models import ClientRecord, FamilyContact, FoundationProfile, Message
from services.notifications.quiet_hours import defer_past_quiet_hours
from services.notifications.templates import decode_context, default_template, render
from shared.db import utcnow
from shared.runtime import ServiceRuntime

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
QUIET_HOURS_EXEMPT = frozenset({"staff.crisis_alert"})


def backoff(attempt: int) -> timedelta:
    """Exponential backoff with jitter: about 10 s, 20 s, 40 s… capped at 10 minutes."""
    base = min(10 * 2 ** (attempt - 1), 600)
    return timedelta(seconds=base * random.uniform(0.8, 1.2))


def _prepare(runtime: ServiceRuntime, message_id: str) -> Outgoing | str:
    """Claim the message for sending; an :class:`Outgoing` or why nothing is to be sent."""
    now = utcnow()
    with runtime.unit_of_work() as uow:
        session = uow.session
        message = session.get(Message, message_id, with_for_update=not runtime.db.is_sqlite)
        if message is None or message.status != "queued":
            return "skipped"
        profile = session.get(FoundationProfile, message.foundation)
        client = session.get(ClientRecord, message.client_id) if message.client_id else None
        if message.recipient_kind == "family":
            contact = session.execute(
                select(FamilyContact).where(
                    FamilyContact.id == message.recipient_id,
                    FamilyContact.foundation == message.foundation,
                )
            ).scalar()
            refusal = family_message_refusal(client, contact)
            if refusal:
                message.status, message.reason = "cancelled", refusal
                return "cancelled"
        timezone = profile.timezone if profile else "Asia/Jakarta"
        if profile and message.template not in QUIET_HOURS_EXEMPT:
            resume = defer_past_quiet_hours(now, timezone, profile.quiet_start, profile.quiet_end)
            if resume > now:
                message.status, message.scheduled_for = "scheduled", resume
                return "deferred"
        context = decode_context(message.context)
        context.update(
            recipient_name=message.recipient_name or "",
            sender_name=profile.sender_name if profile else "",
            client_first_name=client.first_name if client else "",
        )
        message.body = render(
            default_template(message.template, message.locale), context, message.locale, timezone
        )
        message.status, message.claimed_at = "sending", now
        message.attempts += 1
        return Outgoing(
            idempotency_key=message.id,
            channel=message.channel,
            address=message.address,
            template=message.template,
            locale=message.locale,
            body=message.body,
            sender_name=profile.sender_name if profile else "",
        )


def _record_outcome(runtime: ServiceRuntime, message_id: str, error: Exception | None) -> str:
    with runtime.unit_of_work() as uow:
        message = uow.session.get(Message, message_id)
        if message is None or message.status != "sending":
            return "superseded"
        now = utcnow()
        if error is None:
            message.status, message.sent_at, message.reason = "sent", now, None
            return "sent"
        if isinstance(error, TransientFailure) and message.attempts < MAX_ATTEMPTS:
            message.status = "scheduled"
            message.scheduled_for = now + backoff(message.attempts)
            message.reason = f"retrying: {error}"[:200]
            return "retrying"
        message.status, message.reason = "failed", str(error)[:200] or type(error).__name__
        uow.emit(
            "message.failed",
            subject=message.id,
            foundation=message.foundation,
            data={
                "message_id": message.id,
                "client_id": message.client_id,
                "template": message.template,
                "recipient_kind": message.recipient_kind,
                "reason": message.reason,
            },
        )
        return "failed"


def send_message(runtime: ServiceRuntime, message_id: str) -> str:
    prepared = _prepare(runtime, message_id)
    if isinstance(prepared, str):
        return prepared
    try:
        channel_for(prepared.channel).send(prepared)
    except (TransientFailure, PermanentFailure) as exc:
        log.warning("send of %s failed: %s", message_id, type(exc).__name__)
        return _record_outcome(runtime, message_id, exc)
    return _record_outcome(runtime, message_id, None)
