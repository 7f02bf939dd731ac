"""What one admission costs each service's own code, without a broker, a server or a pool.

The three apps are built in this process on SQLite files in a temp dir (the settings of
``make run``). Intake registers N clients and admits them through its API (Flask's test
client); the events intake's outbox holds are handed, in order and as the relay would send
them (with the client's key for each subscriber), to assessment's and notifications'
``EventConsumer.consume``: the inbox, the handlers, the outbox and the commit, as a worker
runs them. Background publishing is off, so nothing reaches Redis.

It prints the CPU per admission of intake's request, of each consumer's handling of
``client.admitted`` (notifications' includes the welcome's send, which the consumer makes
right after the commit, through the ``log`` channel of development), and of notifications'
handling of ``assessment.due``, best of ``ROUNDS``. Set against the suite's own figure
(``bench.pipeline``: every process, from the request to the welcome sent), it tells what is
the services' code and what is the transport (Celery, the broker, the pools, the
after-commit publish).

    .venv/bin/python -m bench.handler_cpu
    BENCH_SCALE=0.5 .venv/bin/python -m bench.handler_cpu
"""

from __future__ import annotations

import json
import os
import random
import tempfile
import time
from pathlib import Path

from bench.common import (
    REDIS_URL,
    dev_env,
    ensure_redis,
    exit_on_sigterm,
    flush_bench_redis,
    scaled,
    stop,
    table,
)
from bench.intake_write import client_body

ADMISSIONS = scaled(300)  # per round
ROUNDS = 3
CONSUMERS = ("assessment", "notifications")


class Apps:
    """The three services' apps in this process, one foundation without quiet hours."""

    def __init__(self, var_dir: Path):
        from ops.migrations import upgrade
        from services.assessment.app import create_app as assessment_app
        from services.intake.app import create_app as intake_app
        from services.notifications.app import create_app as notifications_app
        from shared.auth import issue_token
        from shared.settings import load_settings

        env = dev_env(var_dir)
        os.environ.update(env)  # the apps read their settings as `make run` gives them
        settings = load_settings(env)
        for service in ("intake", *CONSUMERS):
            upgrade(service, settings.database_url(service))
        apps = {
            "intake": intake_app(settings),
            "assessment": assessment_app(settings),
            "notifications": notifications_app(settings),
        }
        self.runtimes = {name: app.extensions["pendamping"] for name, app in apps.items()}
        for runtime in self.runtimes.values():
            runtime.publisher.kick = lambda events: None  # events are handed over below
        self.intake = apps["intake"].test_client()
        operator = issue_token(settings.secret_key, sub="bench", role="operator")
        answer = self.intake.post(
            "/foundations",
            json={
                "slug": "bench",
                "name": "Yayasan Bench",
                "quiet_hours": {"start": "00:00", "end": "00:00"},
            },
            headers={"Authorization": f"Bearer {operator}"},
        )
        assert answer.status_code == 201, answer.json
        worker = issue_token(
            settings.secret_key,
            sub="sw-bench",
            role="social_worker",
            foundation="bench",
            ttl_seconds=3600,
        )
        self.headers = {"Authorization": f"Bearer {worker}"}
        self.last_row = {"intake": 0, "assessment": 0}

    def register(self, count: int, rng: random.Random) -> list[str]:
        ids = []
        for _ in range(count):
            answer = self.intake.post("/clients", json=client_body(rng), headers=self.headers)
            assert answer.status_code == 201, answer.json
            ids.append(answer.json["id"])
        return ids

    def admit(self, ids: list[str]) -> float:
        """CPU seconds of the admission requests."""
        started = time.process_time()
        for client_id in ids:
            answer = self.intake.post(
                f"/clients/{client_id}/admission",
                json={"family_agreement": True},
                headers=self.headers,
            )
            assert answer.status_code in (200, 201), answer.json
        return time.process_time() - started

    def new_events(self, producer: str = "intake") -> list[tuple[str, dict]]:
        """``producer``'s events since the last call, as its relay sends them."""
        from sqlalchemy import text

        runtime = self.runtimes[producer]
        with runtime.db.reading() as session:
            rows = session.execute(
                text("SELECT rowid, type, envelope FROM outbox WHERE rowid > :last ORDER BY rowid"),
                {"last": self.last_row[producer]},
            ).all()
        if rows:
            self.last_row[producer] = rows[-1].rowid
        return [
            (
                row.type,
                runtime.relay._with_client_key(json.loads(row.envelope), row.envelope, CONSUMERS),
            )
            for row in rows
        ]

    def check_welcomes_sent(self, client_ids: list[str]) -> None:
        """Every admitted client's family welcome went out: the figures are of sends, not
        of welcomes held or deferred."""
        from sqlalchemy import text

        with self.runtimes["notifications"].db.reading() as session:
            statuses = dict(
                session.execute(
                    text(
                        "SELECT status, count(*) FROM messages "
                        "WHERE template = 'family.welcome' GROUP BY status"
                    )
                ).all()
            )
        sent = statuses.get("sent", 0)
        assert sent >= len(client_ids) and set(statuses) == {"sent"}, statuses

    def deliver(self, events: list[tuple[str, dict]], timed: str | None = None) -> dict:
        """Each event to the consumers among its subscribers; CPU seconds per consumer for
        the ``timed`` type."""
        from shared.events.catalogue import subscribers_of

        cpu = dict.fromkeys(CONSUMERS, 0.0)
        for event_type, envelope in events:
            for service in set(CONSUMERS) & set(subscribers_of(event_type)):
                started = time.process_time()
                self.runtimes[service].consumer.consume(envelope, first_delivery=True)
                if event_type == timed:
                    cpu[service] += time.process_time() - started
        return cpu


