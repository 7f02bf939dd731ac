"""Assessment's own Celery tasks (besides the event consumer every service has)."""

from __future__ import annotations

from datetime import datetime

from services.assessment.risk_flags import sweep_flags
from services.assessment.schedule import SWEEP_RISK_TASK
from shared.runtime import ServiceRuntime


def register_tasks(runtime: ServiceRuntime) -> None:
    celery = runtime.celery

    @celery.task(name=SWEEP_RISK_TASK, ignore_result=True, shared=False)
    def sweep_risk(now: str | None = None, foundation: str | None = None) -> int:
        """Recompute the early-warning flags the passing of days can change (sent hourly by
        the scheduler), or every flag of ``foundation`` (sent when its thresholds change).
        ``now``: an ISO 8601 time with an offset to compute at (the present when not given)."""
        at = datetime.fromisoformat(now) if now else None
        return sweep_flags(runtime, at, foundation)
