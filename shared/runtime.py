"""``bootstrap``: the one place a service's dependencies are built and wired together.

A service's ``create_app`` calls it with its metadata and event handlers; tests call it with
their own settings. What it returns is everything an entry point (HTTP route, Celery task)
needs: the database, a unit of work that emits through the outbox, the relay and consumer.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from celery import Celery, signals
from sqlalchemy import MetaData

from shared import crypto, transport_keys
from shared.celery_app import make_celery
from shared.client_keys import KeyStore
from shared.db import Database, utcnow
from shared.events.inbox import MAX_ATTEMPTS, EventConsumer, Handler
from shared.events.outbox import OutboxRelay, task_name
from shared.events.publisher import BackgroundPublisher, InlinePublisher
from shared.events.retention import prune_events
from shared.events.tables import EventTables
from shared.events.unit_of_work import UnitOfWork
from shared.index_check import check_index_key
from shared.settings import Settings, load_settings

log = logging.getLogger(__name__)


@dataclass
class ServiceRuntime:
    name: str
    settings: Settings
    db: Database
    tables: EventTables
    celery: Celery
    relay: OutboxRelay
    publisher: BackgroundPublisher | InlinePublisher
    consumer: EventConsumer = field(init=False)

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.name, self.db, self.tables, self.publisher, runtime=self)


def bootstrap(
    name: str,
    metadata: MetaData,
    tables: EventTables,
    handlers: Mapping[str, Sequence[Handler]],
    settings: Settings | None = None,
) -> ServiceRuntime:
    settings = settings or load_settings(service=name)
    cipher = crypto.configure(settings.data_keys, settings.index_key)
    db = Database(settings.database_url(name))
    key_store = KeyStore(Database(settings.keys_database_url(name)), cipher)
    if key_store.db.is_sqlite:  # PostgreSQL's is made by `pendamping migrate`
        key_store.ensure_schema()
    db.attach_key_store(key_store)
    if "key_checks" in metadata.tables:  # a service that stores blind indexes
        check_index_key(db, metadata.tables["key_checks"], cipher, name)
    celery = make_celery(name, settings.redis_url)
    relay = OutboxRelay(db, tables, celery, key_store)
    publisher = BackgroundPublisher(relay)
    runtime = ServiceRuntime(name, settings, db, tables, celery, relay, publisher)
    runtime.consumer = EventConsumer(name, db, tables, handlers, runtime.unit_of_work)
    _register_event_tasks(runtime)
    return runtime


def in_worker(runtime: ServiceRuntime) -> ServiceRuntime:
    """``runtime`` as a Celery worker process runs it: a task's commits publish their events
    on the task's own thread (:class:`InlinePublisher`) instead of handing them to a thread
    as a web request does. Each service's ``worker`` module calls it."""
    publisher = InlinePublisher(runtime.relay)
    runtime.publisher = publisher

    def mark_what_went_out(**_: object) -> None:  # else the relay sends it again, harmlessly
        publisher.flush()

    # the worker's own process (solo and threads pools) and each prefork child
    signals.worker_shutdown.connect(mark_what_went_out, weak=False)
    signals.worker_process_shutdown.connect(mark_what_went_out, weak=False)
    return runtime


def first_delivery(request) -> bool:
    """Whether a task runs on its message's first delivery: not a retry, and not handed out
    again after the worker that held it died (the broker marks such messages)."""
    delivery = request.delivery_info or {}
    return not request.retries and not delivery.get("redelivered")


def _register_event_tasks(runtime: ServiceRuntime) -> None:
    celery, name = runtime.celery, runtime.name

    @celery.task(name=task_name(name), bind=True, max_retries=MAX_ATTEMPTS, shared=False)
    def handle_event(self, envelope: dict) -> str:
        """Consume one event from this service's queue (idempotent: see the inbox)."""
        try:
            return runtime.consumer.consume(envelope, first_delivery=first_delivery(self.request))
        except Exception as exc:
            # A transient fault (database busy or down). The envelope's attempt counter
            # bounds how often this comes back; the short countdown keeps it in memory only
            # for seconds.
            log.warning("event handling failed (%s); retrying", type(exc).__name__)
            raise self.retry(exc=exc, countdown=min(2**self.request.retries, 10)) from exc

    @celery.task(name=f"{name}.relay_outbox", ignore_result=True, shared=False)
    def relay_outbox() -> int:
        """Republish events the after-commit publisher could not send."""
        return runtime.relay.relay_pending()

    @celery.task(name=f"{name}.rotate_transport_key", ignore_result=True, shared=False)
    def rotate_transport_key() -> int:
        """Make the day's transport key, publish it, destroy the week-old ones."""
        return transport_keys.rotate(runtime, utcnow())

    @celery.task(name=f"{name}.prune_events", ignore_result=True, shared=False)
    def prune() -> int:
        """Forget event bookkeeping that no redelivery can need any more."""
        return prune_events(runtime.db, runtime.tables, utcnow())
