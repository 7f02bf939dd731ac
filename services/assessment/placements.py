"""Programmes and placements. Capacity holds under concurrency: the programme row is locked
(``FOR UPDATE`` on PostgreSQL; SQLite serialises writers) before its beds are counted, so two
placements racing for the last bed cannot both win."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from services.assessment.capacity import PlacementRefused, check_capacity, check_placeable
from services.assessment.care_summary import publish_care_summary
from services.assessment.lookup import in_body
from services.assessment.models import ClientView, EpisodeRecord, Placement, Program
from shared.auth import Caller, foundation_of
from shared.codes import field_error
from shared.events.unit_of_work import UnitOfWork
from shared.problems import Conflict, ValidationFailed
from shared.vocabulary import ClientStatus


def create_program(uow: UnitOfWork, caller: Caller, data: dict[str, Any]) -> Program:
    """A new programme of the caller's foundation, all its places free."""
    program = Program(foundation=caller.foundation, occupied=0, **data)
    uow.session.add(program)
    uow.session.flush()
    return program


def programs_query(foundation: str) -> Select:
    """The foundation's programmes by name."""
    return select(Program).where(Program.foundation == foundation).order_by(Program.name)


def placements_query(foundation: str) -> Select:
    """The foundation's placements, newest first."""
    return (
        select(Placement)
        .where(Placement.foundation == foundation)
        .order_by(Placement.created_at.desc())
    )


def active_placement(session: Session, client_id: str) -> Placement | None:
    """The client's placement still running, if any."""
    return session.execute(
        select(Placement).where(Placement.client_id == client_id, Placement.active.is_(True))
    ).scalar()


def place_client(uow: UnitOfWork, caller: Caller, data: dict[str, Any]) -> Placement:
    """Place an admitted client in a programme with a free place, from a day no earlier than
    the admission; 409 when the client is placed already, not admitted, or the programme full."""
    foundation = foundation_of(caller)
    session = uow.session
    # the client before the programme, as a discharge locks them: a placement and a
    # discharge of one client at once take turns instead of deadlocking
    view = in_body(session, ClientView, foundation, data["client_id"], "client_id", lock=True)
    program = in_body(session, Program, foundation, data["program_id"], "program_id", lock=True)
    try:
        check_placeable(view.status, active_placement(session, view.id) is not None)
        check_capacity(program.occupied, program.capacity)
    except PlacementRefused as exc:
        raise Conflict(code=exc.code, **cast(dict[str, Any], exc.params)) from exc
    if view.admitted_on and data["start_on"] < view.admitted_on:
        raise ValidationFailed(
            errors={
                "start_on": [field_error("start_before_admission", admitted_on=view.admitted_on)]
            }
        )
    placement = Placement(
        foundation=foundation,
        client_id=view.id,
        episode_id=view.episode_id,
        program=program,
        start_on=data["start_on"],
        active=True,
        created_by=caller.sub,
    )
    program.occupied += 1
    view.status = ClientStatus.PLACED
    episode = session.get(EpisodeRecord, view.episode_id) if view.episode_id else None
    if episode is not None:
        episode.status = ClientStatus.PLACED
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
    publish_care_summary(uow, view.id)
    return placement


def end_placement(session: Session, client_id: str, end_on: date) -> None:
    """Free the bed of the client's active placement (at discharge). A placement booked
    to start after ``end_on`` never began: the booking is withdrawn (its row removed), so
    no stay that never happened reaches the care summary, a referrer's report or the
    programme's figures."""
    placement = active_placement(session, client_id)
    if placement is None:
        return
    program = session.execute(
        select(Program).where(Program.id == placement.program_id).with_for_update()
    ).scalar_one()
    if placement.start_on > end_on:
        session.delete(placement)
    else:
        placement.active = False
        placement.end_on = end_on
    program.occupied = max(program.occupied - 1, 0)
