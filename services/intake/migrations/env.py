"""Alembic's entry for intake's history: its own tables, run as every service's are."""

from services.intake.models import metadata
from shared.alembic_env import run_env

run_env(metadata)
