"""The embedded suite's one web process hands each request to the app of its port."""

from __future__ import annotations

import json

from werkzeug.test import Client
from werkzeug.wrappers import Response

from ops.embedded_web import PortDispatch, embedded_ports
from ops.runner import web_server


def _app(name: str):
    return Response(name)


def _client(port: int) -> Client:
    dispatch = PortDispatch({5001: _app("intake"), 5004: _app("console")})
    return Client(dispatch)


def test_each_port_reaches_its_own_app():
    for port, name in ((5001, "intake"), (5004, "console")):
        answer = _client(port).get("/", environ_overrides={"SERVER_PORT": str(port)})
        assert answer.status_code == 200 and answer.get_data(as_text=True) == name


def test_a_port_no_app_owns_is_a_problem_not_a_crash():
    answer = _client(5009).get("/clients", environ_overrides={"SERVER_PORT": "5009"})
    assert answer.status_code == 404
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert json.loads(answer.get_data())["code"] == "not_found"


def test_the_server_binds_every_port_the_settings_give(monkeypatch):
    for name in ("INTAKE", "NOTIFICATIONS", "CONSOLE"):
        monkeypatch.delenv(f"{name}_PORT", raising=False)
    monkeypatch.setenv("ASSESSMENT_PORT", "6102")
    ports = embedded_ports()
    assert ports["assessment"] == 6102 and ports["console"] == 5004
    command = web_server("127.0.0.1", ports)
    binds = [command[i + 1] for i, arg in enumerate(command) if arg == "--bind"]
    assert binds == [f"127.0.0.1:{p}" for p in (5001, 6102, 5003, 5004)]
    assert command[-1] == "ops.embedded_web:create_app()"
