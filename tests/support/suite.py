"""The three services in one process, with a real Redis between them.

``Suite.pump()`` plays the part of the workers: it takes each message Celery published to a
service's Redis queue and runs the task it names, so a test sees the real wire format and
the real broker without waiting for worker processes. End-to-end tests use real workers.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

import redis
from flask import Flask
from flask.testing import FlaskClient

from services.assessment.app import create_app as create_assessment
from services.intake.app import create_app as create_intake
from services.notifications.app import create_app as create_notifications
from shared.auth import issue_token
from shared.runtime import ServiceRuntime
from shared.settings import Settings


@dataclass
class Suite:
    settings: Settings
    intake: Flask
    assessment: Flask
    notifications: Flask

    @classmethod
    def start(cls, settings: Settings) -> Suite:
        return cls(
            settings,
            create_intake(settings),
            create_assessment(settings),
            create_notifications(settings),
        )

    def apps(self) -> dict[str, Flask]:
        return {
            "intake": self.intake,
            "assessment": self.assessment,
            "notifications": self.notifications,
        }

    def runtime(self, service: str) -> ServiceRuntime:
        return self.apps()[service].extensions["pendamping"]

    def client(self, service: str) -> FlaskClient:
        return self.apps()[service].test_client()

    def token(
        self,
        role: str = "social_worker",
        foundation: str | None = "medan-plus",
        sub: str = "staff-1",
    ) -> str:
        if role == "operator":
            foundation = None
        return issue_token(self.settings.secret_key, sub=sub, role=role, foundation=foundation)

    def headers(self, role: str = "social_worker", foundation: str | None = "medan-plus") -> dict:
        return {"Authorization": f"Bearer {self.token(role, foundation)}"}

    def flush_publishers(self) -> None:
        for service in self.apps():
            self.runtime(service).publisher.flush()

    def take(self, service: str) -> list[tuple[str, list]]:
        """Remove and decode every task message waiting on ``service``'s queue."""
        client = redis.Redis.from_url(self.settings.redis_url)
        taken = []
        while True:
            raw = client.rpop(service)
            if raw is None:
                return taken
            message = json.loads(raw)
            args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
            taken.append((message["headers"]["task"], args))

    def run_task(self, service: str, name: str, args: list) -> object:
        task = self.runtime(service).celery.tasks[name]
        return task.run(*args)

    def heartbeat(self) -> None:
        """What the scheduler does every few seconds: intake says it is alive."""
        from services.intake.tasks import emit_heartbeat

        emit_heartbeat(self.runtime("intake"))

    def pump(self, rounds: int = 10) -> int:
        """Deliver queued work until every queue is empty; returns the tasks run."""
        handled = 0
        for _ in range(rounds):
            self.flush_publishers()
            moved = 0
            for service in self.apps():
                for name, args in self.take(service):
                    self.run_task(service, name, args)
                    moved += 1
            handled += moved
            if moved == 0:
                return handled
        return handled
