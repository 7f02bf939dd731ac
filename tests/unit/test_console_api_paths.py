"""Ids the console puts into API paths come from its own URL: they cannot end or escape
the path they are put in."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from services.console.api_client import Api, ApiError


@pytest.fixture
def api_server():
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            seen.append(self.path)
            body = json.dumps({"id": "x"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", seen
    server.shutdown()
    server.server_close()


def _api(url: str) -> Api:
    return Api({"intake": url}, "k" * 40, sub="s", role="social_worker", foundation="f")


@pytest.mark.parametrize(
    ("client_id", "path_seen"),
    [
        ("3f0c", "/clients/3f0c"),
        ("?status=registered", "/clients/%3Fstatus%3Dregistered"),
        ("#x", "/clients/%23x"),
        ("a b", "/clients/a%20b"),
    ],
)
def test_an_id_stays_inside_its_path_segment(api_server, client_id, path_seen):
    url, seen = api_server
    _api(url).get("intake", f"/clients/{client_id}")
    assert seen == [path_seen]


@pytest.mark.parametrize("client_id", ["..", "."])
def test_a_dot_segment_is_no_record_and_is_never_sent(api_server, client_id):
    url, seen = api_server
    with pytest.raises(ApiError) as raised:
        _api(url).get("intake", f"/clients/{client_id}")
    assert raised.value.status == 404
    assert seen == []
