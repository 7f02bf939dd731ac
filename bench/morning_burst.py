"""Benchmark 5, the morning burst: a foundation's quiet hours have just ended and every
family message held overnight is due at once. N of them go out through the real ``sms``
channel to a fake provider on loopback, vs a bare Celery task per message doing the same
POST.

Setup (not timed):

1. ``pendamping migrate`` on SQLite files in a temp dir; the fake provider
   (:mod:`bench.fake_provider`: HTTP/1.1 keep-alive, answers 200 with a message id) in a
   process of its own.
2. The foundation is created through intake's API with quiet hours that ended a minute
   ago (time zone Asia/Jakarta); an admin configures its ``sms`` channel through
   notifications' API (``PUT /channels/sms``: the provider's URL, a bearer key, a sender id).
3. N/4 clients are registered through intake's API (in this process, Flask's test client),
   each with two family contacts on SMS and consent to contact the family and share
   progress; intake's events reach notifications through Redis and a real notifications
   worker, as in production, and so do intake's heartbeats (emitted every 15 s by intake's
   own heartbeat function, here from a thread of this process, as its scheduled task does).
4. Each contact gets two messages that the night held: the reminder of tomorrow's family
   session and a progress update, written by ``scheduling.schedule_message`` (what the
   event handlers call) with a due time inside the night, so each row is ``scheduled`` for
   the end of the quiet hours with reason ``deferred_past_quiet_hours``. Rows are ordered so
   consecutive messages belong to different clients.

Drain (timed): a fresh notifications worker (the command ``pendamping run`` uses, same pool
and concurrency) and the real scheduler (``celery beat`` of ``ops.scheduler``; the
dispatcher every 2 s, the default) start; the drain runs from the first row queued to the
last row marked ``sent`` (the rows' own ``queued_at`` and ``sent_at``). Every message takes
the production path: the dispatcher's claim and ``notifications.send_messages`` tasks,
consent, recipient, opt-out and quiet-hours checks, rendering, the ``sending`` mark,
``POST /messages`` with its ``Idempotency-Key``, the ``sent`` mark.

Baseline (timed, right after): the same rows (id, phone, rendered body) in a plain SQLite
table, one task per message on the same Redis, drained by :mod:`bench.burst_baseline` with
the same pool and concurrency: read the row, POST the same JSON to the same provider, update
the row. From its first task taken to its last row updated.

The worker's RSS (its process tree) is sampled every half second during both drains. N is
10,000 and 100,000 (``BENCH_SCALE`` scales both; 100,000 runs only at ``BENCH_SCALE`` >= 1,
otherwise its drain time is extrapolated from the smaller one, and printed as such).

    .venv/bin/python -m bench.morning_burst
    BENCH_SCALE=0.1 .venv/bin/python -m bench.morning_burst    # 1,000 messages, ~1 minute
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.common import (
    BIN,
    REDIS_URL,
    SCALE,
    dev_env,
    ensure_redis,
    exit_on_sigterm,
    flush_bench_redis,
    free_port,
    redis_client,
    scaled,
    start,
    stop,
    table,
)

SIZES = [scaled(10_000, 100)] + ([scaled(100_000)] if SCALE >= 1 else [])
# BENCH_BURST_MAX=10000: stop after that size (the 100,000 drain takes minutes)
SIZES = [s for s in SIZES if s <= int(os.environ.get("BENCH_BURST_MAX", SIZES[-1]))] or SIZES[:1]
# BENCH_PYSPY_DIR=dir: record each drain's worker with py-spy (if installed) into dir
PYSPY_DIR = os.environ.get("BENCH_PYSPY_DIR")
BIG = 100_000  # extrapolated to when not run
FOUNDATION = "bench-burst"
TIMEZONE = "Asia/Jakarta"
API_KEY = "bench-provider-key-0123456789"
SENDER_ID = "PENDAMPING"
CONTACTS_PER_CLIENT = 2
MESSAGES_PER_CONTACT = 2  # a session reminder and a progress update
CONCURRENCY = os.environ.get("PENDAMPING_WORKER_CONCURRENCY", "2")
POOL = os.environ.get("PENDAMPING_WORKER_POOL", "")
HEARTBEAT_SECONDS = 15.0  # intake's default heartbeat interval
PENDING = ("scheduled", "queued", "sending")


def _worker_command(app: str, queue: str, node: str) -> list[str]:
    """A Celery worker as ``pendamping run`` starts one (ops/runner.py)."""
    from ops.runner import worker_pool

    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        app,
        "worker",
        "-Q",
        queue,
        "-n",
        f"{node}@%h",
        *worker_pool(CONCURRENCY, POOL),
        "--loglevel",
        "INFO",
        "--without-gossip",
        "--without-mingle",
    ]


def _parse(value: str | None) -> float:
    """A timestamp column as SQLite stores it (UTC, no offset) -> epoch seconds."""
    return datetime.fromisoformat(value).replace(tzinfo=UTC).timestamp()


def _tree_cpu(pid: int) -> float:
    from bench.footprint import cpu_seconds

    return sum(cpu_seconds(pid).values())


class RssSampler:
    """The RSS of a process tree (KiB), every ``interval`` seconds on a thread."""

    def __init__(self, pid: int, interval: float = 0.5):
        self.pid, self.interval = pid, interval
        self.samples: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        from bench.footprint import process_tree, rss_kib

        while not self._stop.is_set():
            self.samples.append(sum(rss_kib(p) for p in process_tree(self.pid)))
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def summary(self) -> dict:
        return {
            "rss_start_mib": self.samples[0] / 1024,
            "rss_peak_mib": max(self.samples) / 1024,
            "rss_end_mib": self.samples[-1] / 1024,
            "rss_samples": len(self.samples),
        }


class Profile:
    """``py-spy record --gil`` (the thread holding the GIL: where the CPU goes) of a worker
    while it drains, as collapsed stacks, when BENCH_PYSPY_DIR is set (py-spy is a
    development tool, not a dependency: ``.venv/bin/pip install py-spy``)."""

    def __init__(self, pid: int, name: str):
        self.process = None
        if PYSPY_DIR:
            out = Path(PYSPY_DIR) / f"{name}.txt"
            command = [str(BIN / "py-spy"), "record", "--pid", str(pid), "--subprocesses"]
            command += ["--gil", "--rate", "100", "--format", "raw", "--output", str(out)]
            self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)

    def __enter__(self) -> Profile:
        return self

    def __exit__(self, *exc) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
            self.process.wait(60)


class Provider:
    """The fake provider's process and its counters."""

    def __init__(self, var_dir: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = start(
            [sys.executable, "-m", "bench.fake_provider", str(self.port), API_KEY],
            dict(os.environ),
            var_dir / "provider.log",
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                self.stats()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def stats(self) -> dict:
        with urllib.request.urlopen(self.url + "/stats", timeout=5) as response:
            return json.loads(response.read())

    def reset(self) -> None:
        request = urllib.request.Request(self.url + "/reset", data=b"{}", method="POST")
        urllib.request.urlopen(request, timeout=5).read()

    def cpu(self) -> float:
        return _tree_cpu(self.process.pid)


class Burst:
    """The setup: databases, in-process intake and notifications apps, the provider."""

    def __init__(self, var_dir: Path):
        from services.intake.app import create_app as create_intake
        from services.notifications.app import create_app as create_notifications
        from shared.auth import issue_token
        from shared.settings import load_settings

        self.var_dir = var_dir
        self.env = dev_env(var_dir, PYTHONUNBUFFERED="1")
        subprocess.run(
            [sys.executable, "-m", "ops.cli", "migrate"],
            env=self.env,
            check=True,
            capture_output=True,
        )
        self.settings = load_settings(self.env)
        self.intake = create_intake(self.settings)
        self.notifications = create_notifications(self.settings)
        secret = self.settings.secret_key
        self.tokens = {
            role: issue_token(
                secret,
                sub="bench",
                role=role,
                foundation=None if role == "operator" else FOUNDATION,
                ttl_seconds=24 * 3600,
            )
            for role in ("operator", "admin", "social_worker")
        }
        self.provider = Provider(var_dir)
        self.worker: subprocess.Popen | None = None
        self.clients: list[str] = []
        self.db_path = var_dir / "notifications.sqlite"

    # --- processes -------------------------------------------------------------------------

    def start_worker(self) -> subprocess.Popen:
        from ops.readiness import worker_name, workers_not_ready

        self.worker = start(
            _worker_command("services.notifications.worker:celery", "notifications", "burst"),
            self.env,
            self.var_dir / "worker.log",
        )
        if workers_not_ready(REDIS_URL, [worker_name("burst")], 60):
            raise RuntimeError("the notifications worker did not start")
        return self.worker

    def stop_worker(self) -> None:
        if self.worker is not None:
            stop(self.worker)
            self.worker = None

    def start_scheduler(self) -> subprocess.Popen:
        return start(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "ops.scheduler",
                "beat",
                "--loglevel",
                "WARNING",
                "--schedule",
                str(self.var_dir / "celerybeat-schedule"),
            ],
            self.env,
            self.var_dir / "scheduler.log",
        )

    def heartbeat(self) -> None:
        """Intake's heartbeat, through its outbox, as its scheduled task sends it."""
        from services.intake.tasks import emit_heartbeat

        emit_heartbeat(self.intake.extensions["pendamping"])

    # --- data, through the APIs ------------------------------------------------------------

    def call(self, service: str, method: str, path: str, role: str, body: dict) -> dict:
        app = self.intake if service == "intake" else self.notifications
        response = app.test_client().open(
            path,
            method=method,
            json=body,
            headers={"Authorization": f"Bearer {self.tokens[role]}"},
        )
        assert response.status_code in (200, 201), (path, response.get_json())
        return response.get_json()

    def create_foundation(self) -> tuple[datetime, datetime]:
        """Quiet hours of nine hours that ended a minute ago; returns their start and end."""
        zone = ZoneInfo(TIMEZONE)
        end = datetime.now(zone).replace(second=0, microsecond=0) - timedelta(minutes=1)
        begin = end - timedelta(hours=9)
        self.call(
            "intake",
            "POST",
            "/foundations",
            "operator",
            {
                "slug": FOUNDATION,
                "name": "Yayasan Fajar Pagi",
                "timezone": TIMEZONE,
                "quiet_hours": {"start": f"{begin:%H:%M}", "end": f"{end:%H:%M}"},
            },
        )
        self.call(
            "notifications",
            "PUT",
            "/channels/sms",
            "admin",
            {"base_url": self.provider.url, "api_key": API_KEY, "sender_id": SENDER_ID},
        )
        return begin, end

    def register_clients(self, count: int) -> None:
        """``count`` clients, two contacts each on SMS, consenting; their events consumed by
        a real notifications worker (which this leaves running)."""
        queues = redis_client()
        for i in range(len(self.clients), count):
            body = {
                "full_name": f"Budi {i} Santoso",
                "phone": f"0812{i:08d}",
                "family_contacts": [
                    {
                        "name": f"Siti {i}",
                        "relationship": "mother",
                        "phone": f"0813{i:08d}",
                        "channel": "sms",
                    },
                    {
                        "name": f"Andi {i}",
                        "relationship": "sibling",
                        "phone": f"0857{i:08d}",
                        "channel": "sms",
                    },
                ],
                "consent": {"contact_family": True, "share_progress": True, "given_by": "client"},
            }
            self.clients.append(
                self.call("intake", "POST", "/clients", "social_worker", body)["id"]
            )
            if i % 1000 == 999:
                queues.delete("assessment", "intake")  # no worker of theirs runs here
        self.heartbeat()
        self._wait_known(len(self.clients), timeout=120 + 0.05 * len(self.clients))
        queues.delete("assessment", "intake")

    def _wait_known(self, clients: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._read() as db:
                known = db.execute("SELECT count(*) FROM clients").fetchone()[0]
                beats = db.execute("SELECT count(*) FROM heartbeats").fetchone()[0]
            if known >= clients and beats and redis_client().llen("notifications") == 0:
                return
            time.sleep(0.5)
        raise RuntimeError(f"notifications knows {known} of {clients} clients")

    def _read(self) -> sqlite3.Connection:
        return sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=30)

    def schedule_night(self, size: int, night: tuple[datetime, datetime], run: str) -> datetime:
        """``size`` family messages due overnight, as the event handlers schedule them;
        returns when the first was written (rows of this run are those created since)."""
        from sqlalchemy import select

        from services.notifications.models import FamilyContact
        from services.notifications.scheduling import family_recipient, schedule_message
        from shared.db import new_id, utcnow

        runtime = self.notifications.extensions["pendamping"]
        clients = self.clients[: size // (CONTACTS_PER_CLIENT * MESSAGES_PER_CONTACT)]
        order = {client_id: i for i, client_id in enumerate(clients)}
        with runtime.db.transaction() as session:
            contacts = [
                c
                for c in session.execute(
                    select(FamilyContact.id, FamilyContact.client_id, FamilyContact.relationship_)
                )
                if c.client_id in order
            ]
        # all mothers, then all siblings: consecutive messages are of different clients
        contacts.sort(key=lambda c: (c.relationship_, order[c.client_id]))
        sessions = {c: new_id() for c in clients}
        placements = {c: new_id() for c in clients}
        starts_at = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=26)
        begin, end = night
        started = utcnow()
        plan = [(kind, c) for kind in ("reminder", "progress") for c in contacts]
        for first in range(0, len(plan), 500):
            with runtime.unit_of_work() as uow:
                for i, (kind, c) in enumerate(plan[first : first + 500], start=first):
                    contact = uow.session.get(FamilyContact, c.id)
                    due = begin + (end - begin) * (i / len(plan))  # overnight
                    if kind == "reminder":
                        template = "family.session_reminder"
                        session_id = sessions[c.client_id]
                        occurrence = f"session:{session_id}@{starts_at.isoformat()}"
                        context = {"starts_at": starts_at, "location": "Ruang Keluarga 2"}
                        subject = session_id
                    else:
                        template = "family.progress_update"
                        occurrence = f"placement:{placements[c.client_id]}"
                        context = {"program_name": "Rawat Jalan", "start_on": date.today()}
                        subject = c.client_id
                    schedule_message(
                        uow,
                        recipient=family_recipient(contact),
                        template=template,
                        occurrence=f"{occurrence}:{run}",
                        due=due.astimezone(UTC),
                        context=context,
                        client_id=c.client_id,
                        subject_id=subject,
                    )
        return started

    # --- the drains ------------------------------------------------------------------------

    def drain_project(self, size: int, since: datetime) -> dict:
        """A fresh worker and the scheduler until every message of this run is settled."""
        self.stop_worker()
        flush_bench_redis()
        self.provider.reset()
        log = self.var_dir / "worker.log"
        log_start = log.stat().st_size if log.exists() else 0
        worker = self.start_worker()
        stop_beats = threading.Event()

        def beats() -> None:
            while not stop_beats.wait(HEARTBEAT_SECONDS):
                self.heartbeat()

        self.heartbeat()
        beating = threading.Thread(target=beats, daemon=True)
        beating.start()
        cpu_before, provider_cpu = _tree_cpu(worker.pid), self.provider.cpu()
        since_text = since.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        scheduler = self.start_scheduler()
        try:
            with RssSampler(worker.pid) as sampler, Profile(worker.pid, f"project-{size}"):
                backlog = self._wait_settled(size)
            cpu = _tree_cpu(worker.pid) - cpu_before
        finally:
            stop(scheduler)
            stop_beats.set()
            beating.join()
        with self._read() as db:
            outcomes = dict(
                db.execute(
                    "SELECT status || coalesce(' (' || reason_code || ')', ''), count(*) "
                    "FROM messages WHERE created_at >= ? GROUP BY 1",
                    (since_text,),
                ).fetchall()
            )
            first, last = db.execute(
                "SELECT min(queued_at), max(sent_at) FROM messages "
                "WHERE created_at >= ? AND status = 'sent'",
                (since_text,),
            ).fetchone()
        seconds = _parse(last) - _parse(first)
        with open(log, "rb") as lines:
            lines.seek(log_start)
            text = lines.read().decode(errors="replace")
        return {
            "count": size,
            "seconds": seconds,
            "per_s": size / seconds,
            "outcomes": outcomes,
            # a send task that found its row no longer queued (taken back by the recovery
            # of stalled rows and queued again, or sent by the other copy of its task)
            "skipped": text.count(": skipped ["),
            "recovered": sum(
                int(n) for n in re.findall(r"recovered (\d+) lost and \d+ interrupted", text)
            ),
            "backlog_peak": backlog,
            "provider": self.provider.stats(),
            "cpu_ms_per_message": cpu / size * 1000,
            "provider_cpu_ms_per_message": (self.provider.cpu() - provider_cpu) / size * 1000,
            **sampler.summary(),
        }

    def _wait_settled(self, size: int) -> int:
        """Until no message is pending; returns the longest the notifications queue was
        (tasks waiting in Redis)."""
        deadline = time.monotonic() + 600 + size * 0.05
        marks = ",".join("?" * len(PENDING))
        queues, backlog = redis_client(), 0
        with self._read() as db:
            while time.monotonic() < deadline:
                backlog = max(backlog, queues.llen("notifications"))
                pending = db.execute(
                    f"SELECT count(*) FROM messages WHERE status IN ({marks})", PENDING
                ).fetchone()[0]
                if pending == 0:
                    return backlog
                if self.worker is not None and self.worker.poll() is not None:
                    raise RuntimeError("the notifications worker exited")
                time.sleep(0.5)
        raise RuntimeError(f"{pending} messages still pending")

    def baseline_rows(self, since: datetime) -> list[tuple[str, str, str]]:
        """This run's messages as the project sent them: id, phone, rendered body."""
        from sqlalchemy import select

        from services.notifications.models import Message

        runtime = self.notifications.extensions["pendamping"]
        with runtime.db.transaction() as session:
            return [
                tuple(row)
                for row in session.execute(
                    select(Message.id, Message.address, Message.body)
                    .where(Message.created_at >= since, Message.status == "sent")
                    .order_by(Message.sent_at)
                )
            ]

    def drain_baseline(self, rows: list[tuple[str, str, str]], name: str) -> dict:
        from bench import burst_baseline
        from ops.readiness import worker_name, workers_not_ready

        self.stop_worker()
        flush_bench_redis()
        self.provider.reset()
        path = self.var_dir / f"baseline-{name}.sqlite"
        burst_baseline.fill(str(path), rows)
        burst_baseline.publish([row[0] for row in rows])
        env = dict(
            self.env,
            BENCH_BASELINE_DB=str(path),
            BENCH_PROVIDER_URL=self.provider.url,
            BENCH_PROVIDER_KEY=API_KEY,
        )
        # the worker starts on an empty queue of its own and is told to take the
        # baseline's queue once it is ready, so start-up is neither timed nor sampled
        idle_queue = f"{burst_baseline.QUEUE}-idle"
        command = _worker_command("bench.burst_baseline:celery", idle_queue, "baseline")
        worker = start(command, env, self.var_dir / "baseline-worker.log")
        try:
            node = worker_name("baseline")
            if workers_not_ready(REDIS_URL, [node], 60):
                raise RuntimeError("the baseline worker did not start")
            cpu_before, provider_cpu = _tree_cpu(worker.pid), self.provider.cpu()
            db = burst_baseline.connect(str(path))
            with RssSampler(worker.pid) as sampler, Profile(worker.pid, f"baseline-{name}"):
                burst_baseline.celery.control.add_consumer(
                    burst_baseline.QUEUE, destination=[node], reply=True
                )
                deadline = time.monotonic() + 600 + len(rows) * 0.05
                unsent = "SELECT count(*) FROM messages WHERE status != 'sent'"
                while db.execute(unsent).fetchone()[0]:
                    if time.monotonic() > deadline or worker.poll() is not None:
                        raise RuntimeError("the baseline did not drain")
                    time.sleep(0.5)
                cpu = _tree_cpu(worker.pid) - cpu_before
            first, last = db.execute(
                "SELECT min(claimed_at), max(sent_at) FROM messages"
            ).fetchone()
            db.close()
        finally:
            stop(worker)
        count = len(rows)
        return {
            "count": count,
            "seconds": last - first,
            "per_s": count / (last - first),
            "provider": self.provider.stats(),
            "cpu_ms_per_message": cpu / count * 1000,
            "provider_cpu_ms_per_message": (self.provider.cpu() - provider_cpu) / count * 1000,
            **sampler.summary(),
        }

    def close(self) -> None:
        self.stop_worker()
        stop(self.provider.process)
        for app in (self.intake, self.notifications):
            runtime = app.extensions["pendamping"]
            runtime.publisher.flush()
            runtime.db.dispose()


def run(sizes: list[int] | None = None) -> dict:
    """Drain each of ``sizes`` (default ``SIZES``) due messages, project then baseline."""
    sizes = sizes or SIZES
    results: dict = {"sizes": {}}
    with tempfile.TemporaryDirectory(prefix="bench-burst-") as name:
        var_dir = Path(name)
        redis_process = ensure_redis(var_dir)
        flush_bench_redis()
        burst = Burst(var_dir)
        try:
            night = burst.create_foundation()
            burst.start_worker()
            started = time.monotonic()
            clients = max(sizes) // (CONTACTS_PER_CLIENT * MESSAGES_PER_CONTACT)
            burst.register_clients(clients)
            results["setup"] = {"clients": clients, "seconds": time.monotonic() - started}
            for size in sizes:
                since = burst.schedule_night(size, night, run=f"burst{size}")
                project = burst.drain_project(size, since)
                baseline = burst.drain_baseline(burst.baseline_rows(since), str(size))
                results["sizes"][size] = {
                    "project": project,
                    "baseline": baseline,
                    "ratio": project["per_s"] / baseline["per_s"],
                }
        finally:
            burst.close()
            flush_bench_redis()
            if redis_process is not None:
                stop(redis_process)
    small = results["sizes"][sizes[0]]
    results["ratio"] = small["ratio"]
    return results


def render(results: dict) -> str:
    rows = []
    sizes = sorted(results["sizes"])
    for size in sizes:
        r = results["sizes"][size]
        p, b = r["project"], r["baseline"]
        rows += [
            [f"{size:,}: messages/s, project / baseline", p["per_s"], b["per_s"], r["ratio"]],
            [f"{size:,}: drain seconds", p["seconds"], b["seconds"], ""],
            [
                f"{size:,}: worker CPU ms per message (provider's)",
                f"{p['cpu_ms_per_message']:.2f} ({p['provider_cpu_ms_per_message']:.2f})",
                f"{b['cpu_ms_per_message']:.2f} ({b['provider_cpu_ms_per_message']:.2f})",
                "",
            ],
            [
                f"{size:,}: worker RSS MiB at start / peak",
                f"{p['rss_start_mib']:.1f} / {p['rss_peak_mib']:.1f}",
                f"{b['rss_start_mib']:.1f} / {b['rss_peak_mib']:.1f}",
                "",
            ],
            [
                f"{size:,}: provider requests / deliveries / duplicates / connections",
                "{requests} / {deliveries} / {duplicates} / {connections}".format(**p["provider"]),
                "{requests} / {deliveries} / {duplicates} / {connections}".format(**b["provider"]),
                "",
            ],
            [
                f"{size:,}: send tasks waiting in Redis at most; rows recovered (queued "
                "too long) / sends skipped",
                f"{p['backlog_peak']:,}; {p['recovered']:,} / {p['skipped']:,}",
                "",
                "",
            ],
            [
                f"{size:,}: outcomes",
                ", ".join(f"{k}: {v}" for k, v in sorted(p["outcomes"].items())),
                "",
                "",
            ],
        ]
    if BIG not in results["sizes"]:
        size = sizes[-1]
        r = results["sizes"][size]
        rows.append(
            [
                f"{BIG:,}: drain seconds, EXTRAPOLATED linearly from {size:,} (not run here: "
                "`python -m bench.morning_burst` at BENCH_SCALE >= 1 runs it)",
                r["project"]["seconds"] * BIG / size,
                r["baseline"]["seconds"] * BIG / size,
                "",
            ]
        )
    return table(
        f"Morning burst: due family messages through the sms channel to a local provider "
        f"(worker pool {' '.join(_pool_args())}; goal ratio >= 0.5)",
        ["measure", "project", "baseline", "ratio"],
        rows,
    )


def _pool_args() -> list[str]:
    from ops.runner import worker_pool

    return worker_pool(CONCURRENCY, POOL)


def main() -> None:
    exit_on_sigterm()
    print(render(run()))


if __name__ == "__main__":
    main()
