"""Benchmark 2, the event pipeline: admissions through intake's outbox, Redis and the
notifications worker to a family welcome marked ``sent``, vs Celery draining no-op tasks.

1. The suite starts as ``make run`` starts it (``pendamping run``; relay and dispatch every
   second), a foundation without quiet hours is created and N clients are registered, each
   with one consenting family contact (sms: delivered through ``log`` in development).
2. Throughput: the N clients are admitted as fast as 4 connections allow; the clock runs
   from the first admission request until all N welcomes are ``sent`` (counted every 50 ms
   in notifications' database, read-only, so that the polling costs the suite nothing).
3. Latency: more clients are admitted at a steady rate; each admission's latency is from
   its request to its welcome's ``sent_at``, checked by polling ``/messages?client_id=``.
   The rows' own timestamps (intake's outbox, notifications' message row) split it into
   stages.
4. Baseline: N no-op tasks queued on the same Redis, drained by one ``celery worker`` with
   the concurrency ``make run`` gives each service's worker.

    .venv/bin/python -m bench.pipeline
"""

from __future__ import annotations

import os
import random
import sqlite3
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from bench.common import (
    BIN,
    REDIS_URL,
    dev_env,
    ensure_redis,
    exit_on_sigterm,
    flush_bench_redis,
    percentile,
    redis_client,
    scaled,
    start,
    stop,
    table,
)
from bench.intake_write import client_body
from bench.suite import Suite

ADMISSIONS = scaled(200)  # admitted as fast as possible
CONNECTIONS = 4  # the intake API of `make run` has 4 threads
RATE = 5.0  # admissions per second for the latency run
LATENCY_SECONDS = scaled(20)
NOOP_TASKS = scaled(3000)
CONCURRENCY = os.environ.get("PENDAMPING_WORKER_CONCURRENCY", "2")  # as ops/runner.py
QUEUES = ("intake", "assessment", "notifications")


def _in_parallel(make_http, items: list, work, connections: int = CONNECTIONS) -> list:
    """``work(http, item)`` for every item, over ``connections`` keep-alive connections
    (one ``make_http()`` per thread)."""
    local = threading.local()

    def call(item):
        if not hasattr(local, "http"):
            local.http = make_http()
        return work(local.http, item)

    with ThreadPoolExecutor(connections) as pool:
        return list(pool.map(call, items))


def register(suite: Suite, count: int) -> list[str]:
    """``count`` clients, each with one consenting family contact (sms)."""
    rng = random.Random()

    def one(http, _):
        status, body = http.call("POST", "/clients", client_body(rng))
        assert status == 201, (status, body)
        return body["id"]

    return _in_parallel(lambda: suite.http("intake"), list(range(count)), one)


def wait_drained(timeout: float = 120) -> None:
    """Until every service queue has stayed empty for a second (registrations consumed)."""
    redis, quiet_since = redis_client(), None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sum(redis.llen(q) for q in QUEUES) == 0:
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since >= 1:
                return
        else:
            quiet_since = None
        time.sleep(0.1)
    raise RuntimeError("the event queues did not drain")


def admit(http, client_id: str) -> tuple[str, float, float]:
    """Admit one client; ``(id, wall-clock start, seconds the request took)``."""
    wall, started = time.time(), time.monotonic()
    status, body = http.call("POST", f"/clients/{client_id}/admission", {"family_agreement": True})
    assert status in (200, 201), (status, body)
    return client_id, wall, time.monotonic() - started


