"""Sending one message: load what the send decision reads, ask it
(:mod:`services.notifications.send_decision`: consent, opt-out, fresh consent data, quiet
hours), then render the message, mark it ``sending``, call the channel, record the outcome.

The message id is the idempotency key the channel passes to the provider, so a message
found ``sending`` after a crash can be sent again without reaching the recipient twice.
"""

from __future__ import annotations

import logging
import random
from datetime import timedelta

from sqlalchemy import bindparam, update

from services.notifications.channels import (
    DeliveryFailure,
    Outgoing,
    PermanentFailure,
    TransientFailure,
    channel_for,
)
from services.notifications.chunk_facts import ChunkFacts
from services.notifications.dispatcher import dispatch_after_commit
from services.notifications.fallback import fall_back_or_alert
from services.notifications.models import ClientRecord, Message
from services.notifications.rendering import message_values, render_body
from services.notifications.scheduling import calendar_from
from services.notifications.send_decision import Address, Defer, Refuse, send_decision
from services.notifications.send_facts import client_consent, current_recipient, pending_message
from services.notifications.templates import decode_context
from shared.client_keys import ClientErased
from shared.codes import reason_text
from shared.db import UTCDateTime, utcnow
from shared.events.envelope import correlated, set_correlation_id
from shared.logs import log_context
from shared.runtime import ServiceRuntime
from shared.vocabulary import Channel, MessageStatus, RecipientKind

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


def backoff(attempt: int, base_seconds: float = 10.0) -> timedelta:
    """Exponential backoff with jitter: about 10 s, 20 s, 40 s… capped at 10 minutes."""
    base = min(base_seconds * 2 ** (attempt - 1), 600)
    return timedelta(seconds=base * random.uniform(0.8, 1.2))


def address_to_current_recipient(message: Message, to: Address) -> None:
    """Point the message at where its recipient is reached now: a phone, e-mail or channel
    changed since it was scheduled replaces the one it was scheduled with (each column is
    written only when it changed: they are encrypted)."""
    if (message.channel, message.address) != (to.channel, to.address):
        message.channel, message.address = to.channel, to.address
    if message.recipient_name != to.name:
        message.recipient_name = to.name


def _prepare(
    runtime: ServiceRuntime, message_id: str, facts: ChunkFacts
) -> tuple[Outgoing, dict | None] | str:
    """Claim the message for sending: what to send and the foundation's channel setting,
    or why nothing is to be sent. A message of a client erased meanwhile (it was being
    sent when the erasure cancelled the rest) is cancelled: nothing of it can be written
    readable again."""
    try:
        return _claim(runtime, message_id, facts)
    except ClientErased:
        with runtime.db.transaction() as session:
            session.execute(
                update(Message)
                .where(Message.id == message_id)
                .values(
                    status=MessageStatus.CANCELLED,
                    reason_code="client_erased",
                    reason=reason_text("client_erased"),
                )
            )
        return str(MessageStatus.CANCELLED)


def _claim(
    runtime: ServiceRuntime, message_id: str, facts: ChunkFacts
) -> tuple[Outgoing, dict | None] | str:
    now = utcnow()
    with runtime.unit_of_work() as uow:
        session = uow.session
        message = session.get(Message, message_id, with_for_update=not runtime.db.is_sqlite)
        if message is not None:
            # The send belongs to the action that scheduled the message: its log lines and
            # a message.failed event carry that action's id (until send_message returns).
            set_correlation_id(message.correlation_id)
        if message is None or message.status != MessageStatus.QUEUED:
            return "skipped"
        client = session.get(ClientRecord, message.client_id) if message.client_id else None
        context = decode_context(message.context)
        profile = facts.profile(session, message.foundation)
        calendar = calendar_from(profile)
        family = message.recipient_kind == RecipientKind.FAMILY
        max_age = runtime.settings.heartbeat_max_age_seconds
        decision = send_decision(
            pending_message(message, context),
            current_recipient(session, message),
            client_consent(
                client, family, lambda: facts.consent_data_is_fresh(session, now, max_age)
            ),
            calendar,
            now,
        )
        if decision.to is not None:
            address_to_current_recipient(message, decision.to)
        if isinstance(decision, Refuse):
            message.set_status(decision.status, decision.reason_code)
            return str(decision.status)
        if isinstance(decision, Defer):
            message.set_status(MessageStatus.SCHEDULED, decision.reason_code)
            message.scheduled_for = decision.until
            return "held" if decision.reason_code == "held_for_consent_data" else "deferred"
        values = message_values(message, context, client, profile)
        wording = facts.wording(session, message.foundation, message.template, message.locale)
        message.body = render_body(message, values, calendar.timezone, wording)
        message.set_status(MessageStatus.SENDING)
        message.claimed_at = now
        message.attempts += 1
        setting = facts.channel_setting(session, message.foundation, message.channel)
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
    .where(_messages.c.id == bindparam("message_id"), _messages.c.status == MessageStatus.SENDING)
    .values(
        status=MessageStatus.SENT,
        sent_at=bindparam("now", type_=UTCDateTime()),
        updated_at=bindparam("now", type_=UTCDateTime()),
        reason=None,
        reason_code=None,
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
    runtime: ServiceRuntime, message_id: str, error: DeliveryFailure | None, provider_id: str | None
) -> str:
    if error is None:
        return _record_sent(runtime, message_id, provider_id)
    with runtime.unit_of_work() as uow:
        message = uow.session.get(Message, message_id)
        if message is None or message.status != MessageStatus.SENDING:
            return "superseded"
        now = utcnow()
        if isinstance(error, TransientFailure) and message.attempts < MAX_ATTEMPTS:
            message.set_status(MessageStatus.SCHEDULED, "retrying", error=str(error))
            retry_base = runtime.settings.retry_base_seconds
            message.scheduled_for = now + backoff(message.attempts, retry_base)
            return "retrying"
        message.set_status(MessageStatus.FAILED, error.code, **error.params)
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
                "reason_code": message.reason_code,
            },
        )
        # a family WhatsApp message goes again by SMS where it can; else the case worker hears
        dispatch_after_commit(uow, fall_back_or_alert(uow, message))
        return "failed"


def send_message(runtime: ServiceRuntime, message_id: str, facts: ChunkFacts | None = None) -> str:
    """Send one queued message; returns what became of it (``sent``, ``retrying``,
    ``failed``, ``deferred``, ``held``, ``cancelled``, ``suppressed`` or ``skipped``).
    ``facts``: what the other messages of its send task read already."""
    with correlated(None), log_context(service=runtime.name):
        outcome = _send(runtime, message_id, facts or ChunkFacts())
        log.log(
            logging.WARNING if outcome == "failed" else logging.INFO,
            "message %s: %s",
            message_id,
            outcome,
            extra={"message_id": message_id, "outcome": outcome},
        )
        return outcome


def _send(runtime: ServiceRuntime, message_id: str, facts: ChunkFacts) -> str:
    prepared = _prepare(runtime, message_id, facts)
    if isinstance(prepared, str):
        return prepared
    outgoing, setting = prepared
    try:
        if setting is None and outgoing.channel != Channel.LOG and runtime.settings.production:
            # In development an unconfigured channel delivers through the log; in
            # production that would mark a message sent that reached nobody.
            raise PermanentFailure("channel_not_configured", channel=outgoing.channel)
        provider_id = channel_for(outgoing.channel, setting).send(outgoing)
    except DeliveryFailure as exc:
        log.warning("send of %s failed: %s", message_id, type(exc).__name__)
        return _record_outcome(runtime, message_id, exc, None)
    return _record_outcome(runtime, message_id, None, provider_id)
