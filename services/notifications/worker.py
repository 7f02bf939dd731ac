"""Celery entry: ``celery -A services.notifications.worker:celery worker -Q notifications``."""

from services.notifications.app import create_app

app = create_app()
celery = app.extensions["celery"]
