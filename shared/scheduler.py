"""The scheduler (Celery beat): the periodic sweeps, sent by task name to each queue.

It imports no service code: it only names tasks. Each sweep expires quickly, so a backlog
of sweeps never piles up in Redis while workers are away.
"""

from __future__ import annotations

from celery import Celery

from shared.logs import hand_celery_logging
from shared.settings import SCHEDULER, SERVICES, load_settings


def make_scheduler() -> Celery:
    settings = load_settings(service=SCHEDULER)
    beat = Celery("scheduler", broker=settings.redis_url, set_as_current=False)
    hand_celery_logging("scheduler")
    relay_every = settings.relay_interval_seconds
    schedule = {
        f"{service}-relay-outbox": {
            "task": f"{service}.relay_outbox",
            "schedule": relay_every,
            "options": {"queue": service, "expires": max(relay_every * 5, 10)},
        }
        for service in SERVICES
    }
    schedule["notifications-dispatch"] = {
        "task": "notifications.dispatch_due",
        "schedule": settings.dispatch_interval_seconds,
        "options": {
            "queue": "notifications",
            "expires": max(settings.dispatch_interval_seconds * 5, 10),
        },
    }
    for service in SERVICES:
        schedule[f"{service}-prune-events"] = {
            "task": f"{service}.prune_events",
            "schedule": 3600.0,
            "options": {"queue": service, "expires": 600},
        }
    schedule["intake-heartbeat"] = {
        "task": "intake.heartbeat",
        "schedule": settings.heartbeat_interval_seconds,
        "options": {"queue": "intake", "expires": settings.heartbeat_interval_seconds},
    }
    beat.conf.update(
        beat_schedule=schedule,
        beat_schedule_filename=str(settings.var_dir / "celerybeat-schedule"),
        broker_connection_retry_on_startup=True,
        broker_transport_options={"socket_connect_timeout": 2, "socket_timeout": 5},
        enable_utc=True,
        timezone="UTC",
    )
    return beat


app = make_scheduler()
celery = app
