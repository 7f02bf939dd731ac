"""A client's care summed up for intake (``care_summary.changed``), which reports it to a
compulsory referrer (a court, the police, BNN): attendance counts, the latest placement,
follow-up dates and outcomes. Counts, dates and outcomes only: no note, no answer, nothing
of the family. Emitted in the unit of work of every change it counts (attendance, a
cancelled session, a placement, a discharge, a follow-up's outcome), so intake's copy is
never older than a committed change.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.assessment.local_dates import zone_of
from services.assessment.models import (
    ClientView,
    CounsellingSession,
    Followup,
    Placement,
    SessionParticipant,
)
from shared.db import utcnow
from shared.events.unit_of_work import UnitOfWork
from shared.vocabulary import Attendance, SessionStatus


def care_summary(session: Session, view: ClientView) -> dict[str, Any]:
    """The summary of ``view``'s care as it stands (every episode's sessions)."""
    zone = zone_of(session, view.foundation)
    rows = session.execute(
        select(
            SessionParticipant.attendance,
            func.count(),
            func.max(CounsellingSession.starts_at),
        )
        .join(CounsellingSession, CounsellingSession.id == SessionParticipant.session_id)
        .where(
            SessionParticipant.client_id == view.id,
            SessionParticipant.attendance.is_not(None),
            CounsellingSession.status != SessionStatus.CANCELLED,
        )
        .group_by(SessionParticipant.attendance)
    ).all()
    counts = {status: count for status, count, _ in rows}
    last = next((latest for status, _, latest in rows if status == Attendance.ATTENDED), None)
    placement = session.execute(
        select(Placement)
        .where(Placement.client_id == view.id, Placement.foundation == view.foundation)
        .order_by(Placement.start_on.desc(), Placement.created_at.desc())
        .limit(1)
    ).scalar()
    followups = session.execute(
        select(Followup)
        .where(Followup.client_id == view.id, Followup.foundation == view.foundation)
        .order_by(Followup.due_on, Followup.id)
    ).scalars()
    return {
        "client_id": view.id,
        "attended": counts.get(Attendance.ATTENDED, 0),
        "absent": counts.get(Attendance.ABSENT, 0),
        "excused": counts.get(Attendance.EXCUSED, 0),
        "last_attended_on": last.astimezone(zone).date() if last else None,
        "placement": {
            "program_name": placement.program.name,
            "start_on": placement.start_on,
            "end_on": placement.end_on,
        }
        if placement
        else None,
        "followups": [
            {
                "due_on": f.due_on,
                "offset_days": f.offset_days,
                "outcome": f.outcome,
                "recorded_on": f.recorded_at.astimezone(zone).date() if f.recorded_at else None,
            }
            for f in followups
        ],
        "as_of": utcnow(),
    }


def publish_care_summary(uow: UnitOfWork, client_id: str) -> None:
    """Emit the client's care summary in this unit of work (after its change is flushed).
    Its subject is ``care:<client id>``: a sequence of its own, so a summary handled
    before the client's placement or discharge never makes those look stale to intake.
    Nothing for a client whose data was erased: intake said its last word about them."""
    uow.session.flush()
    view = uow.session.get(ClientView, client_id)
    if view is None or view.erased_at is not None:
        return
    uow.emit(
        "care_summary.changed",
        subject=f"care:{view.id}",
        foundation=view.foundation,
        data=care_summary(uow.session, view),
    )
