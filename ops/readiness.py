"""When ``pendamping run`` may say the suite is running: every API answers ``/health`` and
every Celery worker answers a ping.

A worker answers a ping only once its event loop runs, that is after it has printed its
start-up banner and its "ready" line: what the runner prints next is the last thing on
the screen.
"""

from __future__ import annotations

import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterable, Mapping

import redis
from celery import Celery
from celery.utils.nodenames import host_format
from kombu.exceptions import OperationalError

PING_SECONDS = 1.0


def worker_name(service: str) -> str:
    """The node name ``pendamping run`` gives ``service``'s worker (``-n service@%h``)."""
    return host_format(f"{service}@%h")


def apis_healthy(
    urls: Mapping[str, str], processes: Mapping[str, subprocess.Popen], timeout: float
) -> bool:
    """Whether every URL's ``/health`` answered 200 within ``timeout`` seconds; ``False`` at
    once if a process exits meanwhile."""
    deadline = time.monotonic() + timeout
    pending = dict(urls)
    while pending and time.monotonic() < deadline:
        for name, url in list(pending.items()):
            try:
                with urllib.request.urlopen(url + "/health", timeout=1) as response:
                    if response.status == 200:
                        pending.pop(name)
            except OSError:
                pass
        if any(p.poll() is not None for p in processes.values()):
            return False
        time.sleep(0.2)
    return not pending


def workers_not_ready(
    redis_url: str,
    names: Iterable[str],
    timeout: float,
    *,
    give_up: Callable[[], bool] = lambda: False,
) -> list[str]:
    """Ping the workers ``names`` on ``redis_url`` until each has answered, ``timeout``
    seconds pass or ``give_up()`` holds; returns those that never answered."""
    pending = set(names)
    probe = Celery("pendamping-run", broker=redis_url, set_as_current=False)
    probe.conf.broker_transport_options = {"socket_connect_timeout": 2, "socket_timeout": 5}
    deadline = time.monotonic() + timeout
    try:
        while pending and time.monotonic() < deadline and not give_up():
            try:
                replies = probe.control.ping(
                    destination=sorted(pending), timeout=PING_SECONDS, limit=len(pending)
                )
            except (OSError, OperationalError, redis.RedisError):
                time.sleep(PING_SECONDS)  # the broker is not there yet: ask again
                continue
            for reply in replies:
                pending.difference_update(reply)
    finally:
        probe.close()
    return sorted(pending)
