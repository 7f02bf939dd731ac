"""A client's rights over what assessment holds (UU PDP 27/2022): a copy of all of it
(:func:`export_part`, an access request) and its erasure (:func:`erase_client`).

Erasure empties every personal value of the client (note texts, assessment findings and
override reasons, goal texts, follow-up and outreach notes, the summary another foundation
shared on a transfer, and the title and place of a session nobody else took part in) and
keeps what reports need without identity: ids, dates, kinds, attendance, outcomes, levels.
The early warning's flag goes: it is a judgement about the person (a crisis, the days they
stayed away), no report counts it, and an erased client warns of nothing. It writes with
plain SQL statements, which need no client key: it still works after the key is destroyed
(a retried request, ``client.erased``), and runs again harmlessly.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, delete, select, update
from sqlalchemy.orm import Session

from services.assessment.models import (
    Assessment,
    ClientView,
    CounsellingSession,
    EpisodeRecord,
    Followup,
    Goal,
    Note,
    Outreach,
    Placement,
    RiskFlag,
    SessionFamilyRsvp,
    SessionParticipant,
    TransferSummary,
)
from shared.db import rowcount, utcnow

#: Per table, the personal columns erasure empties: NULL where the column allows it, else "".
ERASED_COLUMNS: dict[type, dict[str, str | None]] = {
    Assessment: {"findings": None, "override_reason": None},
    Goal: {"text": ""},
    Note: {"text": ""},
    Followup: {"notes": None},
    Outreach: {"notes": None},
    TransferSummary: {"content": "{}"},
    # the title and place of a session only this client took part in (a group's stay)
    CounsellingSession: {"title": None, "location": None},
}


class ForeignClient(Exception):
    """The client belongs to another foundation here: its data is none of this request's."""


def check_owner(session: Session, foundation: str | None, client_id: str) -> None:
    """Raise :class:`ForeignClient` when assessment knows ``client_id`` under another
    foundation (a client it does not know at all has nothing here, and is answered so)."""
    view = session.get(ClientView, client_id)
    if view is not None and view.foundation != foundation:
        raise ForeignClient(client_id)


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _rows(session: Session, model: type[Any], foundation: str, client_id: str, order) -> list:
    stmt = select(model).where(model.foundation == foundation, model.client_id == client_id)
    return list(session.execute(stmt.order_by(*order)).scalars())


def export_part(session: Session, foundation: str, client_id: str) -> dict[str, Any]:
    """Everything assessment holds about the client, decrypted, as JSON-ready values."""
    view = session.get(ClientView, client_id)
    if view is not None and view.foundation != foundation:
        view = None
    return {
        "client": _client(view),
        "episodes": [
            {
                "id": e.id,
                "admitted_on": _iso(e.admitted_on),
                "status": e.status,
                "discharged_on": _iso(e.discharged_on),
                "discharge_reason": e.discharge_reason,
            }
            for e in _rows(
                session, EpisodeRecord, foundation, client_id, [EpisodeRecord.admitted_on]
            )
        ],
        "assessments": [
            {
                "id": a.id,
                "episode_id": a.episode_id,
                "sequence_no": a.sequence_no,
                "status": a.status,
                "due_at": _iso(a.due_at),
                "completed_at": _iso(a.completed_at),
                "completed_by": a.completed_by,
                "recommended_level": a.recommended_level,
                "level": a.level,
                "level_override": a.level_override,
                "override_reason": a.override_reason or None,
                "findings": json.loads(a.findings) if a.findings else None,
            }
            for a in _rows(session, Assessment, foundation, client_id, [Assessment.created_at])
        ],
        "goals": [
            {
                "id": g.id,
                "episode_id": g.episode_id,
                "text": g.text,
                "target_date": _iso(g.target_date),
                "status": g.status,
                "created_by": g.created_by,
                "created_at": _iso(g.created_at),
                "updated_at": _iso(g.updated_at),
            }
            for g in _rows(session, Goal, foundation, client_id, [Goal.created_at])
        ],
        "placements": _placements(session, foundation, client_id),
        "sessions": _sessions(session, foundation, client_id),
        "notes": [
            {
                "id": n.id,
                "episode_id": n.episode_id,
                "program_id": n.program_id,
                "kind": n.kind,
                "text": n.text,
                "obstacles": [o for o in n.obstacles.split(",") if o],
                "recorded_by": n.recorded_by,
                "recorded_at": _iso(n.recorded_at),
            }
            for n in _rows(session, Note, foundation, client_id, [Note.recorded_at])
        ],
        "followups": [
            {
                "id": f.id,
                "episode_id": f.episode_id,
                "offset_days": f.offset_days,
                "due_on": _iso(f.due_on),
                "outcome": f.outcome,
                "notes": f.notes or None,
                "recorded_by": f.recorded_by,
                "recorded_at": _iso(f.recorded_at),
                "family_checkin": f.family_checkin,
                "family_checkin_at": _iso(f.family_checkin_at),
            }
            for f in _rows(session, Followup, foundation, client_id, [Followup.due_on])
        ],
        "family_rsvp": [
            {
                "session_id": r.session_id,
                "contact_id": r.contact_id,
                "answer": r.answer,
                "answered_at": _iso(r.answered_at),
            }
            for r in _rows(
                session, SessionFamilyRsvp, foundation, client_id, [SessionFamilyRsvp.answered_at]
            )
        ],
        "risk": _risk(session.get(RiskFlag, client_id), foundation),
        "outreach": [
            {
                "id": o.id,
                "episode_id": o.episode_id,
                "method": o.method,
                "outcome": o.outcome,
                "notes": o.notes or None,
                "recorded_by": o.recorded_by,
                "recorded_at": _iso(o.recorded_at),
            }
            for o in _rows(session, Outreach, foundation, client_id, [Outreach.recorded_at])
        ],
        "transfer_summaries": [
            {
                "referral_id": t.referral_id,
                "from_foundation": t.from_foundation,
                "received_at": _iso(t.received_at),
                "content": json.loads(t.content) if t.content else None,
            }
            for t in _rows(
                session, TransferSummary, foundation, client_id, [TransferSummary.received_at]
            )
        ],
    }


