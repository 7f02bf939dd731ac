"""A transferred client's assessment and plan, written at the foundation that accepted them.

When another foundation of this deployment accepts a referral that shares ``assessment`` or
``plan`` (``referral.changed`` naming ``received_client_id``), assessment writes a summary
document on the client it registered there, from the sending foundation's records: the
latest completed assessment's level, dimensions, strengths and limitations (not its notes
or family background), and the plan's goals with their target dates and status. Nothing
else crosses: no notes, sessions, follow-ups or outreach. Written once per referral.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.assessment.assessments import findings_of
from services.assessment.data_rights import ForeignClient, check_owner
from services.assessment.models import Assessment, Goal, TransferSummary
from shared.db import utcnow
from shared.events import Event
from shared.events.unit_of_work import UnitOfWork
from shared.vocabulary import AssessmentStatus, ReferralShare

log = logging.getLogger(__name__)


def _assessment(session: Session, foundation: str, client_id: str) -> dict[str, Any] | None:
    latest = session.execute(
        select(Assessment)
        .where(
            Assessment.foundation == foundation,
            Assessment.client_id == client_id,
            Assessment.status == AssessmentStatus.COMPLETED,
        )
        .order_by(Assessment.completed_at.desc())
        .limit(1)
    ).scalar()
    if latest is None:
        return None
    findings = findings_of(latest)
    return {
        "level": latest.level,
        "recommended_level": latest.recommended_level,
        "dimensions": findings.get("dimensions") or {},
        "strengths": findings.get("strengths") or [],
        "limitations": findings.get("limitations") or [],
        "completed_on": latest.completed_at.date().isoformat() if latest.completed_at else None,
    }


def _plan(session: Session, foundation: str, client_id: str) -> list[dict[str, Any]]:
    goals = session.execute(
        select(Goal)
        .where(Goal.foundation == foundation, Goal.client_id == client_id)
        .order_by(Goal.created_at, Goal.id)
    ).scalars()
    return [
        {
            "text": goal.text,
            "target_date": goal.target_date.isoformat() if goal.target_date else None,
            "status": goal.status,
        }
        for goal in goals
    ]


def summary_of(
    session: Session, foundation: str, client_id: str, shares: set[str]
) -> dict[str, Any]:
    """What the sending foundation's records say, of the parts shared."""
    summary: dict[str, Any] = {}
    if ReferralShare.ASSESSMENT in shares:
        summary["assessment"] = _assessment(session, foundation, client_id)
    if ReferralShare.PLAN in shares:
        summary["plan"] = _plan(session, foundation, client_id)
    return summary


def write_transfer_summary(uow: UnitOfWork, event: Event, newer: bool) -> None:
    """``referral.changed`` of an accepted transfer sharing the assessment or the plan:
    the summary on the receiving foundation's client, once (whatever ``newer`` says: a
    later change of the referral does not undo what crossed on acceptance)."""
    data = event.data
    receiving, received = data.get("to_foundation"), data.get("received_client_id")
    shares = set(data["share"]) & {ReferralShare.ASSESSMENT, ReferralShare.PLAN}
    if not receiving or not received or not shares:
        return
    session = uow.session
    if session.get(TransferSummary, data["referral_id"]) is not None:
        return
    try:
        check_owner(session, event.foundation, data["client_id"])
    except ForeignClient:
        log.error("event %s names a client of another foundation; ignored", event.id)
        return
    content = summary_of(session, str(event.foundation), data["client_id"], shares)
    session.add(
        TransferSummary(
            referral_id=data["referral_id"],
            foundation=receiving,
            client_id=received,
            from_foundation=str(event.foundation),
            content=json.dumps(content),
            received_at=utcnow(),
        )
    )


def transfer_summaries(session: Session, foundation: str, client_id: str) -> list[dict[str, Any]]:
    """The summaries written on the foundation's client (newest first)."""
    found = session.execute(
        select(TransferSummary)
        .where(TransferSummary.foundation == foundation, TransferSummary.client_id == client_id)
        .order_by(TransferSummary.received_at.desc())
    ).scalars()
    return [
        {
            "referral_id": s.referral_id,
            "from_foundation": s.from_foundation,
            "received_at": s.received_at,
            **json.loads(s.content or "{}"),
        }
        for s in found
    ]
