"""Notifications' own Celery tasks (besides the event consumer every service has)."""

from __future__ import annotations

import logging

from services.notifications.chunk_facts import ChunkFacts
from services.notifications.delivery import send_chunk
from services.notifications.dispatcher import DISPATCH_TASK, SEND_BATCH_TASK, dispatch
from services.notifications.inbound_receipts import prune_receipts
from services.notifications.schedule import PRUNE_RECEIPTS_TASK
from shared.db import utcnow
from shared.runtime import ServiceRuntime

log = logging.getLogger(__name__)


def register_tasks(runtime: ServiceRuntime) -> None:
    celery = runtime.celery

    @celery.task(name=SEND_BATCH_TASK, ignore_result=True, shared=False)
    def send_batch(message_ids: list[str]) -> list[str]:
        """Send claimed messages, the chunk's records read together. Redelivered after a
        worker died, it sends those still ``queued``; the one it was sending is recovered
        as ``sending``."""
        if not isinstance(message_ids, list):  # only the dispatcher queues these: a list
            log.error("send_messages given %s, not a list of ids", type(message_ids).__name__)
            return []
        ids = list(dict.fromkeys(m for m in message_ids if isinstance(m, str)))  # each once
        try:
            return send_chunk(runtime, ids, ChunkFacts())
        except Exception:  # its rows stay queued and are recovered after the queued timeout
            log.exception("sending the chunk of %s failed", ", ".join(ids[:3]))
            return ["error"] * len(ids)

    @celery.task(name=DISPATCH_TASK, ignore_result=True, shared=False)
    def dispatch_due() -> int:
        """Queue every due message; recover stalled ones (run by the scheduler)."""
        return dispatch(runtime)

    @celery.task(name=PRUNE_RECEIPTS_TASK, ignore_result=True, shared=False)
    def prune_inbound_receipts() -> int:
        """Forget the webhook's receipts older than a year (sent daily by the scheduler)."""
        return prune_receipts(runtime.db, utcnow())
