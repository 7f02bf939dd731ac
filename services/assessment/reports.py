"""The figures foundations report: caseload, obstacles met, outcomes after discharge."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.assessment.capacity import available
from services.assessment.discharge import FOLLOWUP_OFFSETS_DAYS
from services.assessment.local_dates import day_bounds, local_today, zone_of
from services.assessment.models import (
    Assessment,
    ClientView,
    EpisodeRecord,
    Followup,
    Note,
    Program,
)
from services.assessment.notes import obstacles_of
from shared.db import utcnow
from shared.vocabulary import (
    AssessmentStatus,
    ClientStatus,
    DischargeReason,
    FollowupOutcome,
    Obstacle,
)

#: Outcomes of a follow-up that reached the client (``lost_contact`` did not).
REACHED = frozenset({FollowupOutcome.ABSTINENT, FollowupOutcome.RELAPSED, FollowupOutcome.OTHER})
#: The statuses of a client in care.
IN_CARE = (ClientStatus.ADMITTED, ClientStatus.PLACED)


def caseload(session: Session, foundation: str) -> dict[str, Any]:
    """Clients in care per case worker, overdue assessments, and programme occupancy."""
    now = utcnow()
    clients = (
        session.execute(
            select(ClientView).where(
                ClientView.foundation == foundation, ClientView.status.in_(IN_CARE)
            )
        )
        .scalars()
        .all()
    )
    overdue = set(
        session.execute(
            select(Assessment.client_id).where(
                Assessment.foundation == foundation,
                Assessment.status == AssessmentStatus.DUE,
                Assessment.due_at < now,
            )
        ).scalars()
    )
    per_worker: dict[str | None, Counter] = defaultdict(Counter)
    for client in clients:
        counts = per_worker[client.case_worker_id]
        counts[client.status] += 1
        counts["overdue_assessments"] += client.id in overdue
    programs = session.execute(
        select(Program).where(Program.foundation == foundation).order_by(Program.name)
    ).scalars()
    return {
        "case_workers": [
            {
                "case_worker_id": worker,
                "admitted": counts[ClientStatus.ADMITTED],
                "placed": counts[ClientStatus.PLACED],
                "total": counts[ClientStatus.ADMITTED] + counts[ClientStatus.PLACED],
                "overdue_assessments": counts["overdue_assessments"],
            }
            for worker, counts in sorted(per_worker.items(), key=lambda kv: kv[0] or "")
        ],
        "programs": [
            {
                "id": p.id,
                "name": p.name,
                "capacity": p.capacity,
                "occupied": p.occupied,
                "available": available(p.occupied, p.capacity),
            }
            for p in programs
        ],
    }


def obstacles(session: Session, foundation: str, start: date, end: date) -> dict[str, Any]:
    """How often each obstacle was met in notes of the period, overall and per programme."""
    low, high = day_bounds(zone_of(session, foundation), start, end)
    notes = session.execute(
        select(Note).where(
            Note.foundation == foundation, Note.recorded_at >= low, Note.recorded_at < high
        )
    ).scalars()
    names: dict[str | None, str] = dict(
        session.execute(
            select(Program.id, Program.name).where(Program.foundation == foundation)
        ).all()
    )
    overall: Counter = Counter({o.value: 0 for o in Obstacle})
    by_program: dict[str, Counter] = defaultdict(Counter)
    for note in notes:
        for obstacle in obstacles_of(note):
            overall[obstacle] += 1
            by_program[names.get(note.program_id, "no programme")][obstacle] += 1
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "by_obstacle": dict(overall),
        "by_program": [
            {"program": name, "counts": dict(c)} for name, c in sorted(by_program.items())
        ],
    }


def outcomes(session: Session, foundation: str) -> dict[str, Any]:
    """Completion rate of discharges, and at each follow-up due by today (the foundation's
    calendar): reach and the share abstinent."""
    today = local_today(session, foundation)
    reasons = Counter(
        session.execute(
            select(EpisodeRecord.discharge_reason).where(
                EpisodeRecord.foundation == foundation,
                EpisodeRecord.status == ClientStatus.DISCHARGED,
            )
        ).scalars()
    )
    discharged = sum(reasons.values())
    followups = (
        session.execute(
            select(Followup).where(Followup.foundation == foundation, Followup.due_on <= today)
        )
        .scalars()
        .all()
    )
    stages = []
    for days in FOLLOWUP_OFFSETS_DAYS:
        due = [f for f in followups if f.offset_days == days]
        reached = [f for f in due if f.outcome in REACHED]
        abstinent = [f for f in reached if f.outcome == FollowupOutcome.ABSTINENT]
        stages.append(
            {
                "offset_days": days,
                "due": len(due),
                "recorded": sum(1 for f in due if f.outcome is not None),
                "reached": len(reached),
                "reach_rate": round(len(reached) / len(due), 3) if due else None,
                "abstinent": len(abstinent),
                "abstinent_share": round(len(abstinent) / len(reached), 3) if reached else None,
            }
        )
    return {
        "discharged": discharged,
        "by_reason": dict(reasons),
        "completion_rate": round(reasons.get(DischargeReason.COMPLETED, 0) / discharged, 3)
        if discharged
        else None,
        "followups": stages,
    }
