"""Notifications' own Celery tasks (besides the event consumer every service has)."""

from __future__ import annotations

import logging

from services.notifications.chunk_facts import ChunkFacts
from services.notifications.delivery import send_message
from services.notifications.dispatcher import DISPATCH_TASK, SEND_BATCH_TASK, dispatch
from shared.runtime import ServiceRuntime

log = logging.getLogger(__name__)


def register_tasks(runtime: ServiceRuntime) -> None:
    celery = runtime.celery

    @celery.task(name=SEND_BATCH_TASK, ignore_result=True, shared=False)
    def send_batch(message_ids: list[str]) -> list[str]:
        """Send claimed messages one after another. Redelivered after a worker died, it
        sends those still ``queued``; the one it was sending is recovered as ``sending``."""
        if not isinstance(message_ids, list):  # only the dispatcher queues these: a list
            log.error("send_messages given %s, not a list of ids", type(message_ids).__name__)
            return []
        outcomes = []
        ids = dict.fromkeys(m for m in message_ids if isinstance(m, str))  # each once, in order
        facts = ChunkFacts()  # what the chunk's messages share is read once
        for message_id in ids:
            try:
                outcomes.append(send_message(runtime, message_id, facts))
            except Exception:  # its row stays queued or sending and is recovered later
                log.exception("sending message %s failed", message_id)
                outcomes.append("error")
        return outcomes

    @celery.task(name=DISPATCH_TASK, ignore_result=True, shared=False)
    def dispatch_due() -> int:
        """Queue every due message; recover stalled ones (run by the scheduler)."""
        return dispatch(runtime)
