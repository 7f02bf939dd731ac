"""The retention sweep (UU PDP art. 42–44): proposing erasure once a client's data has been
kept long enough.

Daily, for each foundation, every discharged client whose latest discharge is more than the
foundation's ``retention_years`` ago, not erased and without an open erasure request, gets
one: ``source: retention``, waiting for an admin to confirm it
(``POST /data-requests/{id}/confirm``). The sweep never erases anything itself, and a
second run proposes nothing twice. ``now`` is injected, so a test can move the clock.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, select

from services.intake.data_request_rules import add_years, retention_over
from services.intake.data_requests import new_request
from services.intake.foundations import local_today
from services.intake.models import AuditEntry, Client, DataRequest, Episode, Foundation
from shared.db import utcnow
from shared.runtime import ServiceRuntime
from shared.vocabulary import ClientStatus, DataRequestKind, DataRequestSource, DataRequestStatus

SWEEPER = "retention"  # who opened the requests, in ``opened_by`` and the audit log


def _due_clients(session, foundation: Foundation, today) -> list[Client]:
    """The foundation's discharged clients past retention, with no open erasure request."""
    open_erasure = exists().where(
        DataRequest.client_id == Client.id,
        DataRequest.kind == DataRequestKind.ERASURE,
        DataRequest.status == DataRequestStatus.OPEN,
    )
    # a coarse bound in SQL; the rule decides (a 29 February, a time zone's day)
    latest_discharge = add_years(today, -foundation.retention_years)
    rows = session.execute(
        select(Client, Episode.discharged_on)
        .join(Episode, Episode.id == Client.current_episode_id)
        .where(
            Client.foundation == foundation.slug,
            Client.status == ClientStatus.DISCHARGED,
            Client.erased_at.is_(None),
            Episode.discharged_on.is_not(None),
            Episode.discharged_on <= latest_discharge,
            ~open_erasure,
        )
        .order_by(Client.code)
    ).all()
    return [
        client
        for client, discharged_on in rows
        if retention_over(discharged_on, foundation.retention_years, today)
    ]


def sweep_retention(runtime: ServiceRuntime, now: datetime | None = None) -> int:
    """Propose the erasure of every client past retention; answers how many were proposed."""
    now = now or utcnow()
    with runtime.db.reading() as session:
        slugs = list(session.execute(select(Foundation.slug).order_by(Foundation.slug)).scalars())
    opened = 0
    for slug in slugs:  # one transaction per foundation: a big one holds no lock for all
        with runtime.unit_of_work() as uow:
            session = uow.session
            foundation = session.execute(
                select(Foundation).where(Foundation.slug == slug)
            ).scalar_one()
            for client in _due_clients(session, foundation, local_today(foundation, now)):
                request = new_request(
                    client, DataRequestKind.ERASURE, DataRequestSource.RETENTION, SWEEPER, now
                )
                session.add(request)
                session.add(
                    AuditEntry(
                        foundation=slug,
                        actor=SWEEPER,
                        role="system",
                        action="open",
                        resource_type="data_request",
                        resource_id=client.id,
                        detail=request.id,
                        at=now,
                    )
                )
                opened += 1
    return opened
