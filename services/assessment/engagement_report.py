"""The engagement report: the facts of the episodes admitted in a period, measured by
:mod:`.engagement`, and the case workers' caseloads beside the norm (:mod:`.staffing_norm`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict
from datetime import date
from typing import Any, cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.assessment.engagement import EpisodeFacts, Milestones, milestones, tally, tally_by
from services.assessment.local_dates import local_today, zone_of
from services.assessment.models import (
    ClientView,
    CounsellingSession,
    EpisodeRecord,
    Placement,
    SessionParticipant,
    StaffView,
)
from services.assessment.staffing_norm import CASELOAD_NORM, caseloads
from shared.vocabulary import Attendance, ClientStatus, SessionStatus

#: The group of clients never placed in the episode.
UNPLACED = "none"


def _attended_days(
    session: Session, foundation: str, client_ids: set[str]
) -> dict[str, list[date]]:
    """Each client's attended sessions (not cancelled), as days of the foundation's calendar."""
    zone = zone_of(session, foundation)
    rows = session.execute(
        select(SessionParticipant.client_id, CounsellingSession.starts_at)
        .join(CounsellingSession, CounsellingSession.id == SessionParticipant.session_id)
        .where(
            CounsellingSession.foundation == foundation,
            CounsellingSession.status != SessionStatus.CANCELLED,
            SessionParticipant.client_id.in_(sorted(client_ids)),
            SessionParticipant.attendance == Attendance.ATTENDED,
        )
    )
    days: dict[str, list[date]] = defaultdict(list)
    for client_id, starts_at in rows:
        days[client_id].append(starts_at.astimezone(zone).date())
    return days


def _programs_of(session: Session, episode_ids: set[str]) -> dict[str, tuple[str, str]]:
    """The programme (id, name) each episode's client was first placed in."""
    placements = session.execute(
        select(Placement)
        .where(Placement.episode_id.in_(sorted(episode_ids)))
        .order_by(Placement.start_on)
    ).scalars()
    programs: dict[str, tuple[str, str]] = {}
    for placement in placements:
        programs.setdefault(
            placement.episode_id or "", (placement.program_id, placement.program.name)
        )
    return programs


def _caseloads(session: Session, foundation: str) -> list[dict[str, Any]]:
    workers = session.execute(
        select(StaffView.id, StaffView.role).where(
            StaffView.foundation == foundation,
            StaffView.active.is_(True),
            StaffView.role.in_(list(CASELOAD_NORM)),
        )
    ).all()
    clients_of = dict(
        session.execute(
            select(ClientView.case_worker_id, func.count())
            .where(
                ClientView.foundation == foundation,
                ClientView.status.in_((ClientStatus.ADMITTED, ClientStatus.PLACED)),
                ClientView.case_worker_id.is_not(None),
            )
            .group_by(ClientView.case_worker_id)
        ).all()
    )
    return [
        asdict(row)
        for row in caseloads([(w.id, w.role) for w in workers], cast(dict[str, int], clients_of))
    ]


def engagement(session: Session, foundation: str, start: date, end: date) -> dict[str, Any]:
    """Started, engaged and retained 90 days among the episodes admitted from ``start`` to
    ``end`` (days of the foundation's calendar), overall, by programme and by case worker;
    and every active case worker's caseload beside the norm."""
    today = local_today(session, foundation)
    episodes = (
        session.execute(
            select(EpisodeRecord).where(
                EpisodeRecord.foundation == foundation,
                EpisodeRecord.admitted_on >= start,
                EpisodeRecord.admitted_on <= end,
            )
        )
        .scalars()
        .all()
    )
    client_ids = {e.client_id for e in episodes}
    case_worker_of = dict(
        session.execute(
            select(ClientView.id, ClientView.case_worker_id).where(
                ClientView.foundation == foundation, ClientView.id.in_(sorted(client_ids))
            )
        ).all()
    )
    attended = _attended_days(session, foundation, client_ids)
    programs = _programs_of(session, {e.id for e in episodes})
    measured: list[tuple[str, Milestones]] = [
        (
            e.id,
            milestones(
                EpisodeFacts(e.admitted_on, tuple(attended.get(e.client_id, ())), e.discharged_on),
                today,
            ),
        )
        for e in episodes
    ]
    client_of = {e.id: e.client_id for e in episodes}
    by_program = tally_by((programs.get(eid, (None, UNPLACED)), m) for eid, m in measured)
    by_worker = tally_by((case_worker_of.get(client_of[eid]), m) for eid, m in measured)
    return {
        "from_": start,
        "to": end,
        "as_of": today,
        "overall": asdict(tally(m for _, m in measured)),
        "by_program": [
            {"program_id": pid, "program": name, **asdict(t)}
            for (pid, name), t in sorted(
                by_program.items(), key=lambda kv: (kv[0][0] is None, kv[0][1], kv[0][0] or "")
            )
        ],
        "by_case_worker": [
            {"case_worker_id": worker, **asdict(t)}
            for worker, t in sorted(by_worker.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))
        ],
        "caseloads": _caseloads(session, foundation),
    }
