"""The dispatcher: moves due message rows to the send task, and recovers stalled ones.

Scheduled work lives in the ``messages`` table, never in long Celery ETAs. Several
dispatchers may run at once: due rows are claimed (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL; SQLite serialises writers) by moving them from ``scheduled`` to ``queued``.
A row left ``queued`` (its task lost with a Redis restart) or ``sending`` (its worker died
mid-send) past a timeout is put back on the schedule; it is re-sent under the same
idempotency key, which the provider de-duplicates.

A sweep leaves due rows ``scheduled`` while ``max_waiting_sends`` rows
(``PENDAMPING_MAX_WAITING_SENDS``) already wait ``queued`` for a worker: a morning's burst of
100,000 due messages is handed to the broker a thousand or so at a time, as the workers take
them, instead of all at once. The broker then holds a few seconds' work, not an hour's; no
row waits in Redis long enough for the queued timeout to take it back; and a worker's
memory does not grow with the size of the burst.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, bindparam, func, select, update

from services.notifications.chunk_facts import ChunkFacts
from services.notifications.models import Message
from services.notifications.send_claims import claim_in
from shared.db import Database, UTCDateTime, rowcount, utcnow
from shared.logs import log_context
from shared.runtime import ServiceRuntime
from shared.vocabulary import MessageStatus

log = logging.getLogger(__name__)

SEND_BATCH_TASK = "notifications.send_messages"  # what the dispatcher queues: a few at once
DISPATCH_TASK = "notifications.dispatch_due"
BATCH = 500
# Message ids per send task: enough to spare the broker a message per row, few enough that
# every worker process gets a share of a large batch. A chunk's messages are claimed together
# and sent one after the other: behind a provider that hangs to its 10 s timeout, the claims
# not yet sent after 2 s go back to queued and are claimed again (delivery.py).
SEND_CHUNK = 20

_messages = cast(Table, Message.__table__)
# The ids are given when the statement runs, so it is built once and no clause object holds
# a batch of ids (clause objects form reference cycles: each batch's ids would otherwise
# wait for the cyclic collector). There is deliberately no ``status = 'scheduled'`` test:
# the ids were selected in the same transaction, under SQLite's write lock or PostgreSQL's
# row locks, so they are still scheduled; and with a status test SQLite's planner walks
# ix_messages_due (every row still scheduled) instead of looking the ids up by primary key.
_MARK_QUEUED = (
    update(_messages)
    .where(_messages.c.id.in_(bindparam("ids", expanding=True)))
    .values(
        status=MessageStatus.QUEUED,
        queued_at=bindparam("now", type_=UTCDateTime()),
        updated_at=bindparam("now", type_=UTCDateTime()),
    )
)


# How many rows wait ``queued``, counted only up to the cap (the index on status finds them).
_WAITING = select(func.count()).select_from(
    select(_messages.c.id)
    .where(_messages.c.status == MessageStatus.QUEUED)
    .limit(bindparam("cap"))
    .subquery()
)


# Due rows, the earliest first (built once: the dispatcher claims every sweep). On
# PostgreSQL, rows another dispatcher is claiming are skipped, not waited for.
_DUE = (
    select(_messages.c.id)
    .where(
        _messages.c.status == MessageStatus.SCHEDULED,
        _messages.c.scheduled_for <= bindparam("now", type_=UTCDateTime()),
    )
    .order_by(_messages.c.scheduled_for)
    .limit(bindparam("batch"))
)
_CLAIMS = {False: _DUE, True: _DUE.with_for_update(skip_locked=True)}  # by: locking rows


def claim_due(
    db: Database,
    now: datetime,
    *,
    batch: int = BATCH,
    max_waiting: int | None = None,
) -> list[str]:
    """Claim up to ``batch`` due messages; returns their ids.

    ``max_waiting``: claim only as many as keep the rows waiting ``queued`` (claimed, not
    yet taken by a send task) within it; none once it is reached. Two dispatchers claiming
    at the same moment on PostgreSQL may each see the same room: the cap bounds the
    backlog, it is not an exact count."""
    with db.transaction() as session:
        if max_waiting is not None:
            waiting = session.execute(_WAITING, {"cap": max_waiting}).scalar_one()
            batch = min(batch, max_waiting - waiting)
            if batch <= 0:
                return []
        query = _CLAIMS[not db.is_sqlite]
        claimed = list(session.execute(query, {"now": now, "batch": batch}).scalars())
        if claimed:
            session.execute(_MARK_QUEUED, {"ids": claimed, "now": now})
    return claimed


def recover_stalled(
    db: Database,
    now: datetime,
    queued_timeout: timedelta = timedelta(seconds=60),
    sending_timeout: timedelta = timedelta(seconds=120),
) -> int:
    """Put messages whose task or worker was lost back on the schedule."""
    with db.transaction() as session:
        lost = session.execute(
            update(Message)
            .where(Message.status == MessageStatus.QUEUED, Message.queued_at < now - queued_timeout)
            .values(status=MessageStatus.SCHEDULED, updated_at=now)
        )
        lost_tasks = rowcount(lost)
        dead = session.execute(
            update(Message)
            .where(
                Message.status == MessageStatus.SENDING,
                Message.claimed_at < now - sending_timeout,
            )
            .values(status=MessageStatus.SCHEDULED, updated_at=now)
        )
        dead_sends = rowcount(dead)
    if lost_tasks or dead_sends:
        log.warning("recovered %d lost and %d interrupted sends", lost_tasks, dead_sends)
    return lost_tasks + dead_sends


def queue_sends(runtime: ServiceRuntime, message_ids: list[str]) -> int:
    """Send tasks for the claimed messages, ``SEND_CHUNK`` ids each; returns how many
    messages reached the broker (a row whose task did not stays ``queued`` and is recovered
    after the queued timeout)."""
    if not message_ids:
        return 0
    queued = 0
    try:
        with runtime.celery.producer_or_acquire() as producer:
            for start in range(0, len(message_ids), SEND_CHUNK):
                chunk = message_ids[start : start + SEND_CHUNK]
                runtime.celery.send_task(
                    SEND_BATCH_TASK,
                    args=[chunk],
                    queue="notifications",
                    producer=producer,
                    retry=False,
                )
                queued += len(chunk)
    except Exception as exc:  # broker down: the rows stay queued and are recovered
        log.warning("could not queue sends (%s); will retry", type(exc).__name__)
    return queued


def dispatch(runtime: ServiceRuntime, *, budget_seconds: float | None = None) -> int:
    """Queue every due message for the send tasks (the scheduler's sweep); returns how many.

    A sweep claims one batch, hands it to the broker, and only then claims the next, each
    batch stamped with its own claim time. It stops after ``budget_seconds`` (by default
    half the queued timeout), or once ``max_waiting_sends`` rows wait ``queued``, and leaves
    the rest to the next sweep: a row it claimed is handed off long before another sweep's
    recovery would take it for lost.

    What an action makes due at once does not wait for a sweep
    (:func:`dispatch_after_commit`).
    """
    settings = runtime.settings
    recover_stalled(
        runtime.db,
        utcnow(),
        queued_timeout=timedelta(seconds=settings.queued_timeout_seconds),
        sending_timeout=timedelta(seconds=settings.sending_timeout_seconds),
    )
    if budget_seconds is None:
        budget_seconds = settings.queued_timeout_seconds / 2
    deadline = time.monotonic() + budget_seconds
    total = 0
    while True:
        claimed = claim_due(runtime.db, utcnow(), max_waiting=settings.max_waiting_sends)
        queued = queue_sends(runtime, claimed)
        total += queued
        if queued < len(claimed) or len(claimed) < BATCH or time.monotonic() >= deadline:
            return total


def dispatch_after_commit(uow, messages: list) -> None:
    """Messages due now do not wait for the next sweep: they are claimed in the transaction
    that scheduled them, and sent or queued right after its commit, without regard to the
    cap on rows waiting ``queued``: a crisis alert goes out behind the sends already
    waiting, not behind the whole night's backlog.

    A web request (or a send task's fallback) claims them ``queued`` and queues them for a
    worker: a request never waits on a provider. A worker applying an event claims the
    first ``SEND_CHUNK`` of them for sending, in the event's own transaction (the consent
    it applied is the consent they are claimed on), and hands them to their channels after
    the commit, as a send task would; the rest it queues first, so that other workers take
    them meanwhile. So an admission's welcome is sent by the worker that applied the
    admission: a send task less to publish and consume for each (see bench/README.md).

    No claim needs a transaction of its own: rows this transaction inserted are seen by no
    other dispatcher before it commits, so nothing can have claimed them first. Should the
    process die after the commit, the rows wait ``queued`` or ``sending`` and the sweep's
    recovery puts them back on the schedule after the timeout, as for a lost send task or
    a worker that died mid-send."""
    now = utcnow()
    due = [
        m
        for m in messages
        if m is not None and m.status == MessageStatus.SCHEDULED and m.scheduled_for <= now
    ]
    if not due:
        return
    for message in due:
        message.status = MessageStatus.QUEUED
        message.queued_at = message.updated_at = now
    ids = [m.id for m in due]
    runtime = uow.runtime
    if not uow.applies_delivered_event:
        uow.after_commit(lambda: queue_sends(runtime, ids))
        return
    here, rest = ids[:SEND_CHUNK], ids[SEND_CHUNK:]
    facts, claimed_at, started = ChunkFacts(), utcnow(), time.monotonic()
    claims, settled = claim_in(runtime, uow.session, here, facts, claimed_at)

    def send_after_commit() -> None:
        from services.notifications.delivery import send_chunk, send_claims

        queue_sends(runtime, rest)
        with log_context(service=runtime.name):
            again = send_claims(runtime, claims, settled, facts, claimed_at, started, {})
        if again:  # behind a slow provider: claimed afresh
            send_chunk(runtime, again, facts)

    uow.after_commit(send_after_commit)
