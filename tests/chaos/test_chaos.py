"""Chaos: family messages in flight while workers are SIGKILLed at random, Redis restarts
once and the provider fails a fifth of its calls (5xx or answering too late).

Afterwards every message is ``sent`` or ``failed`` (none stuck), none is lost, and the
provider's log shows no idempotency key delivered twice. ``make test`` runs a short version
(``PENDAMPING_CHAOS_MESSAGES``, default 150); ``make chaos`` runs 2,000.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import threading
import time
from collections import Counter
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from ops import devredis
from services.notifications.dispatcher import dispatch
from services.notifications.models import FamilyContact, Message
from shared.db import new_id, utcnow
from tests.conftest import drop_databases, make_settings
from tests.support.factories import admit, create_foundation, register_client
from tests.support.provider import ProviderServer, send_sms_through
from tests.support.suite import Suite
from tests.support.workers import start_notifications_worker

pytestmark = pytest.mark.chaos

MESSAGES = int(os.environ.get("PENDAMPING_CHAOS_MESSAGES", "150"))
WORKERS = 2


class Workers:
    """Real notifications worker processes that can be killed and replaced."""

    def __init__(self, settings, log_dir):
        self.settings, self.log_dir = settings, log_dir
        self.processes: list[subprocess.Popen] = []
        self.kills = 0

    def start_one(self) -> subprocess.Popen:
        log = self.log_dir / f"worker-{len(self.processes)}.log"
        process = start_notifications_worker(self.settings, log, PENDAMPING_RETRY_BASE="0.5")
        self.processes.append(process)
        return process

    def kill_one(self, rng: random.Random) -> None:
        alive = [p for p in self.processes if p.poll() is None]
        if not alive:
            return
        victim = rng.choice(alive)
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait(10)
        self.kills += 1
        self.start_one()

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)


@pytest.fixture
def chaos_suite(tmp_path, backend):
    redis_dir = tmp_path / "redis"
    url, redis_process = devredis.start_embedded(redis_dir)
    settings = replace(
        make_settings(tmp_path, url, backend),
        queued_timeout_seconds=5,
        sending_timeout_seconds=6,
        retry_base_seconds=0.5,
    )
    from ops.migrations import upgrade

    for service in ("intake", "assessment", "notifications"):
        upgrade(service, settings.database_url(service))
    suite = Suite.start(settings)
    suite.heartbeat()
    suite.pump()
    holder = {
        "redis": redis_process,
        "dir": redis_dir,
        "port": int(url.rsplit(":", 1)[1].split("/")[0]),
    }
    yield suite, holder
    for service in ("intake", "assessment", "notifications"):
        suite.runtime(service).db.dispose()
    if holder["redis"].poll() is None:
        holder["redis"].terminate()
        holder["redis"].wait(10)
    drop_databases(settings)


def _statuses(runtime) -> Counter:
    with runtime.db.transaction() as db:
        return Counter(
            db.execute(
                select(Message.status).where(Message.template == "family.followup")
            ).scalars()
        )


def test_messages_survive_killed_workers_a_redis_restart_and_a_flaky_provider(
    chaos_suite, tmp_path
):
    suite, redis_holder = chaos_suite
    provider = ProviderServer().start()
    create_foundation(suite)
    assert (
        suite.client("notifications")
        .put(
            "/channels/sms",
            headers=suite.headers("admin"),
            json={
                "base_url": provider.url,
                "api_key": "chaos-key",
                "sender_id": "CHAOS",
                "timeout_seconds": 1,
            },
        )
        .status_code
        == 200
    )
    client = register_client(
        suite,
        family_contacts=[
            {"name": "Ibu", "relationship": "mother", "phone": "081234567890", "channel": "sms"}
        ],
    )
    admit(suite, client["id"])
    suite.pump()
    runtime = suite.runtime("notifications")
    with runtime.db.transaction() as db:
        contact = db.execute(select(FamilyContact)).scalars().one()
        now = utcnow()
        db.execute(
            insert(Message),
            [
                {
                    "id": new_id(),
                    "foundation": "medan-plus",
                    "client_id": client["id"],
                    "recipient_kind": "family",
                    "recipient_id": contact.id,
                    "recipient_name": "Ibu",
                    "channel": "sms",
                    "address": contact.phone,
                    "template": "family.followup",
                    "locale": "id",
                    "occurrence": f"chaos:{i}",
                    "dedupe_key": f"family.followup:{contact.id}:chaos:{i}",
                    "context": "{}",
                    "status": "scheduled",
                    "scheduled_for": now - timedelta(seconds=1),
                    "attempts": 0,
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(MESSAGES)
            ],
        )
    provider.misbehave(rate=0.2, stall_seconds=1.5)

    workers = Workers(suite.settings, tmp_path)
    for _ in range(WORKERS):
        workers.start_one()
    rng = random.Random(11)
    stop = threading.Event()
    redis_restarts = []

    def chaos_monkey():
        restarted = False
        while not stop.wait(rng.uniform(1.0, 3.0)):
            workers.kill_one(rng)
            if not restarted and workers.kills >= 2:
                redis_holder["redis"].terminate()
                redis_holder["redis"].wait(15)
                time.sleep(1.0)
                _, redis_holder["redis"] = devredis.start_embedded(
                    redis_holder["dir"], port=redis_holder["port"]
                )
                redis_restarts.append(time.monotonic())
                restarted = True

    monkey = threading.Thread(target=chaos_monkey, daemon=True)
    started = time.monotonic()
    monkey.start()
    deadline = started + max(180, MESSAGES * 0.25)
    try:
        while time.monotonic() < deadline:
            dispatch(runtime)  # the scheduler's sweep, with recovery of stalled rows
            counts = _statuses(runtime)
            settled = set(counts) <= {"sent", "failed"} and sum(counts.values()) == MESSAGES
            if settled and workers.kills >= 2 and redis_restarts:
                break
            time.sleep(1.0)
        stop.set()
        monkey.join(30)
        # let the survivors finish anything in flight, then look at the books
        for _ in range(30):
            dispatch(runtime)
            counts = _statuses(runtime)
            if set(counts) <= {"sent", "failed"}:
                break
            time.sleep(1.0)
    finally:
        stop.set()
        workers.stop()
        provider.stop()
    elapsed = time.monotonic() - started
    counts = _statuses(runtime)
    keys = Counter(d.header("Idempotency-Key") for d in provider.deliveries)
    twice = [k for k, n in keys.items() if n > 1]
    with runtime.db.transaction() as db:
        sent_ids = set(
            db.execute(
                select(Message.id).where(
                    Message.template == "family.followup", Message.status == "sent"
                )
            ).scalars()
        )
    repeats = sum(1 for r in provider.requests if r.duplicate)
    print(
        f"\nchaos: {MESSAGES} messages in {elapsed:.0f}s; {workers.kills} worker kills, "
        f"{len(redis_restarts)} Redis restart; provider {len(provider.requests)} requests, "
        f"{len(provider.deliveries)} deliveries, {repeats} repeats absorbed; final {dict(counts)}"
    )
    assert sum(counts.values()) == MESSAGES  # none lost
    assert set(counts) <= {"sent", "failed"}, counts  # none stuck
    assert twice == []  # no idempotency key delivered twice
    assert sent_ids <= set(keys)  # every message marked sent reached the provider
    assert workers.kills >= 2 and redis_restarts


def test_a_welcome_survives_the_worker_that_applied_the_admission_dying_while_it_sends(
    chaos_suite, tmp_path
):
    """The worker that applies an admission sends the family's welcome itself: killed while
    the provider holds that request, it leaves the welcome ``sending``; the sweep's recovery
    sends it again through another worker, and the provider, keyed by the message id,
    delivers it once."""
    suite, _ = chaos_suite
    provider = ProviderServer().start()
    create_foundation(suite)
    send_sms_through(suite, provider)
    client = register_client(
        suite,
        family_contacts=[
            {"name": "Ibu", "relationship": "mother", "phone": "081234567890", "channel": "sms"}
        ],
    )
    suite.pump()
    admit(suite, client["id"])
    suite.flush_publishers()
    for service in ("intake", "assessment"):  # the admission reaches notifications' queue
        for name, args in suite.take(service):
            suite.run_task(service, name, args)
    suite.flush_publishers()
    provider.stall_next(1, seconds=30)  # the welcome's request: held until the worker dies

    runtime = suite.runtime("notifications")
    workers = Workers(suite.settings, tmp_path)
    first = workers.start_one()
    try:
        deadline = time.monotonic() + 60
        while not provider.requests:
            assert time.monotonic() < deadline, (tmp_path / "worker-0.log").read_text()
            time.sleep(0.1)
        (welcome_id,) = {r.header("Idempotency-Key") for r in provider.requests}
        with runtime.db.reading() as session:
            template = session.execute(
                select(Message.template).where(Message.id == welcome_id)
            ).scalar_one()
        assert template == "family.welcome"
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
        assert _status_of(runtime, welcome_id) == "sending"

        workers.start_one()
        deadline = time.monotonic() + 60
        while _status_of(runtime, welcome_id) != "sent":
            assert time.monotonic() < deadline, _status_of(runtime, welcome_id)
            dispatch(runtime)  # the scheduler's sweep: recovery after the sending timeout
            time.sleep(0.5)
    finally:
        workers.stop()
        provider.stop()
    delivered = [d.header("Idempotency-Key") for d in provider.deliveries]
    assert delivered == [welcome_id]  # sent again, delivered once
    assert [r.header("Idempotency-Key") for r in provider.requests] == [welcome_id] * 2


def _status_of(runtime, message_id: str) -> str:
    with runtime.db.reading() as session:
        return session.execute(select(Message.status).where(Message.id == message_id)).scalar_one()
