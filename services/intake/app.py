"""``create_app``: the intake service (port 5001)."""

from __future__ import annotations

from flask import Flask

from services.intake import handlers, models
from services.intake.api import BLUEPRINTS
from services.intake.api_data_requests import BLUEPRINTS as DATA_REQUEST_BLUEPRINTS
from services.intake.api_referrals import BLUEPRINTS as REFERRAL_BLUEPRINTS
from services.intake.metrics import data_request_metrics
from services.intake.tasks import register_tasks
from shared.runtime import bootstrap
from shared.settings import Settings
from shared.web import make_flask_app


def create_app(settings: Settings | None = None, config: dict | None = None) -> Flask:
    runtime = bootstrap("intake", models.metadata, models.events, handlers.EVENT_HANDLERS, settings)
    register_tasks(runtime)
    return make_flask_app(
        runtime,
        title="Pendamping intake",
        description="Foundations, staff, clients, screening, consent and admission; "
        "partners, referrals and transfers.",
        blueprints=BLUEPRINTS + DATA_REQUEST_BLUEPRINTS + REFERRAL_BLUEPRINTS,
        config=config,
        metric_sources=[data_request_metrics],
    )
