"""Intake as it ran before clients had keys of their own, for ``bench.intake_write``.

The same app as ``services.intake.app``, with its key store detached: every personal value
is sealed under the deployment data key (``PENDAMPING_DATA_KEY``), no client key is read
or made, and events carry no client key. Measured next to intake as it is, it shows what
per-client keys cost the write path.

    gunicorn "bench.intake_deployment_key_app:create_app()"   # INTAKE_DATABASE_URL as for intake
"""

from __future__ import annotations

from flask import Flask

from services.intake.app import create_app as create_intake


def create_app() -> Flask:
    app = create_intake()
    app.extensions["pendamping"].db.attach_key_store(None)
    return app
