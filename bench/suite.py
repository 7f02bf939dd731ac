"""The whole suite started the way ``make run`` starts it (``pendamping run``), on free ports,
the bench Redis database and a temp var dir, plus the HTTP calls the benchmarks make."""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from contextlib import closing
from pathlib import Path

from bench.common import BIN, Http, dev_env, free_port, start

FOUNDATION = "bench-pipeline"


class Suite:
    def __init__(self, var_dir: Path, relay_interval: float = 1, dispatch_interval: float = 1):
        self.var_dir = var_dir
        self.ports = {s: free_port() for s in ("intake", "assessment", "notifications")}
        self.env = dev_env(
            var_dir,
            INTAKE_PORT=str(self.ports["intake"]),
            ASSESSMENT_PORT=str(self.ports["assessment"]),
            NOTIFICATIONS_PORT=str(self.ports["notifications"]),
            PENDAMPING_RELAY_INTERVAL=str(relay_interval),
            PENDAMPING_DISPATCH_INTERVAL=str(dispatch_interval),
        )
        self.log = var_dir / "suite.log"
        self.process = None

    def start(self, timeout: float = 90) -> None:
        from shared.auth import issue_token
        from shared.settings import load_settings

        self.settings = load_settings(self.env)  # generates the dev secrets the suite reads
        self.process = start([str(BIN / "pendamping"), "run"], self.env, self.log)
        deadline = time.monotonic() + timeout
        while "Pendamping is running" not in self.log.read_text(errors="replace"):
            if self.process.poll() is not None or time.monotonic() > deadline:
                tail = self.log.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"the suite did not start:\n{tail}")
            time.sleep(0.2)
        secret = self.settings.secret_key
        self.operator = issue_token(secret, sub="bench", role="operator", ttl_seconds=7200)
        self.token = issue_token(
            secret, sub="sw-bench", role="social_worker", foundation=FOUNDATION, ttl_seconds=7200
        )

    def stop(self) -> None:
        """SIGINT, as Ctrl-C after ``make run``: the runner stops everything it started."""
        if self.process is None or self.process.poll() is not None:
            return
        os.kill(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(40)
        except Exception:  # noqa: BLE001 the runner hung: end what it started, one by one
            from bench.footprint import process_tree

            for pid in process_tree(self.process.pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            self.process.wait()

    def http(self, service: str, operator: bool = False) -> Http:
        return Http(self.ports[service], self.operator if operator else self.token)

    def create_foundation(self) -> None:
        """A foundation without quiet hours, so a welcome goes at any time of day."""
        status, body = self.http("intake", operator=True).call(
            "POST",
            "/foundations",
            {
                "slug": FOUNDATION,
                "name": "Yayasan Bench",
                "quiet_hours": {"start": "00:00", "end": "00:00"},
            },
        )
        assert status == 201, (status, body)

    def sent_welcomes(self) -> int:
        """Welcomes marked ``sent``, counted in notifications' database (read-only) rather
        than asked of its API: the benchmark's polling then costs the suite no CPU, and
        the suite's CPU per admission is the admissions' alone."""
        uri = f"file:{self.var_dir / 'notifications.sqlite'}?mode=ro"
        with closing(sqlite3.connect(uri, uri=True, timeout=30)) as db:
            (count,) = db.execute(
                "SELECT count(*) FROM messages WHERE template = 'family.welcome' "
                "AND status = 'sent'"
            ).fetchone()
        return count

    def pid_tree(self) -> list[int]:
        from bench.footprint import process_tree

        return process_tree(self.process.pid)
