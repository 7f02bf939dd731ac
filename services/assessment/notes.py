"""Progress, behaviour, motivation and crisis notes, tagged with the obstacles the field
study names. A crisis note alerts staff at once (its text never leaves this service)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from services.assessment.lookup import client_in_path, client_to_change
from services.assessment.models import Note
from services.assessment.placements import active_placement
from services.assessment.risk_flags import recompute_flag
from shared.auth import Caller, foundation_of
from shared.events.unit_of_work import UnitOfWork
from shared.vocabulary import NoteKind


def notes_query(session: Session, foundation: str, client_id: str) -> Select:
    """The client's notes, newest first (404 for a client this foundation does not have)."""
    view = client_in_path(session, foundation, client_id)
    return select(Note).where(Note.client_id == view.id).order_by(Note.recorded_at.desc())


def record_note(uow: UnitOfWork, caller: Caller, client_id: str, data: dict[str, Any]) -> Note:
    """Record a note in the client's current episode (and programme, if placed); a crisis
    note alerts staff at once."""
    foundation = foundation_of(caller)
    session = uow.session
    view = client_to_change(session, foundation, client_id)
    placement = active_placement(session, view.id)
    note = Note(
        foundation=view.foundation,
        client_id=view.id,
        episode_id=view.episode_id,
        program_id=placement.program_id if placement else None,
        kind=data["kind"],
        text=data["text"],
        obstacles=",".join(dict.fromkeys(data.get("obstacles", []))),
        recorded_by=caller.sub,
    )
    session.add(note)
    session.flush()
    if note.kind == NoteKind.CRISIS:
        uow.emit(
            "note.crisis_recorded",
            subject=note.id,
            foundation=view.foundation,
            data={
                "note_id": note.id,
                "client_id": view.id,
                "client_code": view.code,
                "case_worker_id": view.case_worker_id,
                "recorded_by": caller.sub,
                "recorded_at": note.recorded_at,
            },
        )
    recompute_flag(uow, view.id)
    return note


def obstacles_of(note: Note) -> list[str]:
    """The obstacles a note is tagged with (stored comma-separated)."""
    return [o for o in note.obstacles.split(",") if o]
