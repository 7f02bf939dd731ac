"""Outreach: a case worker reaching out to a client the early warning (or their own worry)
points at, by phone, visit, message or through the family, and what came of it.

Recording outreach never discharges anyone and never changes the client's status, whatever
its outcome: a client who ``returned`` is still admitted, placed or discharged as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from services.assessment.lookup import client_in_path, client_to_change
from services.assessment.models import Outreach
from shared.auth import Caller, foundation_of
from shared.events.unit_of_work import UnitOfWork
from shared.vocabulary import OutreachOutcome

#: The outcomes that show the client was met again (what an early-warning flag shows).
CONTACT_MADE = (OutreachOutcome.REACHED, OutreachOutcome.RETURNED)


def record_outreach(
    uow: UnitOfWork, caller: Caller, client_id: str, data: dict[str, Any]
) -> Outreach:
    """Record an outreach to a client of the caller's foundation (404 for any other), in
    the client's current episode."""
    foundation = foundation_of(caller)
    view = client_to_change(uow.session, foundation, client_id)
    outreach = Outreach(
        foundation=view.foundation,
        client_id=view.id,
        episode_id=view.episode_id,
        method=data["method"],
        outcome=data["outcome"],
        notes=data.get("notes"),
        recorded_by=caller.sub,
    )
    uow.session.add(outreach)
    uow.session.flush()
    return outreach


def outreach_query(session: Session, foundation: str, client_id: str) -> Select:
    """The client's outreach, newest first (404 for a client this foundation does not have)."""
    view = client_in_path(session, foundation, client_id)
    return (
        select(Outreach)
        .where(Outreach.foundation == view.foundation, Outreach.client_id == view.id)
        .order_by(Outreach.recorded_at.desc(), Outreach.id.desc())
    )


def latest_outreach(
    session: Session,
    foundation: str,
    client_id: str,
    since: datetime,
    outcomes: Iterable[str] = CONTACT_MADE,
) -> Outreach | None:
    """The client's latest outreach recorded at or after ``since`` with one of ``outcomes``
    (by default: the client was reached or returned), or None."""
    return session.execute(
        select(Outreach)
        .where(
            Outreach.foundation == foundation,
            Outreach.client_id == client_id,
            Outreach.recorded_at >= since,
            Outreach.outcome.in_([str(o) for o in outcomes]),
        )
        .order_by(Outreach.recorded_at.desc(), Outreach.id.desc())
        .limit(1)
    ).scalar()
