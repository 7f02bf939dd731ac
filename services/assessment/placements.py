"""Programmes and placements. Capacity holds under concurrency: the programme row is locked
(``FOR UPDATE`` on PostgreSQL; SQLite serialises writers) before its beds are counted, so two
placements racing for the last bed cannot both win."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from services.assessment.capacity import PlacementRefused, check_capacity, check_placeable
from services.assessment.lookup import in_body
from services.assessment.models import ClientView, EpisodeRecord, Placement, Program
from shared.auth import Caller
from shared.events.unit_of_work import UnitOfWork
from shared.problems import Conflict, ValidationFailed


def create_program(uow: UnitOfWork, caller: Caller, data: dict[str, Any]) -> Program:
    program = Program(foundation=caller.foundation, occupied=0, **data)
    uow.session.add(program)
    uow.session.flush()
    return program


def active_placement(session, client_id: str) -> Placement | None:
    return session.execute(
        select(Placement).where(Placement.client_id == client_id, Placement.active.is_(True))
    ).scalar()


def place_client(uow: UnitOfWork, caller: Caller, data: dict[str, Any]) -> Placement:
    session = uow.session
    program = in_body(
        session, Program, caller.foundation, data["program_id"], "program_id", lock=True
    )
    view = in_body(
        session, ClientView, caller.foundation, data["client_id"], "client_id", lock=True
    )
    try:
        check_placeable(view.status, active_placement(session, view.id) is not None)
        check_capacity(program.occupied, program.capacity)
    except PlacementRefused as exc:
        raise Conflict(str(exc)) from exc
    if view.admitted_on and data["start_on"] < view.admitted_on:
        raise ValidationFailed(
            errors={"start_on": [f"May not be before admission ({view.admitted_on})."]}
        )
    placement = Placement(
        foundation=caller.foundation,
        client_id=view.id,
        episode_id=view.episode_id,
        program=program,
        start_on=data["start_on"],
        active=True,
        created_by=caller.sub,
    )
    program.occupied += 1
    view.status = "placed"
    episode = session.get(EpisodeRecord, view.episode_id) if view.episode_id else None
    if episode is not None:
        episode.status = "placed"
    session.add(placement)
    session.flush()
    uow.emit(
        "placement.started",
        subject=view.id,
        foundation=view.foundation,
        data={
            "placement_id": placement.id,
            "client_id": view.id,
            "episode_id": view.episode_id,
            "program_id": program.id,
            "program_name": program.name,
            "start_on": placement.start_on,
        },
    )
    return placement


def end_placement(session, client_id: str, end_on) -> None:
    """Free the bed of the client's active placement (at discharge)."""
    placement = active_placement(session, client_id)
    if placement is None:
        return
    program = session.execute(
        select(Program).where(Program.id == placement.program_id).with_for_update()
    ).scalar_one()
    placement.active = False
    placement.end_on = end_on
    program.occupied = max(program.occupied - 1, 0)
