"""Celery entry: ``celery -A services.intake.worker:celery worker -Q intake``."""

from services.intake.app import create_app
from shared.runtime import in_worker

app = create_app()
in_worker(app.extensions["pendamping"])  # tasks publish what they commit themselves
celery = app.extensions["celery"]
