"""Notifications' periodic work, sent by Celery beat: its event plumbing, the dispatcher
that queues every message whose time has come, and the daily pruning of the inbound
webhook's receipts."""

from __future__ import annotations

from shared.beat import Entry, daily_at, event_plumbing, every, sweep_expiry
from shared.settings import Settings

QUEUE = "notifications"
DISPATCH_TASK = "notifications.dispatch_due"  # registered by services/notifications/tasks.py
PRUNE_RECEIPTS_TASK = "notifications.prune_inbound_receipts"  # likewise
PRUNE_RECEIPTS_HOUR_UTC = 20  # 03:00 in Jakarta
PRUNE_RECEIPTS_EXPIRES_SECONDS = 3600.0


def beat_entries(settings: Settings) -> dict[str, Entry]:
    dispatch = settings.dispatch_interval_seconds
    return {
        **event_plumbing(QUEUE, settings),
        "notifications-dispatch": every(
            DISPATCH_TASK, dispatch, queue=QUEUE, expires=sweep_expiry(dispatch)
        ),
        "notifications-prune-inbound-receipts": daily_at(
            PRUNE_RECEIPTS_TASK,
            PRUNE_RECEIPTS_HOUR_UTC,
            queue=QUEUE,
            expires=PRUNE_RECEIPTS_EXPIRES_SECONDS,
        ),
    }
