"""Prometheus metrics: ``GET /metrics`` on every API, for operators only.

Two kinds of figures, each counted where it stays true however many processes run:

- What an API process sees: requests by route template, method and status, and their
  latency. Under gunicorn with several workers they are kept in ``PROMETHEUS_MULTIPROC_DIR``
  (``ops/gunicorn_conf.py`` prepares it), so a scrape answers the sum of every worker.
- What the service's database and Redis say at scrape time: the outbox backlog and the age
  of its oldest unpublished event, events published and consumed by type (and outcome),
  the depth of the service's queue, and what the service adds (notifications: messages by
  status, messages due, the age of intake's consent heartbeat). Workers and relays write
  these rows, so no counter has to cross a process; published outbox rows are kept 7 days
  and inbox rows 30 (``shared/events/retention.py``), so those two are gauges over that
  window, not counters.

Access: ``Authorization: Bearer <PENDAMPING_METRICS_TOKEN>`` (the scrape token: it reads
metrics and nothing else) or an operator's token; anyone else gets 401 or 403. No figure
names a foundation, a client or a person.
"""

from __future__ import annotations

import hmac
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

import redis
from flask import Flask, Response, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client import generate_latest as exposition
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from shared.auth import current_caller
from shared.db import utcnow
from shared.events.catalogue import CATALOGUE
from shared.problems import Forbidden
from shared.settings import ConfigurationError

if TYPE_CHECKING:
    from shared.runtime import ServiceRuntime

log = logging.getLogger(__name__)

ENDPOINT = "metrics"
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
TOKEN_ENV = "PENDAMPING_METRICS_TOKEN"
MIN_TOKEN_LENGTH = 16
CONSUMED_OUTCOMES = ("applied", "ignored", "rejected", "dead")
# kombu's Redis transport keeps priorities 3, 6 and 9 in lists of their own
_PRIORITY_SUFFIXES = ("", "\x06\x163", "\x06\x166", "\x06\x169")

MetricSource = Callable[["ServiceRuntime"], Iterable[Metric]]


def gauge(name: str, documentation: str, labels: Iterable[str] = ()) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, labels=["service", *labels])


class ServiceState:
    """A collector of the figures read from the service's database and Redis per scrape.

    A dependency that does not answer leaves its figures out and reports
    ``pendamping_dependency_up 0``; a scrape never fails for it."""

    def __init__(self, runtime: ServiceRuntime, sources: Iterable[MetricSource] = ()):
        self.runtime = runtime
        self.sources = list(sources)

    def collect(self) -> Iterator[Metric]:
        service = self.runtime.name
        up = gauge(
            "pendamping_dependency_up",
            "Whether the service reached the dependency during this scrape (1) or not (0).",
            ["dependency"],
        )
        for dependency, read in (("database", self._database), ("broker", self._broker)):
            try:
                figures = list(read())
            except Exception as exc:  # reported as down; the scrape itself succeeds
                log.warning("metrics: %s unreachable (%s)", dependency, type(exc).__name__)
                figures = []
                up.add_metric([service, dependency], 0)
            else:
                up.add_metric([service, dependency], 1)
            yield from figures
        yield up

    def _database(self) -> Iterator[Metric]:
        service, tables, now = self.runtime.name, self.runtime.tables, utcnow()
        outbox, inbox = tables.outbox, tables.inbox
        with self.runtime.db.reading() as session:  # a scrape never waits for a writer
            pending, oldest = session.execute(
                select(func.count(), func.min(outbox.c.created_at)).where(
                    outbox.c.published_at.is_(None)
                )
            ).one()
            published: dict[str, int] = dict(
                session.execute(
                    select(outbox.c.type, func.count())
                    .where(outbox.c.published_at.is_not(None))
                    .group_by(outbox.c.type)
                ).all()
            )
            consumed = session.execute(
                select(inbox.c.type, inbox.c.outcome, func.count()).group_by(
                    inbox.c.type, inbox.c.outcome
                )
            ).all()
        backlog = gauge(
            "pendamping_outbox_backlog", "Events written to the outbox and not yet published."
        )
        backlog.add_metric([service], pending)
        yield backlog
        age = gauge(
            "pendamping_outbox_oldest_unpublished_seconds",
            "Age of the oldest event not yet published (0 when none is waiting).",
        )
        age.add_metric([service], (now - oldest).total_seconds() if oldest else 0.0)
        yield age

        produced = gauge(
            "pendamping_events_published",
            "Events this service published, by type, over the outbox's retention (7 days).",
            ["type"],
        )
        for event_type in _types(published, lambda spec: spec.producer == service):
            produced.add_metric([service, event_type], published.get(event_type, 0))
        yield produced

        counts: dict[tuple[str, str], int] = {}
        for event_type, outcome, count in consumed:
            key = (event_type if event_type in CATALOGUE else "unknown", outcome)
            counts[key] = counts.get(key, 0) + count
        handled = gauge(
            "pendamping_events_consumed",
            "Events this service handled, by type and outcome (applied, ignored, rejected, "
            "dead), over the inbox's retention (30 days).",
            ["type", "outcome"],
        )
        subscribed = _types({}, lambda spec: service in spec.subscribers)
        for key in sorted({(t, o) for t in subscribed for o in CONSUMED_OUTCOMES} | set(counts)):
            handled.add_metric([service, *key], counts.get(key, 0))
        yield handled

        for source in self.sources:
            yield from source(self.runtime)

    def _broker(self) -> Iterator[Metric]:
        queue = self.runtime.name
        client = redis.Redis.from_url(
            self.runtime.settings.redis_url, socket_connect_timeout=1, socket_timeout=2
        )
        try:
            with client.pipeline(transaction=False) as pipe:
                for suffix in _PRIORITY_SUFFIXES:
                    pipe.llen(queue + suffix)
                depth = sum(pipe.execute())
        finally:
            client.close()
        waiting = gauge(
            "pendamping_queue_depth",
            "Tasks waiting in the service's Redis queue (not yet taken by a worker).",
            ["queue"],
        )
        waiting.add_metric([self.runtime.name, queue], depth)
        yield waiting


