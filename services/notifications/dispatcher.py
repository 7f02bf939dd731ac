"""The dispatcher: moves due message rows to the send task, and recovers stalled ones.

Scheduled work lives in the ``messages`` table, never in long Celery ETAs. Several
dispatchers may run at once: due rows are claimed (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL; SQLite serialises writers) by moving them from ``scheduled`` to ``queued``.
A row left ``queued`` (its task lost with a Redis restart) or ``sending`` (its worker died
mid-send) past a timeout is put back on the schedule; it is re-sent under the same
idempotency key, which the provider de-duplicates.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select, update

from services.notifications.models import Message
from shared.db import Database, utcnow
from shared.runtime import ServiceRuntime

log = logging.getLogger(__name__)

SEND_TASK = "notifications.send_message"
DISPATCH_TASK = "notifications.dispatch_due"
BATCH = 500


def claim_due(
    db: Database, now: datetime, *, batch: int = BATCH, ids: list[str] | None = None
) -> list[str]:
    """Claim up to ``batch`` due messages (optionally only ``ids``); returns their ids."""
    with db.transaction() as session:
        query = (
            select(Message.id)
            .where(Message.status == "scheduled", Message.scheduled_for <= now)
            .order_by(Message.scheduled_for)
            .limit(batch)
        )
        if ids is not None:
            query = query.where(Message.id.in_(ids))
        if not db.is_sqlite:
            query = query.with_for_update(skip_locked=True)
        claimed = list(session.execute(query).scalars())
        if claimed:
            session.execute(
                update(Message)
                .where(Message.id.in_(claimed), Message.status == "scheduled")
                .values(status="queued", queued_at=now, updated_at=now)
            )
    return claimed


def recover_stalled(
    db: Database,
    now: datetime,
    queued_timeout: timedelta = timedelta(seconds=60),
    sending_timeout: timedelta = timedelta(seconds=120),
) -> int:
    """Put messages whose task or worker was lost back on the schedule."""
    with db.transaction() as session:
        lost_tasks = session.execute(
            update(Message)
            .where(Message.status == "queued", Message.queued_at < now - queued_timeout)
            .values(status="scheduled", updated_at=now)
        ).rowcount
        dead_sends = session.execute(
            update(Message)
            .where(Message.status == "sending", Message.claimed_at < now - sending_timeout)
            .values(status="scheduled", updated_at=now)
        ).rowcount
    if lost_tasks or dead_sends:
        log.warning("recovered %d lost and %d interrupted sends", lost_tasks, dead_sends)
    return (lost_tasks or 0) + (dead_sends or 0)


def dispatch(runtime: ServiceRuntime, ids: list[str] | None = None) -> int:
    """Send every due message (or only ``ids``, right after they were scheduled)."""
    now = utcnow()
    if ids is None:
        settings = runtime.settings
        recover_stalled(
            runtime.db,
            now,
            queued_timeout=timedelta(seconds=settings.queued_timeout_seconds),
            sending_timeout=timedelta(seconds=settings.sending_timeout_seconds),
        )
    total = 0
    while True:
        claimed = claim_due(runtime.db, now, ids=ids)
        for message_id in claimed:
            try:
                runtime.celery.send_task(
                    SEND_TASK, args=[message_id], queue="notifications", retry=False
                )
            except Exception as exc:  # broker down: the rows stay queued and are recovered
                log.warning("could not queue sends (%s); will retry", type(exc).__name__)
                return total
            total += 1
        if ids is not None or len(claimed) < BATCH:
            return total


def dispatch_after_commit(uow, messages: list) -> None:
    """Messages due now do not wait for the next sweep: queue them right after the commit."""
    now = utcnow()
    due = [
        m.id
        for m in messages
        if m is not None and m.status == "scheduled" and m.scheduled_for <= now
    ]
    if due:
        runtime = uow.runtime
        uow.after_commit(lambda: dispatch(runtime, ids=due))
