"""Notifications' own Celery tasks (besides the event consumer every service has)."""

from __future__ import annotations

from services.notifications.delivery import send_message
from services.notifications.dispatcher import DISPATCH_TASK, SEND_TASK, dispatch
from shared.runtime import ServiceRuntime


def register_tasks(runtime: ServiceRuntime) -> None:
    celery = runtime.celery

    @celery.task(name=SEND_TASK, ignore_result=True, shared=False)
    def send(message_id: str) -> str:
        """Send one claimed message (a repeat delivery of this task sends nothing)."""
        return send_message(runtime, message_id)

    @celery.task(name=DISPATCH_TASK, ignore_result=True, shared=False)
    def dispatch_due() -> int:
        """Queue every due message; recover stalled ones (run by the scheduler)."""
        return dispatch(runtime)
