"""The baseline of the event pipeline: a Celery task that does nothing.

The app is configured by the project's own ``make_celery`` (late acks, one message at a
time per process, JSON), so the baseline is the transport with the project's delivery
guarantees, and what the pipeline adds on top of it is the project's own work.

    celery -A bench.noop_worker:celery worker -Q bench-noop --concurrency 2
"""

from __future__ import annotations

from bench.common import REDIS_URL
from shared.celery_app import make_celery

QUEUE = "bench-noop"
TASK = "bench.noop"

celery = make_celery(QUEUE, REDIS_URL)


@celery.task(name=TASK, ignore_result=True)
def noop() -> None:
    return None


def publish(count: int) -> None:
    """Put ``count`` no-op tasks on the queue, through one producer connection."""
    with celery.producer_or_acquire() as producer:
        for _ in range(count):
            celery.send_task(TASK, queue=QUEUE, producer=producer, retry=False)
