"""The unit of work: one transaction of a service, with the events it emits.

``emit`` writes an event to the outbox in the same transaction as the change it describes;
after the commit the events go to the service's background publisher and the after-commit
hooks run. Handlers and commands take a unit of work, so a test can hand them one of its own.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from shared import client_keys
from shared.crypto import cipher
from shared.db import Database, cached_insert, new_id, utcnow
from shared.events.catalogue import encode_payload, spec_for
from shared.events.envelope import current_correlation_id
from shared.events.outbox import CommittedEvent, next_sequence
from shared.events.tables import EventTables

log = logging.getLogger(__name__)


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
        # True while this transaction applies an event delivered to a worker (set by the
        # inbox): work that follows its commit may then be done right here, by the worker,
        # instead of queued as tasks of its own. A web request's stays False: a request
        # never waits on work it can queue.
        self.applies_delivered_event = False

    def __enter__(self) -> UnitOfWork:
        self.session = self.db.sessions()
        self._keys = client_keys.using(self.db.key_store)
        self._keys.__enter__()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self.session.commit()
            else:
                self.session.rollback()
        finally:
            self.session.close()
            self._keys.__exit__(None, None, None)
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

    def _sealer(self, key_of: str):
        """How an event's personal values are encrypted: under the client key of
        ``key_of`` (the subject, or the client the event's data is about) when this service
        holds one, else the deployment keys. The key is looked up only if the event has a
        personal value."""
        store = self.db.key_store
        if store is None:
            return None

        def seal(value: str) -> str:
            key = store.current(key_of)
            return key.seal(value) if key is not None else cipher().encrypt(value)

        return seal

    def emit(
        self,
        event_type: str,
        *,
        subject: str,
        foundation: str | None,
        data: dict,
        key_of: str | None = None,
    ) -> str:
        """Write an event to the outbox in this transaction; published after commit.

        ``key_of`` names the client whose key seals ``data``'s personal values when the
        subject is not that client (a session only one client takes part in): the envelope
        carries it, and the relay and consumers take that client's key instead of the
        subject's."""
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
            "data": encode_payload(event_type, data, self._sealer(key_of or subject)),
        }
        if key_of is not None:
            envelope["key_of"] = key_of
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
