"""``create_app``: the assessment service (port 5002)."""

from __future__ import annotations

from flask import Flask

from services.assessment import handlers, models
from services.assessment.api import BLUEPRINTS
from services.assessment.api_risk import BLUEPRINTS as RISK_BLUEPRINTS
from services.assessment.tasks import register_tasks
from shared.runtime import bootstrap
from shared.settings import Settings
from shared.web import make_flask_app


def create_app(settings: Settings | None = None, config: dict | None = None) -> Flask:
    runtime = bootstrap(
        "assessment", models.metadata, models.events, handlers.EVENT_HANDLERS, settings
    )
    register_tasks(runtime)
    return make_flask_app(
        runtime,
        title="Pendamping assessment",
        description="Programmes, assessment, placement, sessions, notes, discharge, reports.",
        blueprints=BLUEPRINTS + RISK_BLUEPRINTS,
        config=config,
    )