def run() -> dict:
    rng = random.Random(17)
    with tempfile.TemporaryDirectory(prefix="bench-handlers-") as name:
        redis_process = ensure_redis(Path(name))
        try:
            best = _rounds(Apps(Path(name)), rng)
        finally:
            flush_bench_redis()
            if redis_process is not None:
                stop(redis_process)
    return {"admissions": ADMISSIONS, "rounds": ROUNDS, "cpu_ms": best}


def _rounds(apps: Apps, rng: random.Random) -> dict[str, float]:
    from services.intake.tasks import emit_heartbeat

    best: dict[str, float] = {}
    for _ in range(ROUNDS):
        ids = apps.register(ADMISSIONS, rng)
        # intake's heartbeat, as the scheduler sends it: without a recent one notifications
        # holds family messages (consent data may be stale) instead of sending them
        emit_heartbeat(apps.runtimes["intake"])
        apps.deliver(apps.new_events())  # the consumers learn the clients and the heartbeat
        figures = {"intake: admission request": apps.admit(ids)}
        handled = apps.deliver(apps.new_events(), timed="client.admitted")
        figures["assessment: client.admitted handled"] = handled["assessment"]
        # the worker that applies the admission sends the welcome itself (dispatcher.py)
        figures["notifications: client.admitted handled, the welcome sent"] = handled[
            "notifications"
        ]
        due = apps.deliver(apps.new_events("assessment"), timed="assessment.due")
        figures["notifications: assessment.due handled"] = due["notifications"]
        apps.check_welcomes_sent(ids)
        for label, seconds in figures.items():
            ms = seconds / len(ids) * 1000
            best[label] = min(best.get(label, ms), ms)
    return best


def render(result: dict) -> str:
    rows = [[label, ms] for label, ms in result["cpu_ms"].items()]
    rows.append(["sum", sum(result["cpu_ms"].values())])
    return table(
        f"CPU ms per admission in each service's own code, no broker (best of "
        f"{result['rounds']} rounds of {result['admissions']}; Redis {REDIS_URL})",
        ["what", "CPU ms"],
        rows,
    )


def main() -> None:
    exit_on_sigterm()
    print(render(run()))


if __name__ == "__main__":
    main()
