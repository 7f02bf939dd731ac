"""Notifications' periodic work, sent by Celery beat: its event plumbing and the dispatcher
that queues every message whose time has come."""

from __future__ import annotations

from shared.beat import Entry, event_plumbing, every, sweep_expiry
from shared.settings import Settings

QUEUE = "notifications"
DISPATCH_TASK = "notifications.dispatch_due"  # registered by services/notifications/tasks.py


def beat_entries(settings: Settings) -> dict[str, Entry]:
    dispatch = settings.dispatch_interval_seconds
    return {
        **event_plumbing(QUEUE, settings),
        "notifications-dispatch": every(
            DISPATCH_TASK, dispatch, queue=QUEUE, expires=sweep_expiry(dispatch)
        ),
    }
