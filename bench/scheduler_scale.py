"""Benchmark 3, scheduler scale: the dispatcher's work for 1k, 10k and 100k due messages.

For each size a fresh notifications SQLite database gets that many due ``staff`` and
``family`` message rows (bulk insert through the ``Message`` model, so contact details are
encrypted as in production). Then, each in a fresh process so memory is its own:

* ``claim``: ``claim_due`` in a loop until nothing is due: the dispatcher's database work;
* ``dispatch``: ``dispatch(runtime)``, the scheduler's sweep, repeated until nothing is
  due: the same claims plus one ``send_messages`` task per ``SEND_CHUNK`` (20) rows sent
  to Redis (database 12; the queue is deleted after). Each sweep stops after
  ``SWEEP_BUDGET`` seconds, half the default queued timeout, as in production; the
  measuring process raises the queued timeout itself to an hour, because no worker drains
  the queue here and recovery would otherwise put the first sweep's rows back on the
  schedule, and the cap of rows waiting queued (``PENDAMPING_MAX_WAITING_SENDS``) above the
  size, for the same reason: with no worker taking them, a sweep would stop at the cap.

Time, time per message and peak memory (the process's peak RSS above its RSS before the
sweep, and the Python heap peak from ``tracemalloc`` in a second, untimed pass) are printed
per size with the growth ratios 10k/1k and 100k/10k: linear time gives a time ratio of 10,
flat memory a memory ratio near 1.

    .venv/bin/python -m bench.scheduler_scale          # 1k, 10k, 100k
    BENCH_SCALE=0.1 .venv/bin/python -m bench.scheduler_scale   # 100, 1k, 10k
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench.common import (
    REDIS_URL,
    ROOT,
    dev_env,
    ensure_redis,
    exit_on_sigterm,
    flush_bench_redis,
    redis_client,
    scaled,
    stop,
    table,
)

SIZES = [scaled(1_000, 10), scaled(10_000, 100), scaled(100_000, 1000)]
# dispatch() costs about 40 µs per message (one Celery publish per 20), so every size is
# measured (BENCH_DISPATCH_MAX=10000 to stop earlier)
DISPATCH_MAX = int(os.environ.get("BENCH_DISPATCH_MAX", SIZES[-1]))
QUEUE = "notifications"  # where dispatch() sends
SWEEP_BUDGET = 30.0  # seconds: what dispatch() allows itself with the default 60 s timeout


def _runtime(var_dir: Path):
    """The notifications runtime on ``var_dir``'s database and the bench Redis."""
    from services.notifications.app import create_app
    from shared.settings import load_settings

    return create_app(load_settings(dev_env(var_dir))).extensions["pendamping"]


def populate(var_dir: Path, count: int) -> None:
    """``count`` due messages, half to staff and half to family, due over the last hour."""
    from sqlalchemy import insert

    from ops.migrations import upgrade
    from services.notifications.models import Message
    from shared.db import new_id, utcnow

    upgrade("notifications", f"sqlite:///{var_dir / 'notifications.sqlite'}")
    runtime = _runtime(var_dir)
    now = utcnow()
    rows = []
    for i in range(count):
        family = i % 2 == 0
        rows.append(
            {
                "id": new_id(),
                "foundation": "bench-scale",
                "client_id": new_id(),
                "recipient_kind": "family" if family else "staff",
                "recipient_id": new_id(),
                "recipient_name": "Siti" if family else "Rahmat",
                "channel": "sms",
                "address": f"+62812{i:08d}",
                "template": "family.welcome" if family else "staff.assessment_due",
                "locale": "id",
                "occurrence": f"bench:{i}",
                "dedupe_key": f"bench:{i}",
                "context": "{}",
                "status": "scheduled",
                "scheduled_for": now - timedelta(seconds=3600 * i / count),
                "attempts": 0,
                "created_at": now,
                "updated_at": now,
            }
        )
        if len(rows) == 5000 or i == count - 1:
            with runtime.db.transaction() as session:
                session.execute(insert(Message), rows)
            rows = []
    runtime.db.dispose()


