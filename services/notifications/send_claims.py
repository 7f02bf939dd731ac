"""Claiming a send task's messages: one transaction reads the chunk's records
(:mod:`services.notifications.send_facts`), asks the send decision about each message
(:mod:`services.notifications.send_decision`) and acts on the answer with one guarded
``UPDATE … WHERE id = :id AND status = 'queued'``: ``sending`` (a :class:`Claim`), or back on
the schedule, or cancelled or suppressed.

The guard is what keeps a message from going twice: of two workers holding the same id (a
redelivered task, a row recovered and queued again), only the one whose ``UPDATE`` still
finds it ``queued`` acts on it; the other skips it. The records are read without locks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, update
from sqlalchemy.orm import Session

from services.notifications.channels import Outgoing
from services.notifications.chunk_facts import ChunkFacts
from services.notifications.models import Message
from services.notifications.rendering import message_values, render_body
from services.notifications.scheduling import calendar_from
from services.notifications.send_decision import Address, Defer, Refuse, send_decision
from services.notifications.send_facts import (
    ChunkRecords,
    client_consent,
    pending_message,
    read_chunk,
)
from services.notifications.templates import decode_context
from shared.client_keys import ClientErased
from shared.codes import reason_text
from shared.db import UTCDateTime, rowcount, utcnow
from shared.events.envelope import correlated
from shared.runtime import ServiceRuntime
from shared.vocabulary import MessageStatus, RecipientKind


def address_to_current_recipient(message: Message, to: Address) -> None:
    """Point the message at where its recipient is reached now: a phone, e-mail or channel
    changed since it was scheduled replaces the one it was scheduled with (each column is
    written only when it changed: they are encrypted)."""
    if (message.channel, message.address) != (to.channel, to.address):
        message.channel, message.address = to.channel, to.address
    if message.recipient_name != to.name:
        message.recipient_name = to.name


_messages = cast(Table, Message.__table__)


def _if_queued(**values):
    """An ``UPDATE`` of one message that takes effect only while it is still ``queued``."""
    return (
        update(_messages)
        .where(
            _messages.c.id == bindparam("message_id"), _messages.c.status == MessageStatus.QUEUED
        )
        .values(updated_at=bindparam("now", type_=UTCDateTime()), **values)
    )


# The claims, built once: their values are bound when they run.
_CLAIM_FOR_SENDING = _if_queued(
    status=MessageStatus.SENDING,
    reason=None,
    reason_code=None,
    claimed_at=bindparam("now", type_=UTCDateTime()),
    attempts=_messages.c.attempts + 1,
)
_SETTLE = _if_queued(  # refused (cancelled, suppressed) or deferred: not sent now
    status=bindparam("new_status"),
    reason_code=bindparam("code"),
    reason=bindparam("text"),
    scheduled_for=bindparam("until", type_=UTCDateTime()),
)
# Back to ``queued``, only while it is still this claim's (``claimed_at``): not yet handed to
# the provider, so not an attempt.
_RELEASE = (
    update(_messages)
    .where(
        _messages.c.id == bindparam("message_id"),
        _messages.c.status == MessageStatus.SENDING,
        _messages.c.claimed_at == bindparam("claim_time", type_=UTCDateTime()),
    )
    .values(
        status=MessageStatus.QUEUED,
        attempts=_messages.c.attempts - 1,
        queued_at=bindparam("now", type_=UTCDateTime()),
        updated_at=bindparam("now", type_=UTCDateTime()),
    )
)


@dataclass(frozen=True)
class Claim:
    """A message this worker claimed (``sending``): what goes to the channel, and how."""

    message_id: str
    correlation_id: str | None
    outgoing: Outgoing
    setting: dict | None


def _settle(session: Session, message: Message, now: datetime, status, code, until=None) -> bool:
    """Refuse or defer ``message`` (``until``: its new due time), if still ``queued``."""
    result = session.execute(
        _SETTLE,
        {
            "message_id": message.id,
            "now": now,
            "new_status": str(status),
            "code": code,
            "text": reason_text(code)[:200],
            "until": until or message.scheduled_for,
        },
    )
    return bool(rowcount(result))


def _claim_one(
    runtime: ServiceRuntime,
    session: Session,
    chunk: ChunkRecords,
    message: Message,
    facts: ChunkFacts,
    now: datetime,
) -> Claim | str:
    """Decide on ``message`` and claim it (``sending``, a :class:`Claim`), or settle it
    (the outcome), or find it taken meanwhile (``skipped``)."""
    context = decode_context(message.context)
    profile = facts.profile(session, message.foundation)
    calendar = calendar_from(profile)
    client = chunk.client_of(message)
    family = message.recipient_kind == RecipientKind.FAMILY
    max_age = runtime.settings.heartbeat_max_age_seconds
    decision = send_decision(
        pending_message(message, context),
        chunk.recipient_of(message),
        client_consent(client, family, lambda: facts.consent_data_is_fresh(session, now, max_age)),
        calendar,
        now,
    )
    store = runtime.db.key_store
    if decision.to is not None and message.client_id and store is not None:
        # what is written next is sealed under the client's key: an erased client has none,
        # and nothing of it may be written readable again (it was being sent when the
        # erasure cancelled the rest)
        try:
            store.for_client(message.client_id, message.foundation)
        except ClientErased:
            taken = _settle(session, message, now, MessageStatus.CANCELLED, "client_erased")
            return str(MessageStatus.CANCELLED) if taken else "skipped"
    if isinstance(decision, Refuse):
        if not _settle(session, message, now, decision.status, decision.reason_code):
            return "skipped"
        if decision.to is not None:
            address_to_current_recipient(message, decision.to)
        return str(decision.status)
    if isinstance(decision, Defer):
        if not _settle(
            session, message, now, MessageStatus.SCHEDULED, decision.reason_code, decision.until
        ):
            return "skipped"
        address_to_current_recipient(message, decision.to)
        return "held" if decision.reason_code == "held_for_consent_data" else "deferred"
    claimed = session.execute(_CLAIM_FOR_SENDING, {"message_id": message.id, "now": now})
    if not rowcount(claimed):
        return "skipped"  # another worker claimed it first
    address_to_current_recipient(message, decision.to)
    values = message_values(message, context, client, profile)
    wording = facts.wording(session, message.foundation, message.template, message.locale)
    message.body = render_body(message, values, calendar.timezone, wording)
    outgoing = Outgoing(
        idempotency_key=message.id,
        channel=message.channel,
        address=message.address,
        template=message.template,
        locale=message.locale,
        body=message.body,
        sender_name=profile.sender_name if profile else "",
    )
    setting = facts.channel_setting(session, message.foundation, message.channel)
    return Claim(message.id, message.correlation_id, outgoing, setting)


Settled = dict[str, tuple[str, str | None]]  # message id -> (outcome, correlation id)


def claim_chunk(
    runtime: ServiceRuntime, message_ids: list[str], facts: ChunkFacts, now: datetime
) -> tuple[list[Claim], Settled]:
    """One transaction: read the chunk, decide on each message, claim or settle it.
    Returns the claims, and the outcome (with its correlation id) of every other message
    still ``queued`` when read."""
    with runtime.unit_of_work() as uow:
        return claim_in(runtime, uow.session, message_ids, facts, now)


def claim_in(
    runtime: ServiceRuntime,
    session: Session,
    message_ids: list[str],
    facts: ChunkFacts,
    now: datetime,
) -> tuple[list[Claim], Settled]:
    """:func:`claim_chunk` in the caller's transaction (``session``): the claims hold once
    it commits. A worker applying an event claims the messages it has just scheduled so,
    in the event's own transaction (``dispatcher.dispatch_after_commit``)."""
    claims: list[Claim] = []
    settled: Settled = {}
    chunk = read_chunk(session, message_ids)
    for message in chunk.messages:
        # its log lines and a message.failed event carry the id of the action that
        # scheduled the message
        with correlated(message.correlation_id):
            claimed = _claim_one(runtime, session, chunk, message, facts, now)
        if isinstance(claimed, Claim):
            claims.append(claimed)
        else:
            settled[message.id] = (claimed, message.correlation_id)
    return claims, settled


def release(runtime: ServiceRuntime, claims: list[Claim], claimed_at: datetime) -> list[str]:
    """Give back claims not yet sent; returns the ids given back (each still this claim's)."""
    released = []
    with runtime.db.transaction() as session:
        for claim in claims:
            values = {"message_id": claim.message_id, "claim_time": claimed_at, "now": utcnow()}
            if rowcount(session.execute(_RELEASE, values)):
                released.append(claim.message_id)
    return released
