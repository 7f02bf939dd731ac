"""Celery beat's schedule: each service declares its entries (``services/<name>/schedule.py``),
the scheduler (``ops.scheduler``) merges them, and every task named is one its service's
worker runs."""

from __future__ import annotations

import dataclasses

import pytest
from celery.schedules import crontab

from ops.scheduler import SCHEDULES, DuplicateEntry, beat_schedule
from tests.conftest import make_settings

pytestmark = pytest.mark.integration


def _settings(tmp_path):
    """Settings as a process reads them; nothing here connects anywhere."""
    return dataclasses.replace(
        make_settings(tmp_path, "redis://127.0.0.1:1/0"),
        relay_interval_seconds=1.0,
        dispatch_interval_seconds=30.0,
        heartbeat_interval_seconds=15.0,
    )


# (entry, task, queue, every, expires): a sweep expires after five rounds, at least 10 s
EXPECTED = [
    ("intake-relay-outbox", "intake.relay_outbox", "intake", 1.0, 10),
    ("assessment-relay-outbox", "assessment.relay_outbox", "assessment", 1.0, 10),
    ("notifications-relay-outbox", "notifications.relay_outbox", "notifications", 1.0, 10),
    ("notifications-dispatch", "notifications.dispatch_due", "notifications", 30.0, 150.0),
    ("intake-prune-events", "intake.prune_events", "intake", crontab(minute=31), 600),
    ("assessment-prune-events", "assessment.prune_events", "assessment", crontab(minute=31), 600),
    (
        "notifications-prune-events",
        "notifications.prune_events",
        "notifications",
        crontab(minute=31),
        600,
    ),
    (
        "intake-rotate-transport-key",
        "intake.rotate_transport_key",
        "intake",
        crontab(minute=1),
        600,
    ),
    (
        "assessment-rotate-transport-key",
        "assessment.rotate_transport_key",
        "assessment",
        crontab(minute=1),
        600,
    ),
    (
        "notifications-rotate-transport-key",
        "notifications.rotate_transport_key",
        "notifications",
        crontab(minute=1),
        600,
    ),
    ("intake-heartbeat", "intake.heartbeat", "intake", 15.0, 15.0),
    (
        "intake-sweep-retention",
        "intake.sweep_retention",
        "intake",
        crontab(minute=0, hour=19),
        3600.0,
    ),
    ("assessment-sweep-risk", "assessment.sweep_risk", "assessment", crontab(minute=2), 3600.0),
    (
        "notifications-prune-inbound-receipts",
        "notifications.prune_inbound_receipts",
        "notifications",
        crontab(minute=0, hour=20),
        3600.0,
    ),
]


def test_the_merged_schedule_sends_each_sweep_to_its_queue(tmp_path):
    schedule = beat_schedule(_settings(tmp_path))
    assert sorted(schedule) == sorted(name for name, *_ in EXPECTED)
    for name, task, queue, every, expires in EXPECTED:
        assert schedule[name] == {
            "task": task,
            "schedule": every,
            "options": {"queue": queue, "expires": expires},
        }, name


def test_every_task_beat_sends_is_registered_by_its_service(suite):
    for service, entries in SCHEDULES.items():
        registered = suite.apps()[service].extensions["celery"].tasks
        for name, entry in entries(suite.settings).items():
            assert entry["options"]["queue"] == service, name
            assert entry["task"] in registered, f"{name}: {service} registers no {entry['task']}"


def test_two_services_declaring_one_entry_is_an_error(tmp_path, monkeypatch):
    twice = {**SCHEDULES, "assessment": SCHEDULES["intake"]}
    monkeypatch.setattr("ops.scheduler.SCHEDULES", twice)
    with pytest.raises(DuplicateEntry, match="intake-relay-outbox"):
        beat_schedule(_settings(tmp_path))


def test_the_retention_sweep_runs_at_its_hour_whenever_the_scheduler_started(tmp_path):
    """A scheduler restarted every day (a deploy) still runs the daily sweep: it is due at
    19:00 UTC the first time that hour comes, not a full day after the scheduler's start."""
    from datetime import UTC, datetime

    schedule = beat_schedule(_settings(tmp_path))["intake-sweep-retention"]["schedule"]
    started = datetime(2026, 12, 7, 18, 30, tzinfo=UTC)  # half an hour before 19:00
    schedule.nowfun = lambda: started
    due, wait_seconds = schedule.is_due(started)
    assert (due, wait_seconds) == (False, 1800.0)


@pytest.mark.parametrize(
    ("entry", "minute"),
    [
        ("intake-rotate-transport-key", 1),
        ("assessment-sweep-risk", 2),
        ("notifications-prune-events", 31),
    ],
)
def test_the_hourly_sweeps_run_at_their_minute_however_often_the_scheduler_restarts(
    tmp_path, entry, minute
):
    """A scheduler restarted every half hour (a crash loop, deploys) still runs them: each
    is due at its minute past the next hour, not an hour after the scheduler's start."""
    from datetime import UTC, datetime

    schedule = beat_schedule(_settings(tmp_path))[entry]["schedule"]
    for started in (
        datetime(2026, 12, 7, 16, 59, 30, tzinfo=UTC),  # Jakarta's day turns at 17:00 UTC
        datetime(2026, 12, 7, 17, 29, 30, tzinfo=UTC),
    ):
        schedule.nowfun = lambda started=started: started
        due, wait_seconds = schedule.is_due(started)
        next_run = started.replace(minute=minute, second=0)
        if next_run <= started:
            next_run = next_run.replace(hour=started.hour + 1)
        assert (due, wait_seconds) == (False, (next_run - started).total_seconds()), started
