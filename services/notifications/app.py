"""``create_app``: the notifications service (port 5003)."""

from __future__ import annotations

from flask import Flask

from services.notifications import handlers, models
from services.notifications.api import BLUEPRINTS
from services.notifications.api_channels import BLUEPRINTS as CHANNEL_BLUEPRINTS
from services.notifications.api_conversations import BLUEPRINTS as CONVERSATION_BLUEPRINTS
from services.notifications.api_replies import BLUEPRINTS as REPLY_BLUEPRINTS
from services.notifications.metrics import message_metrics
from services.notifications.tasks import register_tasks
from shared.runtime import bootstrap
from shared.settings import Settings
from shared.web import make_flask_app


def create_app(settings: Settings | None = None, config: dict | None = None) -> Flask:
    runtime = bootstrap(
        "notifications", models.metadata, models.events, handlers.EVENT_HANDLERS, settings
    )
    register_tasks(runtime)
    return make_flask_app(
        runtime,
        title="Pendamping notifications",
        description="Consented family messages and staff reminders, delivered once.",
        blueprints=BLUEPRINTS + CHANNEL_BLUEPRINTS + CONVERSATION_BLUEPRINTS + REPLY_BLUEPRINTS,
        config=config,
        metric_sources=[message_metrics],
    )
