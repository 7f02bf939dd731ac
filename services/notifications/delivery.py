"""Sending one message: check again that it may go (consent, opt-out, fresh consent data,
quiet hours), render it, mark it ``sending``, call the channel, record the outcome.

The message id is the idempotency key the channel passes to the provider, so a message
found ``sending`` after a crash can be sent again without reaching the recipient twice.
"""

from __future__ import annotations

import logging
import random
from datetime import timedelta

from sqlalchemy import bindparam, select, update

from services.notifications.channel_settings import load_channel_setting
from services.notifications.channels import (
    Outgoing,
    PermanentFailure,
    TransientFailure,
    channel_for,
)
from services.notifications.consent import family_message_refusal
from services.notifications.dispatcher import dispatch_after_commit
from services.notifications.failure_alerts import alert_staff_of_failure
from services.notifications.freshness import consent_data_is_fresh
from services.notifications.inbound import is_opted_out
from services.notifications.models import (
    ClientRecord,
    FamilyContact,
    FoundationProfile,
    Message,
    StaffMember,
    TemplateOverride,
)
from services.notifications.quiet_hours import defer_past_quiet_hours
from services.notifications.reminder_timing import AFTER_START, lands_after_start
from services.notifications.scheduling import (
    DEFERRED,
    QUIET_HOURS_EXEMPT,
    READMITTED,
    calendar_from,
    family_recipient,
    followup_of_another_episode,
    staff_recipient,
)
from services.notifications.templates import (
    SAMPLE_VALUES,
    TemplateError,
    decode_context,
    default_template,
    render,
    render_stored,
)
from shared.db import UTCDateTime, utcnow
from shared.events.envelope import correlated, set_correlation_id
from shared.logs import log_context
from shared.runtime import ServiceRuntime

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
HOLD_WHILE_STALE = timedelta(seconds=30)


def backoff(attempt: int, base_seconds: float = 10.0) -> timedelta:
    """Exponential backoff with jitter: about 10 s, 20 s, 40 s… capped at 10 minutes."""
    base = min(base_seconds * 2 ** (attempt - 1), 600)
    return timedelta(seconds=base * random.uniform(0.8, 1.2))


def render_body(session, message: Message, context: dict, timezone: str) -> str:
    """The message in its foundation's wording of the template, else the default wording.

    A stored wording that no longer passes the template rules (saved before a rule existed,
    or edited in the database) is not rendered: the default is, so the message still goes,
    and the warning names the foundation and template, not the recipient or the wording."""
    key, locale = message.template, message.locale
    override = session.get(TemplateOverride, (message.foundation, key, locale))
    if override is not None:
        try:
            return render_stored(override.body, context, locale, timezone)
        except TemplateError as exc:
            log.warning(
                "the %s template (%s) of foundation %s breaks the template rules (%s); "
                "message %s is sent in the default wording",
                key,
                locale,
                message.foundation,
                type(exc.__cause__ or exc).__name__,
                message.id,
            )
    return render(default_template(key, locale), context, locale, timezone)


def _refusal(
    session, message: Message, client: ClientRecord | None, context: dict
) -> tuple[str, str] | None:
    """``(status, reason)`` when the message may not go, else ``None``. A message that may
    go takes its recipient's current channel and address (a phone or email changed since
    it was scheduled)."""
    if message.recipient_kind == "family":
        contact = session.execute(
            select(FamilyContact).where(
                FamilyContact.id == message.recipient_id,
                FamilyContact.foundation == message.foundation,
            )
        ).scalar()
        refusal = family_message_refusal(client, contact, message.template)
        if refusal:
            return "cancelled", refusal
        if message.template == "family.followup" and followup_of_another_episode(
            context, client.episode_id if client else None
        ):
            return "cancelled", READMITTED
        recipient = family_recipient(contact)
    else:
        staff = session.get(StaffMember, message.recipient_id)
        if staff is None or not staff.active or staff.foundation != message.foundation:
            return "cancelled", "staff member unknown or inactive"
        recipient = staff_recipient(staff, message.locale)
    if (message.channel, message.address) != (recipient.channel, recipient.address):
        message.channel, message.address = recipient.channel, recipient.address
    if message.recipient_name != recipient.name:
        message.recipient_name = recipient.name
    if message.address and is_opted_out(session, message.foundation, message.address):
        return "suppressed", "recipient opted out"
    return None


