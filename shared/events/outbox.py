"""The transactional outbox's relay: committed outbox rows onto each subscriber's queue.

Events are written to the outbox by :class:`shared.events.unit_of_work.UnitOfWork` in the
transaction of the change they describe; right after the commit
:class:`shared.events.publisher.BackgroundPublisher` sends them through :class:`OutboxRelay`,
and ``OutboxRelay.relay_pending`` (run periodically by the scheduler) republishes whatever
is still unpublished, e.g. while Redis was down. Publishing twice is harmless: consumers
keep an inbox.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import timedelta
from typing import Any, NamedTuple

from celery import Celery
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from shared import client_keys
from shared.db import Database, bump_counter, utcnow
from shared.events.catalogue import spec_for
from shared.events.envelope import key_owner
from shared.events.tables import EventTables

log = logging.getLogger(__name__)

RELAY_GRACE_SECONDS = 5
LEASE_SECONDS = 30


class CommittedEvent(NamedTuple):
    """An outbox row as its transaction wrote it: what the after-commit publisher sends."""

    id: str
    type: str
    envelope: str


def next_sequence(session: Session, tables: EventTables, subject: str) -> int:
    """The next sequence number for ``subject``, allocated atomically in this transaction."""
    return bump_counter(session, tables.sequences, subject=subject)


def task_name(service: str) -> str:
    """The consumer task of ``service``: one per service, fed from its own queue."""
    return f"{service}.handle_event"


class OutboxRelay:
    """Moves committed outbox rows onto each subscriber's queue."""

    def __init__(self, db: Database, tables: EventTables, celery: Celery, key_store=None):
        self.db = db
        self.tables = tables
        self.celery = celery
        self.key_store = key_store
        self._unsealed: set[str] = set()  # subscribers already said to lack a transport key

    def _with_client_key(self, envelope: dict, wire: str, subscribers: tuple[str, ...]) -> dict:
        """An envelope whose data holds values under a client key (its subject's, or that
        of the client named in ``key_of``) gets that key, sealed to each subscriber's
        transport key (``shared.transport_keys``), for them to read those values. It is
        added here, on the way to the broker, so the outbox table never holds it."""
        if self.key_store is None or client_keys.WIRE_MARK not in wire:
            return envelope
        key = self.key_store.current(key_owner(envelope))
        if key is None:
            return envelope
        boxes, missing = self.key_store.transport.boxes_for(key, subscribers)
        sealed = {**envelope, "client_keys": boxes}
        if missing:  # a subscriber that never published a transport key (a new deployment)
            if new := set(missing) - self._unsealed:  # said once per subscriber, not per event
                self._unsealed |= new
                log.warning(
                    "no transport key for %s yet: the client key goes under the data key",
                    ", ".join(sorted(new)),
                )
            sealed["client_key"] = self.key_store.wrapped_current(key.client_id)
        return sealed

    def send(self, rows: Iterable[Any]) -> list[str]:
        """Publish ``rows`` (outbox rows, or events as their commits wrote them: nothing is
        read back); return the ids that reached the broker (stop at the first error).

        Each message is its own LPUSH: kombu pipelines a ``Producer.batch`` only where a
        timed-out pipeline cannot be replayed, and the broker settings retry on timeout
        (``shared.celery_app``), so a batch would publish one at a time all the same."""
        sent: list[str] = []
        try:
            with self.celery.producer_or_acquire() as producer:
                for row in rows:
                    self._publish(producer, row)
                    sent.append(row.id)
        except Exception as exc:  # the broker is down or slow: the relay will catch up
            log.warning("outbox publish stopped after %d events: %s", len(sent), type(exc).__name__)
        return sent

    def _publish(self, producer, row: Any) -> None:
        """One event onto each of its subscribers' queues, as their consumer task."""
        subscribers = spec_for(row.type).subscribers
        envelope = self._with_client_key(json.loads(row.envelope), row.envelope, subscribers)
        for subscriber in subscribers:
            self.celery.send_task(
                task_name(subscriber),
                args=[envelope],
                queue=subscriber,
                producer=producer,
                retry=False,
                task_id=f"{row.id}:{subscriber}",
                # what Flower and task events show: the event's type, not the envelope
                # (Celery's repr of it cost more CPU than the send)
                argsrepr=f"[{row.type}]",
                kwargsrepr="{}",
            )

    def mark_published(self, ids: list[str]) -> None:
        if not ids:
            return
        outbox = self.tables.outbox
        with self.db.transaction() as session:
            session.execute(
                update(outbox)
                .where(outbox.c.id.in_(ids))
                .values(published_at=utcnow(), lease_until=None)
            )

    def relay_pending(self, batch: int = 500, grace_seconds: float = RELAY_GRACE_SECONDS) -> int:
        """Publish events left unpublished for longer than ``grace_seconds``.

        Rows are leased first (``FOR UPDATE SKIP LOCKED`` on PostgreSQL) so that several
        relays share the backlog instead of all sending it; the broker is called outside any
        database transaction.
        """
        outbox = self.tables.outbox
        now = utcnow()
        with self.db.transaction() as session:
            query = (
                select(outbox.c.id, outbox.c.type, outbox.c.envelope)
                .where(
                    outbox.c.published_at.is_(None),
                    outbox.c.created_at <= now - timedelta(seconds=grace_seconds),
                    (outbox.c.lease_until.is_(None)) | (outbox.c.lease_until < now),
                )
                .order_by(outbox.c.created_at)
                .limit(batch)
            )
            if not self.db.is_sqlite:
                query = query.with_for_update(skip_locked=True)
            rows = session.execute(query).all()
            if rows:
                session.execute(
                    update(outbox)
                    .where(outbox.c.id.in_([r.id for r in rows]))
                    .values(
                        lease_until=now + timedelta(seconds=LEASE_SECONDS),
                        attempts=outbox.c.attempts + 1,
                    )
                )
        sent = self.send(rows)
        self.mark_published(sent)
        return len(sent)
