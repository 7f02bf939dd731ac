"""Celery entry: ``celery -A services.notifications.worker:celery worker -Q notifications``."""

from services.notifications.app import create_app
from shared.runtime import in_worker

app = create_app()
in_worker(app.extensions["pendamping"])  # tasks publish what they commit themselves
celery = app.extensions["celery"]