def _rss_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def measure(var_dir: Path, mode: str) -> dict:
    """In this (fresh) process: ``mode`` until no row is due, timed, then again under
    ``tracemalloc``."""
    import tracemalloc

    from sqlalchemy import update

    from services.notifications.dispatcher import claim_due, dispatch
    from services.notifications.models import Message
    from shared.db import utcnow

    runtime = _runtime(var_dir)

    def sweep() -> int:
        total = 0
        if mode == "dispatch":
            while queued := dispatch(runtime, budget_seconds=SWEEP_BUDGET):
                total += queued
            return total
        claimed = 0
        now = utcnow()
        while claimed := len(claim_due(runtime.db, now)):
            total += claimed
        return total

    def reset() -> None:
        with runtime.db.transaction() as session:
            session.execute(update(Message).values(status="scheduled", queued_at=None))
        redis_client().delete(QUEUE)

    reset()  # also opens the database connection before the clock starts
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak RSS (VmHWM) to now
    rss_before = _rss_kib("VmRSS")
    started = time.perf_counter()
    count = sweep()
    seconds = time.perf_counter() - started
    rss_peak = _rss_kib("VmHWM")
    reset()
    tracemalloc.start()
    sweep()
    heap_after, heap_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    reset()
    return {
        "count": count,
        "seconds": seconds,
        "rss_delta_mib": (rss_peak - rss_before) / 1024,
        "heap_peak_mib": heap_peak / 2**20,
        "heap_after_mib": heap_after / 2**20,
    }


def run() -> dict:
    results: dict[str, dict[int, dict]] = {"claim": {}, "dispatch": {}}
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as name:
        redis_process = ensure_redis(Path(name))
        flush_bench_redis()
        for size in SIZES:
            var_dir = Path(name) / str(size)
            var_dir.mkdir()
            populate(var_dir, size)
            for mode in results:
                if mode == "dispatch" and size > DISPATCH_MAX:
                    continue
                answer = subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "bench.scheduler_scale",
                        "--measure",
                        mode,
                        str(var_dir),
                    ],
                    cwd=ROOT,
                    env=dev_env(
                        var_dir,
                        PENDAMPING_QUEUED_TIMEOUT="3600",
                        PENDAMPING_MAX_WAITING_SENDS=str(size + 1),
                    ),
                    check=True,
                    capture_output=True,
                    text=True,
                )
                results[mode][size] = json.loads(answer.stdout.strip().splitlines()[-1])
                assert results[mode][size]["count"] == size, results[mode][size]
        flush_bench_redis()
        if redis_process is not None:
            stop(redis_process)
    return results


def render(results: dict) -> str:
    rows = []
    for mode, label in (("claim", "claim_due loop"), ("dispatch", "dispatch() + Redis")):
        by_size = results[mode]
        previous = None
        for size in sorted(by_size):
            r = by_size[size]
            growth = ["", ""]
            if previous is not None:
                p = by_size[previous]
                growth = [
                    f"{r['seconds'] / p['seconds']:.1f}",
                    f"{max(r['heap_peak_mib'], 0.01) / max(p['heap_peak_mib'], 0.01):.2f}",
                ]
            rows.append(
                [
                    label,
                    f"{size:,}",
                    r["seconds"],
                    r["seconds"] / size * 1e6,
                    r["rss_delta_mib"],
                    r["heap_peak_mib"],
                    r["heap_after_mib"],
                    *growth,
                ]
            )
            previous = size
    return table(
        f"Scheduler scale: due messages claimed from SQLite (dispatch sends to {REDIS_URL}); "
        "growth vs the previous size (linear time: x10; flat memory: x1)",
        [
            "sweep",
            "messages",
            "seconds",
            "µs / message",
            "peak RSS +MiB",
            "heap peak MiB",
            "heap after MiB",
            "time growth",
            "heap growth",
        ],
        rows,
    )


def main() -> None:
    exit_on_sigterm()
    if len(sys.argv) == 4 and sys.argv[1] == "--measure":
        print(json.dumps(measure(Path(sys.argv[3]), sys.argv[2])))
        return
    print(render(run()))


if __name__ == "__main__":
    main()
