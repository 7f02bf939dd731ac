"""Celery entry: ``celery -A services.intake.worker:celery worker -Q intake``."""

from services.intake.app import create_app

app = create_app()
celery = app.extensions["celery"]
