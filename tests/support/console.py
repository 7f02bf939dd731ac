"""The staff console in a test: the three APIs served over real HTTP (threads, free ports),
the console app in front of them, accounts made directly in its database."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import BaseWSGIServer, make_server

from ops.migrations import upgrade
from services.console import accounts
from services.console.app import create_app
from shared.settings import CONSOLE

PASSWORD = "kata-sandi-rahasia-1"


@dataclass
class ServedApis:
    """Each API of a :class:`~tests.support.suite.Suite` on its own HTTP port."""

    servers: dict[str, BaseWSGIServer] = field(default_factory=dict)

    @classmethod
    def start(cls, suite) -> ServedApis:
        served = cls()
        for name, app in suite.apps().items():
            served.serve(name, app)
        return served

    def serve(self, name: str, app: Flask) -> None:
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.servers[name] = server

    def urls(self) -> dict[str, str]:
        return {name: f"http://127.0.0.1:{s.server_port}" for name, s in self.servers.items()}

    def stop(self, name: str) -> None:
        server = self.servers.pop(name)
        server.shutdown()
        server.server_close()

    def stop_all(self) -> None:
        for name in list(self.servers):
            self.stop(name)


def console_app(settings, urls: dict[str, str], tmp_path: Path, **config) -> Flask:
    database = f"sqlite:///{tmp_path / 'console.sqlite'}"
    upgrade(CONSOLE, database)
    overrides = {f"CONSOLE_{name.upper()}_URL": url for name, url in urls.items()}
    overrides["CONSOLE_DATABASE_URL"] = database
    overrides.update(config)
    return create_app(settings, overrides)


def make_account(
    app: Flask, suite, *, foundation: str, email: str, role: str = "social_worker", **extra
) -> dict:
    """A staff record in intake (through its API) and a console account for it."""
    intake_role = "other" if role == "viewer" else role
    staff = suite.client("intake").post(
        "/staff",
        json={"name": extra.get("name", email.split("@")[0]), "role": intake_role},
        headers=suite.headers("admin", foundation),
    )
    assert staff.status_code == 201, staff.get_json()
    accounts.create_account(
        app.extensions["console"].db,
        email=email,
        password=extra.get("password", PASSWORD),
        name=extra.get("name", email.split("@")[0]),
        foundation=foundation,
        role=role,
        staff_id=staff.get_json()["id"],
        locale=extra.get("locale", "id"),
    )
    return staff.get_json()


def sign_in(http: FlaskClient, email: str, password: str = PASSWORD, **data):
    return http.post("/sign-in", data={"email": email, "password": password, **data})


def csrf_token(html: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def field_errors(html: str) -> dict[str, str]:
    """The error shown next to each field, by the field's id."""
    return dict(re.findall(r'class="field-error" id="([\w-]+)-error"[^>]*>([^<]*)<', html))
