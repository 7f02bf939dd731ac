"""A small messaging provider on 127.0.0.1, for tests that need a real HTTP endpoint.

It answers ``POST`` on any path (``/messages`` for SMS/WhatsApp, any other path as a
webhook receiver), records every request in ``requests`` and every new delivery in
``deliveries``. Like a real provider it honours ``Idempotency-Key``: a repeat of a key that
was delivered answers the first response again and is recorded as a duplicate, not as a
new delivery (failed attempts are not remembered, so they can be retried).

It counts the connections clients opened (``connections``): a sender that keeps its
connection alive opens one for many messages.

It can be told to misbehave for the next calls: ``fail_next(n, status)`` (500/503...),
``reject_next(n, status=400)``, and ``stall_next(n, seconds)``, which accepts the message
(a delivery) but answers only after ``seconds`` — past the client's timeout.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    duplicate: bool = False
    answered: int = 0

    @property
    def json(self):
        return json.loads(self.body) if self.body else None

    def header(self, name: str) -> str | None:
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None


@dataclass
class _Plan:
    kind: str  # "fail" | "stall"
    status: int = 503
    seconds: float = 0.0


@dataclass
class ProviderServer:
    expected_token: str | None = None
    requests: list[Received] = field(default_factory=list)
    deliveries: list[Received] = field(default_factory=list)
    connections: int = 0
    _answers: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    _plans: deque = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> ProviderServer:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # headers and body are two writes: without this, on a kept-alive connection the
            # second waits for the client's delayed ACK (about 40 ms), as no real provider does
            disable_nagle_algorithm = True

            def setup(self):
                super().setup()
                with provider._lock:
                    provider.connections += 1

            def do_POST(self):  # noqa: N802 (the stdlib's name)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                status, answer, delay = provider._handle(self.path, dict(self.headers), body)
                if delay:
                    time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        # a short poll: stopping waits for the loop to look, once per test that used it
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the provider first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # -- what tests tell it ------------------------------------------------------------------

    def fail_next(self, times: int = 1, status: int = 503) -> None:
        with self._lock:
            self._plans.extend(_Plan("fail", status) for _ in range(times))

    def reject_next(self, times: int = 1, status: int = 400) -> None:
        self.fail_next(times, status)

    def stall_next(self, times: int = 1, seconds: float = 2.0) -> None:
        with self._lock:
            self._plans.extend(_Plan("stall", seconds=seconds) for _ in range(times))

    def misbehave(self, rate: float, stall_seconds: float, seed: int = 7) -> None:
        """From now on fail a share ``rate`` of new messages: half with 500/503, half by
        accepting them and answering after ``stall_seconds`` (past the client's timeout)."""
        import random

        self._chaos = (rate, stall_seconds, random.Random(seed))

    def _chaos_plan(self) -> _Plan | None:
        chaos = getattr(self, "_chaos", None)
        if chaos is None:
            return None
        rate, stall_seconds, rng = chaos
        if rng.random() >= rate:
            return None
        if rng.random() < 0.5:
            return _Plan("fail", rng.choice((500, 503)))
        return _Plan("stall", seconds=stall_seconds)

    # -- handling ----------------------------------------------------------------------------

    def _handle(self, path: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes, float]:
        received = Received("POST", path, headers, body)
        with self._lock:
            self.requests.append(received)
            if self.expected_token is not None and (
                received.header("Authorization") != f"Bearer {self.expected_token}"
            ):
                received.answered = 401
                return 401, b'{"error": "unauthorized"}', 0.0
            key = received.header("Idempotency-Key")
            if key and key in self._answers:
                received.duplicate = True
                status, answer = self._answers[key]
                received.answered = status
                return status, answer, 0.0
            plan = self._plans.popleft() if self._plans else self._chaos_plan()
            if plan is not None and plan.kind == "fail":
                received.answered = plan.status
                return plan.status, json.dumps({"error": plan.status}).encode(), 0.0
            answer = json.dumps({"id": f"prov-{len(self.deliveries) + 1}", "status": "accepted"})
            self.deliveries.append(received)
            received.answered = 202
            if key:
                self._answers[key] = (202, answer.encode())
            return 202, answer.encode(), plan.seconds if plan is not None else 0.0


def sign(secret: str, body: bytes, timestamp: str | None = None) -> str:
    """What a provider puts in its signature header: ``sha256=<hex HMAC-SHA256>`` of the
    body, or of ``<timestamp>.<body>`` when it sends ``X-Provider-Timestamp``."""
    content = body if timestamp is None else timestamp.encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), content, hashlib.sha256).hexdigest()


def send_sms_through(suite, provider: ProviderServer, foundation: str = "medan-plus") -> None:
    """The foundation's ``sms`` channel, saved by its admin, sending to ``provider``
    (bearer key ``test-key-123``, sender ``MEDANPLUS``)."""
    response = suite.client("notifications").put(
        "/channels/sms",
        headers=suite.headers("admin", foundation),
        json={"base_url": provider.url, "api_key": "test-key-123", "sender_id": "MEDANPLUS"},
    )
    assert response.status_code == 200, response.get_json()
