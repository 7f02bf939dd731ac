"""Sending a send task's chunk of messages: claim them together
(:mod:`services.notifications.send_claims`: the chunk's records read at once, consent
checked and each message taken with a guarded ``UPDATE`` in one transaction), then hand
each claimed message to its channel in turn and record the outcome.

A claim is trusted only as long as the chunk trusts what it read (``ChunkFacts.fresh_for``):
behind a slow provider, the messages not yet handed over by then go back to ``queued`` and
are claimed again, their consent read again, so none goes on consent older than that.

The message id is the idempotency key the channel passes to the provider, so a message
found ``sending`` after a crash can be sent again without reaching the recipient twice.
"""

from __future__ import annotations

import logging
import random
import time
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, bindparam, update

from services.notifications.channels import (
    DeliveryFailure,
    PermanentFailure,
    TransientFailure,
    channel_for,
)
from services.notifications.chunk_facts import ChunkFacts
from services.notifications.dispatcher import dispatch_after_commit
from services.notifications.fallback import fall_back_or_alert
from services.notifications.models import Message
from services.notifications.send_claims import Claim, Settled, claim_chunk, release
from shared.db import UTCDateTime, rowcount, utcnow
from shared.events.envelope import correlated
from shared.logs import log_context
from shared.runtime import ServiceRuntime
from shared.vocabulary import Channel, MessageStatus

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


def backoff(attempt: int, base_seconds: float = 10.0) -> timedelta:
    """Exponential backoff with jitter: about 10 s, 20 s, 40 s… capped at 10 minutes."""
    base = min(base_seconds * 2 ** (attempt - 1), 600)
    return timedelta(seconds=base * random.uniform(0.8, 1.2))


_messages = cast(Table, Message.__table__)
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
        result = session.execute(
            _MARK_SENT, {"message_id": message_id, "now": utcnow(), "provider_id": provider_id}
        )
        marked = rowcount(result)
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


def send_chunk(
    runtime: ServiceRuntime, message_ids: list[str], facts: ChunkFacts | None = None
) -> list[str]:
    """Send the queued messages of ``message_ids``; returns what became of each, in order
    (``sent``, ``retrying``, ``failed``, ``deferred``, ``held``, ``cancelled``,
    ``suppressed``, ``skipped``: no longer queued, or ``error``). ``facts``: what the chunk's
    messages share, read once."""
    facts = facts or ChunkFacts()
    outcomes: dict[str, str] = {}
    unique = list(dict.fromkeys(message_ids))  # an id given twice is answered once
    waiting = unique
    with log_context(service=runtime.name):
        while waiting:
            claimed_at, started = utcnow(), time.monotonic()
            claims, settled = claim_chunk(runtime, waiting, facts, claimed_at)
            waiting = send_claims(runtime, claims, settled, facts, claimed_at, started, outcomes)
        for message_id in unique:
            if message_id not in outcomes:  # no longer queued: sent, settled or taken
                outcomes[message_id] = _logged(message_id, "skipped", None)
    return [outcomes[m] for m in message_ids]


def send_claims(
    runtime: ServiceRuntime,
    claims: list[Claim],
    settled: Settled,
    facts: ChunkFacts,
    claimed_at: datetime,
    started: float,
    outcomes: dict[str, str],
) -> list[str]:
    """Hand ``claims`` (made at ``claimed_at``, ``started`` on the monotonic clock) to their
    channels in turn, and note in ``outcomes`` what became of them and of the ``settled``.
    Returns the ids given back unsent, to be claimed again: what the rest was claimed on is
    older than ``facts.fresh_for`` by the time their turn comes."""
    for message_id, (outcome, correlation_id) in settled.items():
        outcomes[message_id] = _logged(message_id, outcome, correlation_id)
    for position, claim in enumerate(claims):
        if position and time.monotonic() - started > facts.fresh_for:
            return release(runtime, claims[position:], claimed_at)
        with correlated(claim.correlation_id):
            try:
                outcome = _deliver(runtime, claim)
            except Exception:  # it stays sending and is recovered after the timeout
                log.exception("sending message %s failed", claim.message_id)
                outcome = "error"
        outcomes[claim.message_id] = _logged(claim.message_id, outcome, claim.correlation_id)
    return []


def send_message(runtime: ServiceRuntime, message_id: str, facts: ChunkFacts | None = None) -> str:
    """Send one queued message (a chunk of one); returns what became of it."""
    return send_chunk(runtime, [message_id], facts)[0]


def _logged(message_id: str, outcome: str, correlation_id: str | None) -> str:
    with correlated(correlation_id):
        log.log(
            logging.WARNING if outcome in ("failed", "error") else logging.INFO,
            "message %s: %s",
            message_id,
            outcome,
            extra={"message_id": message_id, "outcome": outcome},
        )
    return outcome


def _deliver(runtime: ServiceRuntime, claim: Claim) -> str:
    """Hand a claimed message to its channel and record what the channel answered."""
    outgoing, message_id = claim.outgoing, claim.message_id
    try:
        if (
            claim.setting is None
            and outgoing.channel != Channel.LOG
            and runtime.settings.production
        ):
            # In development an unconfigured channel delivers through the log; in
            # production that would mark a message sent that reached nobody.
            raise PermanentFailure("channel_not_configured", channel=outgoing.channel)
        provider_id = channel_for(outgoing.channel, claim.setting).send(outgoing)
    except DeliveryFailure as exc:
        log.warning("send of %s failed: %s", message_id, type(exc).__name__)
        return _record_outcome(runtime, message_id, exc, None)
    return _record_outcome(runtime, message_id, None, provider_id)