def _types(seen: dict, selected: Callable) -> list[str]:
    """Catalogue types chosen by ``selected``, plus any type already counted."""
    return sorted({name for name, spec in CATALOGUE.items() if selected(spec)} | set(seen))


class ServiceMetrics:
    """A web service's request metrics and its scrape-time figures (``state``)."""

    def __init__(self, service: str, state: Collector):
        self.service = service
        self.registry = CollectorRegistry(auto_describe=False)
        self.requests = Counter(
            "pendamping_http_requests",
            "HTTP requests answered, by route template, method and status.",
            ["service", "endpoint", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "pendamping_http_request_duration_seconds",
            "Time taken to answer an HTTP request, by route template and method.",
            ["service", "endpoint", "method"],
            registry=self.registry,
        )
        self.state = state

    def observe(self, endpoint: str, method: str, status: int, seconds: float) -> None:
        self.requests.labels(self.service, endpoint, method, str(status)).inc()
        self.latency.labels(self.service, endpoint, method).observe(seconds)

    def render(self) -> bytes:
        """The exposition: every worker's request figures, then the scrape-time ones."""
        registry = CollectorRegistry(auto_describe=False)
        if os.environ.get(MULTIPROC_ENV):
            MultiProcessCollector(registry)
        else:
            registry.register(_Forward(self.registry))
        registry.register(self.state)
        return exposition(registry)


class _Forward:
    """Collects what another registry holds (this process's request metrics)."""

    def __init__(self, registry: CollectorRegistry):
        self.registry = registry

    def collect(self) -> Iterator[Metric]:
        yield from self.registry.collect()


def metrics_token(app: Flask) -> str:
    """The scrape token (``PENDAMPING_METRICS_TOKEN``), or "" when only operators may read."""
    token = str(app.config.get("METRICS_TOKEN", os.environ.get(TOKEN_ENV, "")) or "")
    if token and len(token) < MIN_TOKEN_LENGTH:
        raise ConfigurationError(f"{TOKEN_ENV} must be at least {MIN_TOKEN_LENGTH} characters")
    return token


def scrape_token_presented(app: Flask) -> bool:
    """Whether this request is a ``/metrics`` scrape carrying the scrape token."""
    token = app.config.get("METRICS_TOKEN")
    if request.endpoint != ENDPOINT or not token:
        return False
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        presented.strip().encode(), token.encode()
    )


def observe_requests(app: Flask, service: str, state: Collector) -> ServiceMetrics:
    """Count and time every answered request of ``app`` by route template (requests that
    set ``g.request_started``); the figures are the app's ``extensions["metrics"]``."""
    app.config["METRICS_TOKEN"] = metrics_token(app)
    metrics = ServiceMetrics(service, state)
    app.extensions["metrics"] = metrics

    @app.after_request
    def _observe(response):
        started = g.get("request_started")
        if started is not None:
            # The route template, never the path: a path may carry anything a caller typed.
            endpoint = request.url_rule.rule if request.url_rule is not None else "unmatched"
            method = request.method if request.url_rule is not None else "other"
            metrics.observe(endpoint, method, response.status_code, time.perf_counter() - started)
        return response

    return metrics


def register_metrics(
    app: Flask, runtime: ServiceRuntime, sources: Iterable[MetricSource] = ()
) -> None:
    """``GET /metrics``, and every answered request counted and timed by route template."""
    metrics = observe_requests(app, runtime.name, ServiceState(runtime, sources))

    def scrape():
        """Prometheus metrics (the scrape token or an operator's token)."""
        if not g.get("scraper") and current_caller().role != "operator":
            raise Forbidden(code="metrics_forbidden")
        return Response(metrics.render(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    app.add_url_rule("/metrics", ENDPOINT, scrape, methods=["GET"])
