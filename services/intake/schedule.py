"""Intake's periodic work, sent by Celery beat: its event plumbing, the heartbeat and the
daily retention sweep."""

from __future__ import annotations

from shared.beat import Entry, event_plumbing, every
from shared.settings import Settings

QUEUE = "intake"
HEARTBEAT_TASK = "intake.heartbeat"  # registered by services/intake/tasks.py
SWEEP_RETENTION_TASK = "intake.sweep_retention"  # registered by services/intake/tasks.py
#: Retention is counted in years: a daily sweep proposes an erasure within a day of it being due.
SWEEP_RETENTION_EVERY_SECONDS = 86400.0
SWEEP_RETENTION_EXPIRES_SECONDS = 3600.0


def beat_entries(settings: Settings) -> dict[str, Entry]:
    heartbeat = settings.heartbeat_interval_seconds
    return {
        **event_plumbing(QUEUE, settings),
        # a heartbeat not started within its own interval is replaced by the next one
        "intake-heartbeat": every(HEARTBEAT_TASK, heartbeat, queue=QUEUE, expires=heartbeat),
        # one not started within the hour waits for the next day's
        "intake-sweep-retention": every(
            SWEEP_RETENTION_TASK,
            SWEEP_RETENTION_EVERY_SECONDS,
            queue=QUEUE,
            expires=SWEEP_RETENTION_EXPIRES_SECONDS,
        ),
    }
