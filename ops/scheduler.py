"""The scheduler (Celery beat): every service's periodic work, sent by task name to its queue.

Each service declares its entries in its ``schedule.py``; this merges them. It imports those
small declarations only, never a service's application, so beat stays light.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from celery import Celery

from services.assessment import schedule as assessment
from services.intake import schedule as intake
from services.notifications import schedule as notifications
from shared.beat import Entry
from shared.logs import hand_celery_logging
from shared.settings import SCHEDULER, Settings, load_settings

SCHEDULES: Mapping[str, Callable[[Settings], dict[str, Entry]]] = {
    "intake": intake.beat_entries,
    "assessment": assessment.beat_entries,
    "notifications": notifications.beat_entries,
}


class DuplicateEntry(ValueError):
    """Two services declared a beat entry of the same name: one would silently win."""


def beat_schedule(settings: Settings) -> dict[str, Entry]:
    """Every service's beat entries in one schedule."""
    merged: dict[str, Entry] = {}
    for service, entries in SCHEDULES.items():
        for name, entry in entries(settings).items():
            if name in merged:
                raise DuplicateEntry(f"{service} declares beat entry {name!r} a second time")
            merged[name] = entry
    return merged


def make_scheduler() -> Celery:
    settings = load_settings(service=SCHEDULER)
    beat = Celery("scheduler", broker=settings.redis_url, set_as_current=False)
    hand_celery_logging("scheduler")
    beat.conf.update(
        beat_schedule=beat_schedule(settings),
        beat_schedule_filename=str(settings.var_dir / "celerybeat-schedule"),
        broker_connection_retry_on_startup=True,
        broker_transport_options={"socket_connect_timeout": 2, "socket_timeout": 5},
        enable_utc=True,
        timezone="UTC",
    )
    return beat


app = make_scheduler()
celery = app
