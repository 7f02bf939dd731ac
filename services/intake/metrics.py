"""Intake's own figures for ``GET /metrics``: data requests still owed past their 72 hours.

By kind, and how many foundations have one: like every figure here, none names a
foundation (``shared.metrics``); a foundation's admin sees its own with
``GET /data-requests?late=true``.
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.core import Metric
from sqlalchemy import func, select

from services.intake.data_request_views import overdue_clause
from services.intake.models import DataRequest
from shared.db import utcnow
from shared.metrics import gauge
from shared.runtime import ServiceRuntime
from shared.vocabulary import DataRequestKind, values


def data_request_metrics(runtime: ServiceRuntime) -> Iterator[Metric]:
    """Read at scrape time from the data requests (``ix_data_requests_foundation``)."""
    with runtime.db.reading() as session:  # a scrape never waits for a writer
        rows = session.execute(
            select(DataRequest.kind, DataRequest.foundation, func.count())
            .where(overdue_clause(utcnow()))
            .group_by(DataRequest.kind, DataRequest.foundation)
        ).all()
    service = runtime.name
    by_kind: dict[str, int] = {}
    for kind, _foundation, count in rows:
        by_kind[kind] = by_kind.get(kind, 0) + count
    overdue = gauge(
        "pendamping_data_requests_overdue",
        "Data requests (UU PDP) open past their 72 hours, by kind.",
        ["kind"],
    )
    for kind in sorted(set(values(DataRequestKind)) | set(by_kind)):
        overdue.add_metric([service, kind], by_kind.get(kind, 0))
    yield overdue
    foundations = gauge(
        "pendamping_data_requests_overdue_foundations",
        "Foundations with at least one data request open past its 72 hours.",
    )
    foundations.add_metric([service], len({foundation for _kind, foundation, _count in rows}))
    yield foundations
