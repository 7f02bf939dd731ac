"""Intake's own Celery tasks: the heartbeat that proves its outbox is flowing, and the
daily retention sweep."""

from __future__ import annotations

from datetime import datetime, timedelta

from celery.signals import worker_ready
from sqlalchemy import delete

from services.intake.retention import sweep_retention
from services.intake.schedule import SWEEP_RETENTION_TASK
from shared.db import utcnow
from shared.runtime import ServiceRuntime

HEARTBEAT_TASK = "intake.heartbeat"
KEEP_HEARTBEATS = timedelta(hours=1)


def emit_heartbeat(runtime: ServiceRuntime) -> str:
    """A heartbeat through the outbox, like every consent change: if it reaches
    notifications, so have all consent changes before it. Old published heartbeats go."""
    outbox = runtime.tables.outbox
    with runtime.unit_of_work() as uow:
        event_id = uow.emit(
            "intake.heartbeat", subject="intake", foundation=None, data={"at": utcnow()}
        )
        uow.session.execute(
            delete(outbox).where(
                outbox.c.type == "intake.heartbeat",
                outbox.c.published_at.is_not(None),
                outbox.c.created_at < utcnow() - KEEP_HEARTBEATS,
            )
        )
    return event_id


def register_tasks(runtime: ServiceRuntime) -> None:
    celery = runtime.celery

    @celery.task(name=HEARTBEAT_TASK, ignore_result=True, shared=False)
    def heartbeat() -> str:
        """Sent by the scheduler every few seconds."""
        return emit_heartbeat(runtime)

    @celery.task(name=SWEEP_RETENTION_TASK, ignore_result=True, shared=False)
    def sweep_retention_task(now: str | None = None) -> int:
        """Propose the erasure of clients kept past retention (sent daily by the scheduler).
        ``now``: an ISO 8601 time with an offset to sweep at (the present when not given)."""
        return sweep_retention(runtime, datetime.fromisoformat(now) if now else None)

    @worker_ready.connect(weak=False)
    def _first_heartbeat(sender=None, **_kwargs) -> None:
        # Notifications holds family messages until it hears from intake: do not make it
        # wait for the scheduler's first tick.
        if sender is not None and getattr(sender, "app", None) is celery:
            emit_heartbeat(runtime)
