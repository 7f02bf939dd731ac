"""Alembic's entry for the console's history: its own tables, run as every service's are."""

from services.console.models import metadata
from shared.alembic_env import run_env

run_env(metadata)
