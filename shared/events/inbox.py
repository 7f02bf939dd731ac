"""The inbox: each event is handled once, and only newer state is applied.

``EventConsumer.consume`` runs the service's handlers for one delivered envelope in a single
transaction that also records the event id, so a redelivered event changes nothing. Handlers
receive ``newer``: whether this event's sequence is newer than the last one applied for its
``(producer, subject)``; state is applied only when it is, while idempotent side effects
(e.g. scheduling a welcome message under a unique key) may run either way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import marshmallow as ma
from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError

from shared import client_keys
from shared.crypto import ClientKeyUnavailable
from shared.db import Database, rowcount, utcnow
from shared.events.catalogue import CATALOGUE, decode_payload
from shared.events.envelope import EnvelopeSchema, Event, correlated, key_owner
from shared.events.tables import EventTables
from shared.events.unit_of_work import UnitOfWork
from shared.logs import log_context

log = logging.getLogger(__name__)

Handler = Callable[[UnitOfWork, Event, bool], None]
MAX_ATTEMPTS = 6
_ENVELOPE = EnvelopeSchema()  # built once: a schema keeps no state between loads


class _InboxStatements:
    """What applying an event asks of the inbox and the versions table, built once per
    service (their values are bound when they run)."""

    def __init__(self, tables: EventTables):
        inbox, versions = tables.inbox, tables.versions
        same_subject = (
            versions.c.producer == bindparam("of_producer"),
            versions.c.subject == bindparam("of_subject"),
        )
        self.seen = select(inbox.c.event_id).where(inbox.c.event_id == bindparam("event_id"))
        self.last = select(versions.c.sequence).where(*same_subject)
        self.first_version = versions.insert()
        # the subject's version moves on only to a newer sequence: the row count says
        # whether the event is newer than the last one applied (when the subject is known)
        self.advance = (
            update(versions)
            .where(*same_subject, versions.c.sequence < bindparam("new_sequence"))
            .values(sequence=bindparam("new_sequence"))
        )
        self.applied = inbox.insert()


class EventConsumer:
    """Applies delivered events to one service's database through its handler table."""

    def __init__(
        self,
        service: str,
        db: Database,
        tables: EventTables,
        handlers: Mapping[str, Sequence[Handler]],
        unit_of_work: Callable[[], UnitOfWork],
    ):
        self.service = service
        self.db = db
        self.tables = tables
        self.handlers = handlers
        self.unit_of_work = unit_of_work
        self._statements = _InboxStatements(tables)

    def _record_attempt(self, event_id: str) -> int:
        try:
            return self._count_attempt(event_id)
        except IntegrityError:  # a concurrent delivery inserted the counter first
            return self._count_attempt(event_id)

    def _count_attempt(self, event_id: str) -> int:
        attempts = self.tables.attempts
        with self.db.transaction() as session:
            count = session.execute(
                select(attempts.c.attempts).where(attempts.c.event_id == event_id)
            ).scalar()
            if count is None:
                session.execute(attempts.insert().values(event_id=event_id, attempts=1))
                return 1
            session.execute(
                update(attempts)
                .where(attempts.c.event_id == event_id)
                .values(attempts=attempts.c.attempts + 1)
            )
            return count + 1

    def _settle(self, event_id: str, event_type: str, outcome: str) -> None:
        try:
            with self.db.transaction() as session:
                session.execute(
                    self.tables.inbox.insert().values(
                        event_id=event_id, type=event_type, outcome=outcome, handled_at=utcnow()
                    )
                )
        except IntegrityError:
            pass  # already settled by another delivery

    def consume(self, wire: dict[str, Any], *, first_delivery: bool = False) -> str:
        """Handle one delivered envelope; returns what happened (for logs and tests).

        ``first_delivery``: the broker hands this envelope over for the first time (not a
        retry, not redelivered after a worker died). Its attempt is then counted only if it
        fails, which spares the common case a write transaction of its own; a delivery that
        killed its worker is counted from its redelivery on, so an event that crashes every
        worker still gives up after ``MAX_ATTEMPTS + 1`` deliveries.

        Everything logged meanwhile carries the event's id, type and correlation id, and
        so do the events its handlers emit."""
        with (
            correlated(_wire_text(wire, "correlation_id")),
            log_context(
                service=self.service,
                event_id=_wire_text(wire, "id"),
                event_type=_wire_text(wire, "type"),
            ),
        ):
            outcome = self._consume(wire, first_delivery)
            event_type = _wire_text(wire, "type")
            spec = CATALOGUE.get(event_type or "")
            level = logging.DEBUG if spec is not None and spec.quiet else logging.INFO
            log.log(level, "event %s: %s", event_type, outcome, extra={"outcome": outcome})
            return outcome

    def _consume(self, wire: dict[str, Any], first_delivery: bool) -> str:
        try:
            env = _ENVELOPE.load(wire)
        except ma.ValidationError as exc:
            log.error("rejected malformed envelope: %s", sorted(exc.messages))
            return "rejected"
        event_id, event_type = str(env["id"]), env["type"]
        handlers = self.handlers.get(event_type, ())
        if event_type not in CATALOGUE or not handlers:
            self._settle(event_id, event_type, "ignored")
            return "ignored"
        if not first_delivery and self._record_attempt(event_id) > MAX_ATTEMPTS:
            log.error("event %s (%s) gave up after %d attempts", event_id, event_type, MAX_ATTEMPTS)
            self._settle(event_id, event_type, "dead")
            return "dead"
        try:
            return self._decode_and_apply(env, handlers)
        except Exception:
            if first_delivery:  # counted now, as a repeat delivery is counted before it runs
                self._count_failed_first_attempt(event_id)
            raise

    def _decode_and_apply(self, env: dict[str, Any], handlers: Sequence[Handler]) -> str:
        event_id, event_type = str(env["id"]), env["type"]
        try:
            with client_keys.reading_with(self._transported_key(env)):
                data = decode_payload(event_type, env["data"])
        except ClientKeyUnavailable:
            # the client's key is gone (erased) or never came: nothing here can be read
            log.warning("event %s (%s): its client values cannot be read", event_id, event_type)
            self._settle(event_id, event_type, "unreadable")
            return "unreadable"
        except ma.ValidationError as exc:
            log.error("rejected %s %s: bad payload %s", event_type, event_id, sorted(exc.messages))
            self._settle(event_id, event_type, "rejected")
            return "rejected"
        event = Event(
            id=event_id,
            type=event_type,
            version=env["version"],
            occurred_at=env["occurred_at"],
            foundation=env["foundation"],
            producer=env["producer"],
            subject=env["subject"],
            sequence=env["sequence"],
            correlation_id=env["correlation_id"],
            data=data,
        )
        for _ in range(3):
            try:
                return self._apply(event, handlers)
            except client_keys.ClientErased:
                # about a client erased here: nothing of it may be stored again
                self._settle(event_id, event_type, "erased")
                return "erased"
            except IntegrityError:
                # Another worker committed this event, or another event of the same
                # subject, first. Try again: the inbox check tells which it was.
                continue
        raise RuntimeError(f"event {event.id} kept conflicting")

    def _transported_key(self, env: dict[str, Any]) -> client_keys.ClientKey | None:
        """The client key the envelope carries for this service (its subject's, or that of
        the client named in ``key_of``): sealed to its transport key
        (``shared.transport_keys``), or, from a relay that knew no transport key of ours
        yet, wrapped under the data key."""
        store = self.db.key_store
        if store is None:
            return None
        client_id = key_owner(env)
        sealed = (env.get("client_keys") or {}).get(self.service)
        if sealed is not None:
            return store.transport.open_box(self.service, client_id, sealed)
        wrapped = env.get("client_key")
        return store.unwrap(client_id, wrapped) if wrapped else None

    def _count_failed_first_attempt(self, event_id: str) -> None:
        """A first delivery failed: count it now, as a repeat delivery is counted before."""
        try:
            self._record_attempt(event_id)
        except Exception:  # the database is what failed: this attempt goes uncounted
            log.warning("could not count the failed attempt of event %s", event_id)

    def _apply(self, event: Event, handlers: Sequence[Handler]) -> str:
        statements = self._statements
        subject = {"of_producer": event.producer, "of_subject": event.subject}
        with self.unit_of_work() as uow:
            uow.applies_delivered_event = True
            session = uow.session
            if session.execute(statements.seen, {"event_id": event.id}).first():
                return "duplicate"
            # one statement when the subject is known and the event newer, the usual case
            advance = {**subject, "new_sequence": event.sequence}
            advanced = rowcount(session.execute(statements.advance, advance))
            last = None
            if not advanced:
                last = session.execute(statements.last, subject).scalar()
                if last is not None and last < event.sequence:
                    # The subject's first event committed between the two statements (on
                    # PostgreSQL each sees what was committed when it began): move on from
                    # it, waiting for any other worker moving it on now.
                    advanced = rowcount(session.execute(statements.advance, advance))
            first = not advanced and last is None
            newer = bool(advanced) or first
            for handler in handlers:
                handler(uow, event, newer)
            if first:
                session.execute(
                    statements.first_version,
                    {
                        "producer": event.producer,
                        "subject": event.subject,
                        "sequence": event.sequence,
                    },
                )
            session.execute(
                statements.applied,
                {
                    "event_id": event.id,
                    "type": event.type,
                    "outcome": "applied",
                    "handled_at": utcnow(),
                },
            )
        return "applied" if newer else "applied-stale"


def _wire_text(wire: Any, key: str) -> str | None:
    """A short text field of an envelope not yet validated (for log context only)."""
    value = wire.get(key) if isinstance(wire, dict) else None
    return value if isinstance(value, str) and 0 < len(value) <= 64 else None
