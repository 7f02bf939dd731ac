"""Intake's periodic work, sent by Celery beat: its event plumbing, the heartbeat and the
daily retention sweep."""

from __future__ import annotations

from shared.beat import Entry, daily_at, event_plumbing, every
from shared.settings import Settings

QUEUE = "intake"
HEARTBEAT_TASK = "intake.heartbeat"  # registered by services/intake/tasks.py
SWEEP_RETENTION_TASK = "intake.sweep_retention"  # registered by services/intake/tasks.py
#: Retention is counted in years: a daily sweep proposes an erasure within a day of it being
#: due. At 19:00 UTC: 02:00 in Jakarta, 03:00 in Makassar, 04:00 in Jayapura, the quiet of
#: every Indonesian foundation's night.
SWEEP_RETENTION_HOUR_UTC = 19
SWEEP_RETENTION_EXPIRES_SECONDS = 3600.0


def beat_entries(settings: Settings) -> dict[str, Entry]:
    heartbeat = settings.heartbeat_interval_seconds
    return {
        **event_plumbing(QUEUE, settings),
        # a heartbeat not started within its own interval is replaced by the next one
        "intake-heartbeat": every(HEARTBEAT_TASK, heartbeat, queue=QUEUE, expires=heartbeat),
        # one not started within the hour waits for the next day's
        "intake-sweep-retention": daily_at(
            SWEEP_RETENTION_TASK,
            SWEEP_RETENTION_HOUR_UTC,
            queue=QUEUE,
            expires=SWEEP_RETENTION_EXPIRES_SECONDS,
        ),
    }