def _client(view: ClientView | None) -> dict[str, Any] | None:
    if view is None:
        return None
    return {
        "id": view.id,
        "code": view.code,
        "status": view.status,
        "case_worker_id": view.case_worker_id,
        "episode_id": view.episode_id,
        "admitted_on": _iso(view.admitted_on),
        "share_progress": view.share_progress,
    }


def _placements(session: Session, foundation: str, client_id: str) -> list[dict[str, Any]]:
    return [
        {
            "id": p.id,
            "episode_id": p.episode_id,
            "program_id": p.program_id,
            "program_name": p.program.name,
            "start_on": _iso(p.start_on),
            "end_on": _iso(p.end_on),
            "active": p.active,
        }
        for p in _rows(session, Placement, foundation, client_id, [Placement.start_on])
    ]


def _sessions(session: Session, foundation: str, client_id: str) -> list[dict[str, Any]]:
    """The sessions the client took part in, with the client's own attendance (a group
    session's title and place are listed, its other participants are not)."""
    rows = session.execute(
        select(CounsellingSession, SessionParticipant)
        .join(SessionParticipant, SessionParticipant.session_id == CounsellingSession.id)
        .where(
            CounsellingSession.foundation == foundation,
            SessionParticipant.client_id == client_id,
        )
        .order_by(CounsellingSession.starts_at, CounsellingSession.id)
    ).all()
    return [
        {
            "id": s.id,
            "kind": s.kind,
            "starts_at": _iso(s.starts_at),
            "duration_minutes": s.duration_minutes,
            "status": s.status,
            "title": s.title,
            "location": s.location,
            "attendance": p.attendance,
            "family_attended": p.family_attended,
        }
        for s, p in rows
    ]


def _risk(flag: RiskFlag | None, foundation: str) -> dict[str, Any] | None:
    if flag is None or flag.foundation != foundation:
        return None
    return {
        "level": flag.level,
        "reasons": json.loads(flag.reasons or "[]"),
        "high_since": _iso(flag.high_since),
        "updated_at": _iso(flag.updated_at),
    }


def erase_client(session: Session, foundation: str, client_id: str) -> dict[str, int]:
    """Empty every personal value of the client and drop their early-warning flag; returns
    how many rows of each table were emptied (the rows stay, for the reports) or dropped."""
    erased: dict[str, int] = {}
    for model, columns in ERASED_COLUMNS.items():
        table: Table = model.__table__  # type: ignore[attr-defined]
        of_client = table.c[model.__client_key__]  # type: ignore[attr-defined]
        result = session.execute(
            update(table)
            .where(table.c.foundation == foundation, of_client == client_id)
            .values(**columns)
        )
        erased[table.name] = rowcount(result)
    flags = session.execute(
        delete(RiskFlag).where(RiskFlag.foundation == foundation, RiskFlag.client_id == client_id)
    )
    erased[RiskFlag.__tablename__] = rowcount(flags)
    # nothing new is recorded about the client from now on (lookup.client_to_change)
    session.execute(
        update(ClientView)
        .where(
            ClientView.foundation == foundation,
            ClientView.id == client_id,
            ClientView.erased_at.is_(None),
        )
        .values(erased_at=utcnow())
    )
    return erased
