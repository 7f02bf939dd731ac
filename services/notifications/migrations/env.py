"""Alembic's entry for the notifications history: its own tables, run as every service's are."""

from services.notifications.models import metadata
from shared.alembic_env import run_env

run_env(metadata)
