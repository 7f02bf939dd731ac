"""Progress, behaviour, motivation and crisis notes, tagged with the obstacles the field
study names. A crisis note alerts staff at once (its text never leaves this service)."""

from __future__ import annotations

from typing import Any

from services.assessment.lookup import client_in_path
from services.assessment.models import Note
from services.assessment.placements import active_placement
from shared.auth import Caller
from shared.events.unit_of_work import UnitOfWork

OBSTACLES = (
    "behaviour_inconsistency",
    "closed_attitude",
    "family_communication",
    "staff_capacity",
    "other",
)
KINDS = ("progress", "behaviour", "motivation", "crisis")


def record_note(uow: UnitOfWork, caller: Caller, client_id: str, data: dict[str, Any]) -> Note:
    session = uow.session
    view = client_in_path(session, caller.foundation, client_id)
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
    if note.kind == "crisis":
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
    return note


def obstacles_of(note: Note) -> list[str]:
    return [o for o in note.obstacles.split(",") if o]
