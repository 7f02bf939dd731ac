"""One Celery app per service, configured for at-least-once work.

Tasks are acknowledged late (after they ran), a worker takes one message at a time, a
message whose worker died is requeued, and a worker that loses its broker connection
cancels what it was running instead of acknowledging it. Redelivery is bounded by the
inbox's attempt counter. Task names are explicit (``intake.handle_event``) and never depend
on module paths. Nothing is scheduled with a long ETA: scheduled work lives in rows.
"""

from __future__ import annotations

from celery import Celery
from kombu import Queue

from shared.logs import hand_celery_logging

VISIBILITY_TIMEOUT_SECONDS = 120


def make_celery(service: str, redis_url: str) -> Celery:
    celery = Celery(service, broker=redis_url, set_as_current=False)
    celery.conf.update(
        task_default_queue=service,
        task_queues=[Queue(service)],
        task_create_missing_queues=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,
        worker_prefetch_multiplier=1,
        worker_cancel_long_running_tasks_on_connection_loss=True,
        worker_hijack_root_logger=False,
        # Task events (received/started/succeeded, for monitors) cost the worker's main
        # process about half its CPU under load. Off unless asked for: Flower (its default
        # --enable_events) turns them on in the running workers while it watches.
        worker_send_task_events=False,
        task_send_sent_event=False,
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        broker_connection_retry_on_startup=True,
        broker_connection_max_retries=None,
        # A broker that is restarting can answer a command with an error reply instead of
        # closing the socket; reconnect then too, rather than letting the worker exit.
        broker_channel_error_retry=True,
        broker_connection_timeout=2,
        broker_pool_limit=10,
        broker_heartbeat=0,
        broker_transport_options={
            "visibility_timeout": VISIBILITY_TIMEOUT_SECONDS,
            "socket_timeout": 5,
            "socket_connect_timeout": 2,
            "socket_keepalive": True,
            "retry_on_timeout": True,
            "health_check_interval": 10,
        },
        task_publish_retry=False,
        enable_utc=True,
        timezone="UTC",
    )
    hand_celery_logging(service)
    return celery


def _tolerate_released_transport() -> None:
    """Keep a worker alive when Redis goes away.

    After losing the broker, Celery 5.7's consumer first collects the connection (which
    releases its transport) and then closes it; closing the default channel then tries to
    restore unacknowledged messages through the released transport and raises
    ``AttributeError``, which the worker treats as unrecoverable and exits. The messages are
    safe in Redis either way (they come back after the visibility timeout), so that error is
    treated like the connection errors ``maybe_close_channel`` already ignores, and the
    worker goes on to reconnect.
    """
    from kombu.connection import Connection

    if getattr(Connection.maybe_close_channel, "_pendamping", False):
        return
    original = Connection.maybe_close_channel

    def maybe_close_channel(self, channel):
        try:
            original(self, channel)
        except AttributeError:
            pass

    maybe_close_channel._pendamping = True  # type: ignore[attr-defined]
    Connection.maybe_close_channel = maybe_close_channel  # type: ignore[method-assign]


_tolerate_released_transport()
