"""Intake's periodic work, sent by Celery beat: its event plumbing and the heartbeat."""

from __future__ import annotations

from shared.beat import Entry, event_plumbing, every
from shared.settings import Settings

QUEUE = "intake"
HEARTBEAT_TASK = "intake.heartbeat"  # registered by services/intake/tasks.py


def beat_entries(settings: Settings) -> dict[str, Entry]:
    heartbeat = settings.heartbeat_interval_seconds
    return {
        **event_plumbing(QUEUE, settings),
        # a heartbeat not started within its own interval is replaced by the next one
        "intake-heartbeat": every(HEARTBEAT_TASK, heartbeat, queue=QUEUE, expires=heartbeat),
    }
