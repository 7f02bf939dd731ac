"""gunicorn settings every Pendamping API runs with: ``gunicorn -c python:ops.gunicorn_conf``.

- Logs: gunicorn's own lines go through :mod:`shared.logs` like the app's (JSON in
  production). Its access log stays off: the app logs each request by route template,
  without the query string.
- Metrics: several workers share one ``PROMETHEUS_MULTIPROC_DIR`` so that ``/metrics``
  answers their sum whichever worker takes the scrape. The directory is emptied when the
  server starts (figures of a previous run would otherwise be added in), a worker that
  exits is marked dead, and one made up here is removed again at shutdown.
- No control socket: the APIs share a host in development and would fight over its path.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

# prometheus_client reads this when it is first imported, so it is settled here, before any
# worker imports the app (this module must not import prometheus_client itself).
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
_MADE_HERE = not os.environ.get(MULTIPROC_ENV)
if _MADE_HERE:
    os.environ[MULTIPROC_ENV] = tempfile.mkdtemp(prefix="pendamping-metrics-")

logger_class = "shared.logs.GunicornLogger"
accesslog = None
# gunicorn's control socket (one path per user by default) would be fought over by the
# suite's several servers on one host; nothing here uses it: signals do its work.
control_socket_disable = True


def on_starting(server) -> None:
    """Start from an empty metrics directory: a previous run's figures would be added in."""
    path = Path(os.environ[MULTIPROC_ENV])
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.db"):
        stale.unlink()


def child_exit(server, worker) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server) -> None:
    if _MADE_HERE:
        shutil.rmtree(os.environ[MULTIPROC_ENV], ignore_errors=True)
