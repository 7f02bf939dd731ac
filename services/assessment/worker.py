"""Celery entry: ``celery -A services.assessment.worker:celery worker -Q assessment``."""

from services.assessment.app import create_app

app = create_app()
celery = app.extensions["celery"]