def _prepare(runtime: ServiceRuntime, message_id: str) -> tuple[Outgoing, dict | None] | str:
    """Claim the message for sending: what to send and the foundation's channel setting,
    or why nothing is to be sent."""
    now = utcnow()
    with runtime.unit_of_work() as uow:
        session = uow.session
        message = session.get(Message, message_id, with_for_update=not runtime.db.is_sqlite)
        if message is not None:
            # The send belongs to the action that scheduled the message: its log lines and
            # a message.failed event carry that action's id (until send_message returns).
            set_correlation_id(message.correlation_id)
        if message is None or message.status != "queued":
            return "skipped"
        client = session.get(ClientRecord, message.client_id) if message.client_id else None
        context = decode_context(message.context)
        refused = _refusal(session, message, client, context)
        if refused:
            message.status, message.reason = refused
            return refused[0]
        profile = session.get(FoundationProfile, message.foundation)
        calendar = calendar_from(profile)
        send_at, why = now, None
        if message.recipient_kind == "family" and not consent_data_is_fresh(
            session, now, runtime.settings.heartbeat_max_age_seconds
        ):
            # A withdrawal may be stuck upstream: hold, do not send and do not drop.
            send_at, why = (
                now + HOLD_WHILE_STALE,
                "held: waiting for current consent data from intake",
            )
        if message.template not in QUIET_HOURS_EXEMPT:
            resume = defer_past_quiet_hours(
                send_at, calendar.timezone, calendar.quiet_start, calendar.quiet_end
            )
            if resume > send_at:
                send_at, why = resume, why or DEFERRED
        if message.template == "family.session_reminder" and lands_after_start(
            send_at, context["starts_at"]
        ):
            message.status, message.reason = "cancelled", AFTER_START
            return "cancelled"
        if send_at > now:
            message.status, message.scheduled_for, message.reason = "scheduled", send_at, why
            return "held" if why and why.startswith("held") else "deferred"
        context = {**dict.fromkeys(SAMPLE_VALUES), **context}
        context.update(
            recipient_name=message.recipient_name or "",
            sender_name=profile.sender_name if profile else "",
            client_first_name=client.first_name if client else "",
            client_code=context.get("client_code") or (client.code if client else ""),
        )
        message.body = render_body(session, message, context, calendar.timezone)
        message.status, message.claimed_at, message.reason = "sending", now, None
        message.attempts += 1
        setting = load_channel_setting(session, message.foundation, message.channel)
        outgoing = Outgoing(
            idempotency_key=message.id,
            channel=message.channel,
            address=message.address,
            template=message.template,
            locale=message.locale,
            body=message.body,
            sender_name=profile.sender_name if profile else "",
        )
    return outgoing, setting


_messages = Message.__table__
# Marking a message sent needs none of its (encrypted) columns: one guarded UPDATE, built once.
_MARK_SENT = (
    update(_messages)
    .where(_messages.c.id == bindparam("message_id"), _messages.c.status == "sending")
    .values(
        status="sent",
        sent_at=bindparam("now", type_=UTCDateTime()),
        updated_at=bindparam("now", type_=UTCDateTime()),
        reason=None,
        provider_message_id=bindparam("provider_id"),
    )
)


def _record_sent(runtime: ServiceRuntime, message_id: str, provider_id: str | None) -> str:
    """``sent``, unless the message stopped being ``sending`` meanwhile (``superseded``)."""
    with runtime.db.transaction() as session:
        marked = session.execute(
            _MARK_SENT, {"message_id": message_id, "now": utcnow(), "provider_id": provider_id}
        ).rowcount
    return "sent" if marked else "superseded"


def _record_outcome(
    runtime: ServiceRuntime, message_id: str, error: Exception | None, provider_id: str | None
) -> str:
    if error is None:
        return _record_sent(runtime, message_id, provider_id)
    with runtime.unit_of_work() as uow:
        message = uow.session.get(Message, message_id)
        if message is None or message.status != "sending":
            return "superseded"
        now = utcnow()
        if isinstance(error, TransientFailure) and message.attempts < MAX_ATTEMPTS:
            message.status = "scheduled"
            retry_base = runtime.settings.retry_base_seconds
            message.scheduled_for = now + backoff(message.attempts, retry_base)
            message.reason = f"retrying: {error}"[:200]
            return "retrying"
        message.status, message.reason = "failed", (str(error) or type(error).__name__)[:200]
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
        dispatch_after_commit(uow, alert_staff_of_failure(uow, message))
        return "failed"


def send_message(runtime: ServiceRuntime, message_id: str) -> str:
    """Send one queued message; returns what became of it (``sent``, ``retrying``,
    ``failed``, ``deferred``, ``held``, ``cancelled``, ``suppressed`` or ``skipped``)."""
    with correlated(None), log_context(service=runtime.name):
        outcome = _send(runtime, message_id)
        log.log(
            logging.WARNING if outcome == "failed" else logging.INFO,
            "message %s: %s",
            message_id,
            outcome,
            extra={"message_id": message_id, "outcome": outcome},
        )
        return outcome


def _send(runtime: ServiceRuntime, message_id: str) -> str:
    prepared = _prepare(runtime, message_id)
    if isinstance(prepared, str):
        return prepared
    outgoing, setting = prepared
    try:
        if setting is None and outgoing.channel != "log" and runtime.settings.production:
            # In development an unconfigured channel delivers through the log; in
            # production that would mark a message sent that reached nobody.
            raise PermanentFailure(f"the {outgoing.channel} channel is not configured")
        provider_id = channel_for(outgoing.channel, setting).send(outgoing)
    except (TransientFailure, PermanentFailure) as exc:
        log.warning("send of %s failed: %s", message_id, type(exc).__name__)
        return _record_outcome(runtime, message_id, exc, None)
    return _record_outcome(runtime, message_id, None, provider_id)
