"""A fake SMS/WhatsApp provider for benchmarks: its own process on loopback, HTTP/1.1 with
keep-alive, one thread per connection, answering every ``POST /messages`` at once with
``200 {"id": "prov-<n>", "status": "accepted"}``.

It counts what a test provider would witness: requests, new deliveries, repeats of an
``Idempotency-Key`` it already accepted (a message sent twice), requests without the
expected bearer key (answered 401), and connections opened (keep-alive or not).
``GET /stats`` returns the counts as JSON, ``POST /reset`` zeroes them.

    python -m bench.fake_provider PORT API_KEY
"""

from __future__ import annotations

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Counts:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.requests = self.deliveries = self.duplicates = self.unauthorized = 0
        self.connections = 0
        self.keys: set[str] = set()

    def as_dict(self) -> dict:
        return {
            "requests": self.requests,
            "deliveries": self.deliveries,
            "duplicates": self.duplicates,
            "unauthorized": self.unauthorized,
            "connections": self.connections,
        }


def serve(port: int, api_key: str) -> None:
    counts = Counts()
    expected = f"Bearer {api_key}"

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive unless the client closes
        # The headers and the body go out in two writes: with Nagle's algorithm on, the
        # second waits for the client's delayed ACK of the first (about 40 ms) on a
        # connection that is kept alive. A provider's real front end does not do that.
        disable_nagle_algorithm = True

        def setup(self) -> None:
            super().setup()
            with counts.lock:
                counts.connections += 1

        def _answer(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:  # noqa: N802 (the stdlib's name)
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.path == "/reset":
                with counts.lock:
                    counts.reset()
                self._answer(200, {})
                return
            key = self.headers.get("Idempotency-Key") or ""
            with counts.lock:
                counts.requests += 1
                if self.headers.get("Authorization") != expected:
                    counts.unauthorized += 1
                    status, answer = 401, {"error": "unauthorized"}
                else:
                    if key in counts.keys:
                        counts.duplicates += 1
                    else:
                        counts.keys.add(key)
                        counts.deliveries += 1
                    status, answer = 200, {"id": f"prov-{counts.requests}", "status": "accepted"}
            self._answer(status, answer)

        def do_GET(self) -> None:  # noqa: N802
            with counts.lock:
                stats = counts.as_dict()
            self._answer(200, stats)

        def log_message(self, *args) -> None:
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 128  # a burst of new connections is not refused

    Server(("127.0.0.1", port), Handler).serve_forever()


if __name__ == "__main__":
    serve(int(sys.argv[1]), sys.argv[2])
