"""Discharge and follow-up guidance (bimbingan lanjut) at +30, +90 and +180 days."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from services.assessment.lookup import client_in_path
from services.assessment.models import Assessment, EpisodeRecord, Followup
from services.assessment.placements import end_placement
from shared.auth import Caller
from shared.db import utcnow
from shared.events.unit_of_work import UnitOfWork
from shared.problems import Conflict, ValidationFailed

FOLLOWUP_OFFSETS_DAYS = (30, 90, 180)
DISCHARGEABLE = frozenset({"admitted", "placed"})


def discharge_client(
    uow: UnitOfWork, caller: Caller, client_id: str, data: dict[str, Any]
) -> list[Followup]:
    session = uow.session
    view = client_in_path(session, caller.foundation, client_id, lock=True)
    if view.status not in DISCHARGEABLE:
        raise Conflict(
            f"The client is {view.status}; only admitted or placed clients are discharged."
        )
    discharged_on = data["discharged_on"]
    if view.admitted_on and discharged_on < view.admitted_on:
        raise ValidationFailed(errors={"discharged_on": ["May not be before admission."]})
    end_placement(session, view.id, discharged_on)
    # an assessment still due is no longer anyone's task (notifications cancels its
    # reminders on client.discharged); a readmission opens a new one
    closed = list(
        session.execute(
            select(Assessment.id).where(Assessment.client_id == view.id, Assessment.status == "due")
        ).scalars()
    )
    if closed:
        session.execute(update(Assessment).where(Assessment.id.in_(closed)).values(status="closed"))
    view.status = "discharged"
    episode = session.get(EpisodeRecord, view.episode_id) if view.episode_id else None
    if episode is not None:
        episode.status = "discharged"
        episode.discharged_on = discharged_on
        episode.discharge_reason = data["reason"]
    episode_id = view.episode_id or view.id
    followups = [
        Followup(
            foundation=view.foundation,
            client_id=view.id,
            episode_id=episode_id,
            offset_days=days,
            due_on=discharged_on + timedelta(days=days),
        )
        for days in FOLLOWUP_OFFSETS_DAYS
    ]
    session.add_all(followups)
    session.flush()
    uow.emit(
        "client.discharged",
        subject=view.id,
        foundation=view.foundation,
        data={
            "client_id": view.id,
            "episode_id": view.episode_id,
            "reason": data["reason"],
            "discharged_on": discharged_on,
            "closed_assessment_ids": closed,
        },
    )
    for followup in followups:
        uow.emit(
            "followup.due",
            subject=followup.id,
            foundation=view.foundation,
            data={
                "followup_id": followup.id,
                "client_id": view.id,
                "client_code": view.code,
                "case_worker_id": view.case_worker_id,
                "due_on": followup.due_on,
                "offset_days": followup.offset_days,
                "episode_id": view.episode_id,
            },
        )
    return followups


def record_followup(
    uow: UnitOfWork, caller: Caller, followup: Followup, data: dict[str, Any]
) -> Followup:
    followup.outcome = data["outcome"]
    followup.notes = data.get("notes")
    followup.recorded_by = caller.sub
    followup.recorded_at = utcnow()
    return followup


def followups_query(foundation: str, args: dict[str, Any]):
    stmt = (
        select(Followup)
        .where(Followup.foundation == foundation)
        .order_by(Followup.due_on, Followup.id)
    )
    if args.get("due_before"):
        stmt = stmt.where(Followup.due_on < args["due_before"])
    if args.get("client_id"):
        stmt = stmt.where(Followup.client_id == args["client_id"])
    if args.get("open") is True:
        stmt = stmt.where(Followup.outcome.is_(None))
    return stmt
