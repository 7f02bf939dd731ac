"""The embedded suite's one web process: the three APIs and the staff console in a single
gunicorn (``pendamping run`` only; compose and Kubernetes run a server per service).

Four gunicorn servers cost four masters and four workers, each worker holding Flask,
SQLAlchemy, marshmallow and the models again (about 120 MiB a server). One server bound to
the four ports holds those libraries once; each request goes to the app of the port it
arrived on, so every URL, token and page stays where it was. The apps were always able to
live in one process (the integration tests build all four in one), and each keeps its own
settings, database, key store and metrics registry.

    gunicorn -c python:ops.gunicorn_conf --bind 127.0.0.1:5001 ... 'ops.embedded_web:create_app()'
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

from shared.settings import CONSOLE, DEFAULT_PORTS, SERVICES

WsgiApp = Callable[[dict, Callable], Iterable[bytes]]

NOT_SERVED = b'{"title": "Not Found", "status": 404, "code": "not_found"}'


def embedded_ports() -> dict[str, int]:
    """Each web app's port in the embedded suite: ``<SERVICE>_PORT``, else the default."""
    return {
        name: int(os.environ.get(f"{name.upper()}_PORT", DEFAULT_PORTS[name]))
        for name in (*SERVICES, CONSOLE)
    }


class PortDispatch:
    """A WSGI app handing each request to the app that owns the port it came in on."""

    def __init__(self, apps_by_port: dict[int, WsgiApp]):
        self.apps_by_port = apps_by_port

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        try:
            app = self.apps_by_port.get(int(environ.get("SERVER_PORT", "")))
        except ValueError:
            app = None
        if app is None:  # a port bound by hand that no app owns
            start_response(
                "404 Not Found",
                [
                    ("Content-Type", "application/problem+json"),
                    ("Content-Length", str(len(NOT_SERVED))),
                ],
            )
            return [NOT_SERVED]
        return app(environ, start_response)


def create_app() -> PortDispatch:
    """The four apps, each built by its own factory, behind one dispatcher."""
    from services.assessment.app import create_app as assessment_app
    from services.console.app import create_app as console_app
    from services.intake.app import create_app as intake_app
    from services.notifications.app import create_app as notifications_app

    factories = {
        "intake": intake_app,
        "assessment": assessment_app,
        "notifications": notifications_app,
        CONSOLE: console_app,
    }
    ports = embedded_ports()
    return PortDispatch({ports[name]: factory() for name, factory in factories.items()})
