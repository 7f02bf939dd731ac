"""``pendamping run``: the whole suite in the foreground, for development.

Starts (or finds) Redis, applies migrations, then runs the three APIs and the staff console
in one gunicorn process (:mod:`ops.embedded_web`), one Celery worker per service and the
scheduler, each in its own process group. Once the APIs answer and the workers are ready
(:mod:`ops.readiness`), it prints the URLs, a dev token and a dev sign-in for the console,
the last thing on the screen; Ctrl-C (or SIGTERM) stops everything it started.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from ops import devredis
from ops.embedded_web import embedded_ports
from ops.readiness import apis_healthy, worker_name, workers_not_ready
from shared.settings import CONSOLE, SERVICES, load_settings

STOP_GRACE_SECONDS = 10
MAX_RESTARTS_PER_MINUTE = 5
START_TIMEOUT_SECONDS = 60


def _bin(name: str) -> str:
    candidate = Path(sys.executable).with_name(name)
    return str(candidate) if candidate.exists() else name


def web_server(host: str, ports: dict[str, int]) -> list[str]:
    """The one web process of the embedded suite: gunicorn bound to every API's port and
    the console's, one worker whose threads serve them all (:mod:`ops.embedded_web`).
    Enough for development and a foundation's small server; compose and Kubernetes run a
    server per service."""
    binds = [arg for name in (*SERVICES, CONSOLE) for arg in ("--bind", f"{host}:{ports[name]}")]
    return [
        _bin("gunicorn"),
        "-c",
        "python:ops.embedded_gunicorn_conf",  # logs through shared.logs
        *binds,
        "--workers",
        "1",
        "--threads",
        "8",
        "--graceful-timeout",
        "5",
        "--log-level",
        "warning",
        "ops.embedded_web:create_app()",
    ]


def worker_pool(concurrency: str, pool: str = "") -> list[str]:
    """The embedded suite's Celery pool: one process per service. The work is I/O bound
    (a database write, a call to a provider), so threads serve it, where a prefork pool's
    main process and each child hold the whole application. ``concurrency`` 1: the solo
    pool, tasks one after another in the worker's own thread. ``pool`` (the setting
    ``PENDAMPING_WORKER_POOL``) may ask for ``prefork`` as in production (compose and
    Kubernetes keep their prefork pools; see the README)."""
    count = int(concurrency) if concurrency.strip().isdigit() else 2
    count = max(count, 1)
    chosen = pool.strip() or ("solo" if count == 1 else "threads")
    if chosen not in ("solo", "threads", "prefork"):
        raise ValueError("PENDAMPING_WORKER_POOL is solo, threads or prefork")
    if chosen == "solo":
        return ["--pool", "solo"]
    return ["--pool", chosen, "--concurrency", str(count)]


def _commands(ports: dict[str, int], var_dir: Path) -> dict[str, list[str]]:
    host = os.environ.get("PENDAMPING_BIND_HOST", "127.0.0.1")
    pool = worker_pool(
        os.environ.get("PENDAMPING_WORKER_CONCURRENCY", "2"),
        os.environ.get("PENDAMPING_WORKER_POOL", ""),
    )
    commands: dict[str, list[str]] = {"web": web_server(host, ports)}
    for service in SERVICES:
        commands[f"{service}-worker"] = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            f"services.{service}.worker:celery",
            "worker",
            "-Q",
            service,
            "-n",
            f"{service}@%h",  # what readiness.worker_name pings
            *pool,
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
        ]
    commands["scheduler"] = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "ops.scheduler",
        "beat",
        "--loglevel",
        "WARNING",
        "--schedule",
        str(var_dir / "celerybeat-schedule"),
    ]
    return commands


def _stop(processes: dict[str, subprocess.Popen]) -> None:
    for process in processes.values():
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for process in processes.values():
        try:
            process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait()


def _dev_sign_in(env: dict[str, str], intake_url: str) -> dict[str, str] | None:
    """The console's dev admin (made on a first run) by ``pendamping dev-sign-in`` in a
    child process: the console's models and password hashing would otherwise stay in this
    supervisor's memory for the whole run. ``None`` if it cannot be had."""
    done = subprocess.run(
        [sys.executable, "-m", "ops.cli", "dev-sign-in", "--intake-url", intake_url],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        reason = done.stderr.strip().splitlines()[-1:] or [f"exit {done.returncode}"]
        print(f"pendamping: {reason[0]}", file=sys.stderr, flush=True)
        return None
    try:
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None


def run_suite() -> int:
    settings = load_settings()
    var_dir = settings.var_dir
    var_dir.mkdir(parents=True, exist_ok=True)
    processes: dict[str, subprocess.Popen] = {}

    try:
        redis_url, redis_process = devredis.find_or_start(var_dir)
    except devredis.NoRedis as exc:
        print(f"pendamping: {exc}", file=sys.stderr, flush=True)
        return 1
    if redis_process is not None:
        processes["redis"] = redis_process
    # unbuffered: every process's lines reach the screen (or a log file) as they are written,
    # so the banner printed last below is also the last one there
    env = dict(os.environ, REDIS_URL=redis_url, PENDAMPING_VAR_DIR=str(var_dir))
    env.setdefault("PYTHONUNBUFFERED", "1")

    stopping = False

    def _on_signal(signum, _frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)

    try:
        # in a process of its own: the migrations import every model and alembic, which
        # would otherwise stay in this supervisor's memory for the whole run
        migrated = subprocess.run([sys.executable, "-m", "ops.cli", "migrate"], env=env)
        if migrated.returncode != 0:
            print("pendamping: the migrations failed", file=sys.stderr, flush=True)
            return 1
        ports = embedded_ports()
        for service in SERVICES:  # the console calls the APIs where this run put them
            env.setdefault(f"CONSOLE_{service.upper()}_URL", f"http://127.0.0.1:{ports[service]}")
        commands = _commands(ports, var_dir)
        for name, command in commands.items():
            processes[name] = subprocess.Popen(command, env=env, start_new_session=True)
        urls = {s: f"http://127.0.0.1:{ports[s]}" for s in SERVICES}
        console_url = f"http://127.0.0.1:{ports[CONSOLE]}"
        if not apis_healthy({**urls, CONSOLE: console_url}, processes, START_TIMEOUT_SECONDS):
            print("pendamping: a process did not start; stopping", file=sys.stderr, flush=True)
            return 1
        late = workers_not_ready(
            redis_url,
            [worker_name(s) for s in SERVICES],
            START_TIMEOUT_SECONDS,
            give_up=lambda: stopping or any(p.poll() is not None for p in processes.values()),
        )
        if late and not stopping:  # the loop below restarts a worker that exited
            print(
                f"pendamping: no answer yet from {', '.join(late)}; carrying on",
                file=sys.stderr,
                flush=True,
            )
        sign_in = _dev_sign_in(env, urls["intake"])
        from shared.auth import issue_token

        token = issue_token(
            settings.secret_key, sub="dev-operator", role="operator", ttl_seconds=12 * 3600
        )
        print("\nPendamping is running:", flush=True)
        for service in SERVICES:
            print(f"  {service:<14} {urls[service]}   (docs: {urls[service]}/docs)")
        print(f"  console        {console_url}   (staff console, in the browser)")
        print(f"  redis          {redis_url}{' (embedded)' if redis_process else ''}")
        if sign_in is not None:
            print(f"\nDev sign-in for the console ({sign_in['foundation']} foundation, admin):")
            print(f"  email:    {sign_in['email']}")
            print(f"  password: {sign_in['password']}")
        print("\nDev operator token (12 h):")
        print(f"  export TOKEN={token}")
        print("A foundation token:  .venv/bin/pendamping token --foundation SLUG --role admin")
        print("Ctrl-C stops everything.\n", flush=True)
        restarts: dict[str, list[float]] = {}
        while not stopping:
            for name, process in list(processes.items()):
                if process.poll() is None or stopping:
                    continue
                recent = [t for t in restarts.get(name, []) if time.monotonic() - t < 60]
                if name not in commands or len(recent) >= MAX_RESTARTS_PER_MINUTE:
                    print(
                        f"pendamping: {name} exited ({process.returncode}); stopping",
                        file=sys.stderr,
                        flush=True,
                    )
                    return 1
                print(
                    f"pendamping: {name} exited ({process.returncode}); restarting",
                    file=sys.stderr,
                    flush=True,
                )
                restarts[name] = [*recent, time.monotonic()]
                processes[name] = subprocess.Popen(commands[name], env=env, start_new_session=True)
            time.sleep(0.5)
        return 0
    finally:
        print("pendamping: stopping…", flush=True)
        _stop(processes)
