"""Celery entry: ``celery -A services.assessment.worker:celery worker -Q assessment``."""

from services.assessment.app import create_app
from shared.runtime import in_worker

app = create_app()
in_worker(app.extensions["pendamping"])  # tasks publish what they commit themselves
celery = app.extensions["celery"]
