"""The transactional outbox: events written with the change they describe, published after.

``UnitOfWork.emit`` writes the event row in the caller's transaction. After the commit the
events are handed, as written, to a background thread that publishes them at once, so a
request never waits on a broker that is slow or down, and marks them published (one write
for whatever was committed meanwhile); ``OutboxRelay.relay_pending`` (run periodically by
the scheduler) republishes whatever is still unpublished, e.g. while Redis was down.
Publishing twice is harmless: consumers keep an inbox.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any, NamedTuple

from celery import Celery
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from shared.db import Database, bump_counter, cached_insert, new_id, utcnow
from shared.events.catalogue import encode_payload, spec_for
from shared.events.envelope import current_correlation_id
from shared.events.tables import EventTables

log = logging.getLogger(__name__)

RELAY_GRACE_SECONDS = 5
LEASE_SECONDS = 30
PUBLISH_BATCH = 100  # commits whose events the background publisher sends at once
# The background publisher writes ``published_at`` for what it sent at most this often (one
# write transaction for all of it): far inside the relay's grace, so the relay does not
# take these events for unpublished; a process that dies first only lets the relay publish
# them once more, which consumers ignore.
MARK_INTERVAL_SECONDS = 0.25


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

    def __init__(self, db: Database, tables: EventTables, celery: Celery):
        self.db = db
        self.tables = tables
        self.celery = celery

    def send(self, rows: Iterable[Any]) -> list[str]:
        """Publish ``rows`` (outbox rows, or events as their commits wrote them: nothing is
        read back); return the ids that reached the broker (stop at the first error)."""
        sent: list[str] = []
        try:
            with self.celery.producer_or_acquire() as producer:
                for row in rows:
                    envelope = json.loads(row.envelope)
                    for subscriber in spec_for(row.type).subscribers:
                        self.celery.send_task(
                            task_name(subscriber),
                            args=[envelope],
                            queue=subscriber,
                            producer=producer,
                            retry=False,
                            task_id=f"{row.id}:{subscriber}",
                        )
                    sent.append(row.id)
        except Exception as exc:  # the broker is down or slow: the relay will catch up
            log.warning("outbox publish stopped after %d events: %s", len(sent), type(exc).__name__)
        return sent

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


_MARK_NOW = None  # queued by flush(): write the pending marks without waiting


class BackgroundPublisher:
    """Publishes freshly committed events on a thread, so callers never wait on the broker.

    Events go out as soon as the thread gets to them (whatever was committed meanwhile goes
    with them); their ``published_at`` is written every ``MARK_INTERVAL_SECONDS`` for all
    that went out since, so under load one write transaction marks many commits' events
    instead of each commit costing a second write.
    """

    def __init__(self, relay: OutboxRelay, mark_interval: float = MARK_INTERVAL_SECONDS):
        self.relay = relay
        self.mark_interval = mark_interval
        self._queue: queue.Queue[list[CommittedEvent] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None
        self._lock = threading.Lock()

    def _ensure_thread(self) -> None:
        # A forked worker process inherits no threads: start one per process.
        with self._lock:
            if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
                self._queue = queue.Queue()
                self._pid = os.getpid()
                self._thread = threading.Thread(
                    target=self._run, name="outbox-publisher", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        unmarked: list[str] = []
        marked_at = time.monotonic()
        while True:
            wait = None  # nothing to mark: sleep until something is committed
            if unmarked:
                wait = max(0.0, marked_at + self.mark_interval - time.monotonic())
            try:
                commits = [self._queue.get(timeout=wait)]
            except queue.Empty:
                commits = []
            # what was committed while the last batch went out goes out together
            while commits and len(commits) < PUBLISH_BATCH:
                try:
                    commits.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            events = [event for events in commits if events for event in events]
            mark_now = _MARK_NOW in commits
            try:
                if events:
                    sent = self.relay.send(events)
                    unmarked += sent
                    if len(sent) < len(events):  # the broker is away
                        mark_now = self._drop_queued() or mark_now
                due = time.monotonic() - marked_at >= self.mark_interval
                if unmarked and (due or mark_now):
                    marking, unmarked = unmarked, []
                    marked_at = time.monotonic()
                    self.relay.mark_published(marking)
            except Exception:  # the relay republishes whatever this missed
                log.exception("background publish failed")
            finally:
                for _ in commits:
                    self._queue.task_done()

    def _drop_queued(self) -> bool:
        """While the broker is away, forget what was committed meanwhile instead of trying
        each commit against it in turn: those events stay unpublished in the outbox, and the
        relay sends them once it answers again. Returns whether a flush asked for marks."""
        flush_asked = False
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return flush_asked
            flush_asked = flush_asked or item is _MARK_NOW
            self._queue.task_done()

    def kick(self, events: list[CommittedEvent]) -> None:
        if events:
            self._ensure_thread()
            self._queue.put(list(events))

    def flush(self, timeout: float = 10.0) -> None:
        """Wait until everything kicked so far has been tried and what went out is marked
        published (for tests and shutdown)."""
        if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
            return
        self._queue.put(_MARK_NOW)
        done = threading.Event()

        def waiter() -> None:
            self._queue.join()
            done.set()

        threading.Thread(target=waiter, daemon=True).start()
        done.wait(timeout)


class UnitOfWork:
    """One transaction of a service, with the events it emits and what to do after commit."""

    def __init__(
        self,
        producer: str,
        db: Database,
        tables: EventTables,
        publisher: Any = None,
        runtime: Any = None,
    ):
        self.producer = producer
        self.runtime = runtime  # the service's ServiceRuntime, for after-commit work
        self.db = db
        self.tables = tables
        self.publisher = publisher
        self.session: Session
        self.emitted: list[CommittedEvent] = []
        self._after_commit: list[Callable[[], None]] = []

    def __enter__(self) -> UnitOfWork:
        self.session = self.db.sessions()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self.session.commit()
            else:
                self.session.rollback()
        finally:
            self.session.close()
        if exc_type is None:
            self._run_after_commit()

    def _run_after_commit(self) -> None:
        if self.publisher is not None and self.emitted:
            self.publisher.kick(self.emitted)
        for hook in self._after_commit:
            try:
                hook()
            except Exception:  # after-commit work is an optimisation; sweeps catch up
                log.exception("after-commit hook failed")

    def after_commit(self, hook: Callable[[], None]) -> None:
        self._after_commit.append(hook)

    def emit(self, event_type: str, *, subject: str, foundation: str | None, data: dict) -> str:
        """Write an event to the outbox in this transaction; published after commit."""
        spec = spec_for(event_type)
        if spec.producer != self.producer:
            raise ValueError(f"{self.producer} does not produce {event_type}")
        event_id = new_id()
        now = utcnow()
        sequence = next_sequence(self.session, self.tables, subject)
        envelope = {
            "id": event_id,
            "type": event_type,
            "version": spec.version,
            "occurred_at": now.isoformat(),
            "foundation": foundation,
            "producer": self.producer,
            "subject": subject,
            "sequence": sequence,
            "correlation_id": current_correlation_id(),
            "data": encode_payload(event_type, data),
        }
        wire = json.dumps(envelope)
        self.session.execute(
            cached_insert(self.tables.outbox),
            {
                "id": event_id,
                "type": event_type,
                "subject": subject,
                "sequence": sequence,
                "envelope": wire,
                "created_at": now,
                "attempts": 0,
            },
        )
        self.emitted.append(CommittedEvent(event_id, event_type, wire))
        return event_id
