"""Beat entries: what a service asks Celery beat to send it, by task name, and how often.

A service's ``schedule.py`` declares its entries with :func:`every`, starting from
:func:`event_plumbing` (the relay and the pruning that :mod:`shared.runtime` registers in
every service); the scheduler (``ops.scheduler``) merges them all. Each entry expires
quickly, so a backlog of sweeps never piles up in Redis while a service's workers are away.
"""

from __future__ import annotations

from typing import Any

from celery.schedules import crontab

from shared.settings import Settings

Entry = dict[str, Any]

#: The hourly sweeps' minutes past each hour. The transport key's rotation comes first, so
#: the day's key is made a minute after the UTC day turns; the pruning of event
#: bookkeeping, the least urgent, half an hour away from it.
ROTATE_TRANSPORT_KEY_MINUTE = 1
PRUNE_MINUTE = 31
PRUNE_EXPIRES_SECONDS = 600


def every(task: str, seconds: float, *, queue: str, expires: float) -> Entry:
    """Send ``task`` to ``queue`` every ``seconds``; unstarted after ``expires``, it is dropped."""
    return {"task": task, "schedule": seconds, "options": {"queue": queue, "expires": expires}}


def hourly_at(task: str, minute: int, *, queue: str, expires: float) -> Entry:
    """Send ``task`` to ``queue`` every hour at ``minute`` past. Not ``every(task, 3600)``,
    for the reason :func:`daily_at` gives: a scheduler restarted more often than hourly
    would never run it."""
    return {
        "task": task,
        "schedule": crontab(minute=minute),
        "options": {"queue": queue, "expires": expires},
    }


def daily_at(task: str, hour: int, *, queue: str, expires: float) -> Entry:
    """Send ``task`` to ``queue`` once a day at ``hour``:00 UTC.

    Not ``every(task, 86400)``: beat counts an interval from its own start (the schedule
    file lives in a temp dir of the scheduler's container), so a scheduler restarted once a
    day, by a deploy, would never reach the first run of a daily interval."""
    return {
        "task": task,
        "schedule": crontab(minute=0, hour=hour),
        "options": {"queue": queue, "expires": expires},
    }


def sweep_expiry(interval: float) -> float:
    """A frequent sweep waits five rounds (at least 10 s) before the next one replaces it."""
    return max(interval * 5, 10)


def event_plumbing(service: str, settings: Settings) -> dict[str, Entry]:
    """Every service's: republish what the outbox still holds, forget old event bookkeeping."""
    relay = settings.relay_interval_seconds
    return {
        f"{service}-relay-outbox": every(
            f"{service}.relay_outbox", relay, queue=service, expires=sweep_expiry(relay)
        ),
        f"{service}-rotate-transport-key": hourly_at(
            f"{service}.rotate_transport_key",
            ROTATE_TRANSPORT_KEY_MINUTE,
            queue=service,
            expires=PRUNE_EXPIRES_SECONDS,
        ),
        f"{service}-prune-events": hourly_at(
            f"{service}.prune_events",
            PRUNE_MINUTE,
            queue=service,
            expires=PRUNE_EXPIRES_SECONDS,
        ),
    }
