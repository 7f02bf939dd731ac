"""Alembic, one history per service. ``pendamping migrate`` upgrades every service and
the staff console.

Each service's ``migrations/env.py`` is two lines that call :func:`run_env`, so the way
migrations connect and compare lives here once.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from alembic import command, context
from alembic.config import Config

from shared.db import make_engine
from shared.settings import CONSOLE, SERVICES, Settings

SERVICES_DIR = Path(__file__).resolve().parent.parent / "services"


def alembic_config(service: str, url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SERVICES_DIR / service / "migrations"))
    config.attributes["service"] = service
    config.attributes["url"] = url
    return config


def upgrade(service: str, url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(service, url), revision)


def upgrade_all(settings: Settings) -> None:
    for service in SERVICES:
        upgrade(service, settings.database_url(service))
    upgrade(CONSOLE, settings.database_url(CONSOLE))


def run_env() -> None:
    """Body of every service's ``env.py`` (online migrations only)."""
    config = context.config
    service = config.attributes["service"]
    metadata = importlib.import_module(f"services.{service}.models").metadata
    engine = make_engine(config.attributes["url"])
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=engine.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