def wait_sent(suite: Suite, target: int, timeout: float) -> float:
    """Poll until ``target`` welcomes are sent; returns the monotonic time it was seen."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if suite.sent_welcomes() >= target:
            return time.monotonic()
        time.sleep(0.05)
    raise RuntimeError(f"only {suite.sent_welcomes()} of {target} welcomes were sent")


LOAD_GENERATOR = "this process (load generator, poller, memory sampler)"


def suite_cpu_ms_per_admission(tp: dict) -> float:
    """CPU per admission summed over every process of the suite (the web process, the
    workers, the scheduler, the runner; not the load generator), from the first admission
    request to the last welcome sent."""
    return sum(ms for name, ms in tp["cpu_ms_per_event"].items() if name != LOAD_GENERATOR)


def throughput(suite: Suite, ids: list[str], already_sent: int) -> dict:
    """Admit ``ids`` as fast as possible; events/s until every welcome is sent, and where
    the CPU went meanwhile (per component of the suite, this process, the machine)."""
    from bench import footprint as fp

    cpu_before, busy_before, own_before = (
        fp.cpu_seconds(suite.process.pid),
        fp.machine_busy(),
        time.process_time(),
    )
    t0 = time.monotonic()
    answers = _in_parallel(lambda: suite.http("intake"), ids, admit)
    api_done = time.monotonic()
    t_end = wait_sent(suite, already_sent + len(ids), timeout=600)
    cpu_after, busy_after = fp.cpu_seconds(suite.process.pid), fp.machine_busy()
    cpu = {k: v - cpu_before.get(k, 0.0) for k, v in cpu_after.items()}
    cpu[LOAD_GENERATOR] = time.process_time() - own_before
    return {
        "cpu_ms_per_event": {k: v / len(ids) * 1000 for k, v in cpu.items()},
        "machine_busy_cores": (busy_after[0] - busy_before[0]) / (t_end - t0),
        "count": len(ids),
        "seconds": t_end - t0,
        "events_per_s": len(ids) / (t_end - t0),
        "api_per_s": len(ids) / (api_done - t0),
        "api_p50_ms": percentile([a[2] for a in answers], 50) * 1000,
    }


def _parse(value: str | None) -> float | None:
    """A timestamp column as SQLite stores it (UTC, no offset) -> epoch seconds."""
    if value is None:
        return None
    return datetime.fromisoformat(value).replace(tzinfo=UTC).timestamp()


def stages(var_dir: Path, started: dict[str, float]) -> dict[str, list[float]]:
    """Per admission, seconds spent between the timestamps the rows record."""
    ids = list(started)
    marks = ",".join("?" * len(ids))
    with sqlite3.connect(f"file:{var_dir / 'intake.sqlite'}?mode=ro", uri=True) as db:
        outbox = {
            row[0]: row[1:]
            for row in db.execute(
                "SELECT subject, created_at FROM outbox "
                f"WHERE type = 'client.admitted' AND subject IN ({marks})",
                ids,
            )
        }
    with sqlite3.connect(f"file:{var_dir / 'notifications.sqlite'}?mode=ro", uri=True) as db:
        messages = {
            row[0]: row[1:]
            for row in db.execute(
                "SELECT client_id, created_at, queued_at, claimed_at, sent_at FROM messages "
                f"WHERE template = 'family.welcome' AND client_id IN ({marks})",
                ids,
            )
        }
    names = [
        "request -> event in outbox (intake API, transaction)",
        # (published_at is written in batches, up to 0.25 s after the event went out)
        "outbox -> welcome row written (after-commit publish, queue, handle_event)",
        "row written -> claimed (after-commit dispatch)",
        # by the worker that wrote the row, right after its commit (dispatcher.py)
        "claimed -> send started (the messages before it in its chunk)",
        "send started -> sent (render, channel, record)",
    ]
    result: dict[str, list[float]] = {n: [] for n in names}
    for client_id, wall in started.items():
        if client_id not in outbox or client_id not in messages:
            continue
        points = [wall, *map(_parse, outbox[client_id]), *map(_parse, messages[client_id])]
        for name, a, b in zip(names, points, points[1:], strict=False):
            if a is not None and b is not None:
                result[name].append(b - a)
    return result


def latency(suite: Suite, ids: list[str]) -> dict:
    """Admit ``ids`` at RATE per second; per admission, the time until its welcome is sent."""
    started: dict[str, float] = {}
    sent_at: dict[str, float] = {}
    seen_after: dict[str, float] = {}
    done = threading.Event()

    def poller() -> None:
        http = suite.http("notifications")
        while not done.is_set() or len(sent_at) < len(started):
            for client_id, wall in list(started.items()):
                if client_id in sent_at:
                    continue
                status, body = http.call("GET", f"/messages?client_id={client_id}")
                sent = [m for m in body.get("items", []) if m["status"] == "sent"]
                if sent:
                    seen_after[client_id] = time.time() - wall
                    sent_at[client_id] = datetime.fromisoformat(sent[0]["sent_at"]).timestamp()
            time.sleep(0.01)

    def paced(http, item):
        index, client_id = item
        # admission `index` starts at t0 + index / RATE; the pool has spare connections so a
        # slow answer does not delay the next admission
        delay = t0 + index / RATE - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        started[client_id] = time.time()
        return admit(http, client_id)

    watcher = threading.Thread(target=poller, daemon=True)
    watcher.start()
    t0 = time.monotonic() + 0.2
    _in_parallel(lambda: suite.http("intake"), list(enumerate(ids)), paced, connections=8)
    done.set()
    watcher.join(timeout=120)
    exact = [sent_at[c] - started[c] for c in sent_at]
    return {
        "count": len(ids),
        "sent": len(sent_at),
        "p50_ms": percentile(exact, 50) * 1000,
        "p99_ms": percentile(exact, 99) * 1000,
        "max_ms": max(exact) * 1000,
        "polled_p50_ms": percentile(list(seen_after.values()), 50) * 1000,
        "polled_p99_ms": percentile(list(seen_after.values()), 99) * 1000,
        "stages": stages(suite.var_dir, started),
    }


def noop_drain(var_dir: Path, count: int) -> dict:
    """Seconds for one `celery worker` (CONCURRENCY processes) to drain ``count`` no-ops, and
    the worker's CPU per task meanwhile: what the transport alone costs on this machine at
    this hour, against which an admission's CPU can be read (the machine's pace drifts)."""
    from bench import footprint as fp
    from bench import noop_worker

    redis = redis_client()
    redis.delete(noop_worker.QUEUE)
    noop_worker.publish(count)
    worker = start(
        [
            str(BIN / "python"),
            "-m",
            "celery",
            "-A",
            "bench.noop_worker:celery",
            "worker",
            "-Q",
            noop_worker.QUEUE,
            "-n",
            "bench-noop@%h",
            "--concurrency",
            CONCURRENCY,
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        dev_env(var_dir),
        var_dir / "noop-worker.log",
    )
    try:
        t_start, cpu_start = None, 0.0
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            waiting = redis.llen(noop_worker.QUEUE)
            if t_start is None and waiting < count:
                t_start = time.monotonic()  # the worker took its first task
                cpu_start = sum(fp.cpu_seconds(worker.pid).values())
            if waiting == 0 and redis.hlen("unacked") == 0:
                t_end = time.monotonic()
                cpu_end = sum(fp.cpu_seconds(worker.pid).values())
                break
            time.sleep(0.002)
        else:
            raise RuntimeError("the no-op queue did not drain")
    finally:
        stop(worker)
    return {
        "count": count,
        "seconds": t_end - t_start,
        "per_s": count / (t_end - t_start),
        "cpu_ms_per_task": (cpu_end - cpu_start) / count * 1000,
    }


def run(footprint: bool = False, baseline: bool = True, latency_run: bool = True) -> dict:
    from bench import footprint as fp

    result: dict = {}
    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as name:
        var_dir = Path(name)
        redis_process = ensure_redis(var_dir)
        flush_bench_redis()
        suite = Suite(var_dir)
        try:
            suite.start()
            suite.create_foundation()
            latency_count = int(RATE * LATENCY_SECONDS) if latency_run else 0
            ids = register(suite, 1 + ADMISSIONS + latency_count)
            # warm-up: one admission end to end (also waits for intake's first heartbeat,
            # without which notifications holds family messages)
            throughput(suite, ids[:1], already_sent=0)
            wait_drained()
            if footprint:
                idle = fp.idle(suite.process.pid)
                with fp.Sampler(suite.process.pid) as sampler:
                    result["throughput"] = throughput(suite, ids[1 : 1 + ADMISSIONS], 1)
                result["footprint"] = fp.summarise(idle, sampler.samples)
            else:
                result["throughput"] = throughput(suite, ids[1 : 1 + ADMISSIONS], 1)
            if latency_run:
                wait_drained()
                result["latency"] = latency(suite, ids[1 + ADMISSIONS :])
        finally:
            suite.stop()
        if baseline:
            flush_bench_redis()
            result["noop"] = noop_drain(var_dir, NOOP_TASKS)
        flush_bench_redis()
        if redis_process is not None:
            stop(redis_process)
    if baseline:
        result["ratio"] = result["throughput"]["events_per_s"] / result["noop"]["per_s"]
    return result


def render(result: dict) -> str:
    tp, noop = result["throughput"], result["noop"]
    rows = [
        [
            f"throughput: {tp['count']} admissions -> welcome sent, events/s",
            tp["events_per_s"],
            "",
            f"{tp['seconds']:.1f} s in all",
        ],
        [
            f"baseline: {noop['count']} no-op Celery tasks drained (concurrency {CONCURRENCY}), "
            "tasks/s",
            noop["per_s"],
            "",
            f"{noop['seconds']:.2f} s in all",
        ],
        ["ratio pipeline / baseline", result["ratio"], "", "goal >= 0.5"],
        [
            "baseline: worker CPU ms per no-op task (the machine's pace in this run)",
            noop["cpu_ms_per_task"],
            "",
            "",
        ],
        [
            f"admission API alone ({CONNECTIONS} connections), admissions/s",
            tp["api_per_s"],
            "",
            f"p50 {tp['api_p50_ms']:.0f} ms",
        ],
        [
            "throughput run: machine CPU busy, cores",
            tp["machine_busy_cores"],
            "",
            f"of {os.cpu_count()}",
        ],
    ]
    rows.append(
        [
            "throughput run: CPU ms per admission, every process of the suite",
            suite_cpu_ms_per_admission(tp),
            "",
            "goal <= 10",
        ]
    )
    rows.append(
        [
            "the same, in no-op tasks' worth of CPU (read across runs and machines)",
            suite_cpu_ms_per_admission(tp) / noop["cpu_ms_per_task"],
            "",
            "",
        ]
    )
    for name, ms in sorted(tp["cpu_ms_per_event"].items(), key=lambda kv: -kv[1]):
        if ms >= 0.5:
            rows.append([f"throughput run: CPU ms per admission, {name}", ms, "", ""])
    if "latency" in result:
        lat = result["latency"]
        rows += [
            [
                f"latency at {RATE:g} admissions/s ({lat['sent']}/{lat['count']} sent): "
                "admission -> sent_at, p50 / p99 ms",
                lat["p50_ms"],
                lat["p99_ms"],
                "goals < 100 / < 1000",
            ],
            [
                "same, as seen by polling /messages?client_id=, p50 / p99 ms",
                lat["polled_p50_ms"],
                lat["polled_p99_ms"],
                "",
            ],
        ]
        for stage, values in lat["stages"].items():
            rows.append(
                [
                    f"stage: {stage}, p50 / p99 ms",
                    percentile(values, 50) * 1000,
                    percentile(values, 99) * 1000,
                    "",
                ]
            )
    return table(
        f"Event pipeline (`pendamping run`, relay and dispatch every 1 s, Redis {REDIS_URL})",
        ["measure", "value (p50)", "p99", "note"],
        rows,
    )


def main() -> None:
    exit_on_sigterm()
    print(render(run()))


if __name__ == "__main__":
    main()
