"""A real notifications Celery worker process for tests, configured like production's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from shared.settings import Settings
from tests.conftest import ROOT, TEST_DATA_KEY, database_env


def start_notifications_worker(
    settings: Settings, log_path: Path, **extra_env: str
) -> subprocess.Popen:
    """``celery worker -Q notifications`` in its own process group, on the test databases."""
    env = dict(
        os.environ,
        PENDAMPING_SECRET_KEY=settings.secret_key,
        PENDAMPING_DATA_KEY=TEST_DATA_KEY,
        REDIS_URL=settings.redis_url,
        **database_env(settings),
        PENDAMPING_VAR_DIR=str(settings.var_dir),
        **extra_env,
    )
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "services.notifications.worker:celery",
            "worker",
            "-Q",
            "notifications",
            "--concurrency",
            "2",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=open(log_path, "w"),
        stderr=subprocess.STDOUT,  # noqa: SIM115
        start_new_session=True,
    )
