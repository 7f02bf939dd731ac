"""Discharge and follow-up guidance (bimbingan lanjut) at +30, +90 and +180 days."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Select, select, update

from services.assessment.care_summary import publish_care_summary
from services.assessment.local_dates import local_today
from services.assessment.lookup import client_in_path, client_to_change, in_path
from services.assessment.models import Assessment, EpisodeRecord, Followup
from services.assessment.placements import end_placement
from services.assessment.risk_flags import recompute_flag
from shared.auth import Caller, foundation_of
from shared.codes import field_error
from shared.db import utcnow
from shared.events.unit_of_work import UnitOfWork
from shared.problems import Conflict, ValidationFailed
from shared.vocabulary import AssessmentStatus, ClientStatus

FOLLOWUP_OFFSETS_DAYS = (30, 90, 180)
#: Clients drop out before placement too: both statuses of care may end.
DISCHARGEABLE = frozenset({ClientStatus.ADMITTED, ClientStatus.PLACED})


def discharge_client(
    uow: UnitOfWork, caller: Caller, client_id: str, data: dict[str, Any]
) -> list[Followup]:
    """End the client's episode of care on ``discharged_on`` (a day of the foundation's
    calendar, not in the future, not before admission): the placement's bed is freed, an
    assessment still due is closed, and the three follow-ups fall due."""
    foundation = foundation_of(caller)
    session = uow.session
    discharged_on = data["discharged_on"]
    view = client_in_path(session, foundation, client_id, lock=True)  # 404 before any 422
    if discharged_on > local_today(session, foundation):
        raise ValidationFailed(errors={"discharged_on": [field_error("date_in_future")]})
    if view.status not in DISCHARGEABLE:
        raise Conflict(code="client_not_dischargeable", client_status=view.status)
    if view.admitted_on and discharged_on < view.admitted_on:
        raise ValidationFailed(errors={"discharged_on": [field_error("before_admission")]})
    end_placement(session, view.id, discharged_on)
    # an assessment still due is no longer anyone's task (notifications cancels its
    # reminders on client.discharged); a readmission opens a new one
    closed = list(
        session.execute(
            select(Assessment.id).where(
                Assessment.client_id == view.id, Assessment.status == AssessmentStatus.DUE
            )
        ).scalars()
    )
    if closed:
        session.execute(
            update(Assessment)
            .where(Assessment.id.in_(closed))
            .values(status=AssessmentStatus.CLOSED)
        )
    view.status = ClientStatus.DISCHARGED
    episode = session.get(EpisodeRecord, view.episode_id) if view.episode_id else None
    if episode is not None:
        episode.status = ClientStatus.DISCHARGED
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
    recompute_flag(uow, view.id)  # out of care: the attendance rules no longer hold
    publish_care_summary(uow, view.id)
    return followups


def record_followup(
    uow: UnitOfWork, caller: Caller, followup_id: str, data: dict[str, Any]
) -> Followup:
    """Record a follow-up's outcome (and notes), by whom and when."""
    foundation = foundation_of(caller)
    followup = in_path(uow.session, Followup, foundation, followup_id)
    client_to_change(uow.session, foundation, followup.client_id)
    followup.outcome = data["outcome"]
    followup.notes = data.get("notes")
    followup.recorded_by = caller.sub
    followup.recorded_at = utcnow()
    uow.session.flush()
    recompute_flag(uow, followup.client_id)
    publish_care_summary(uow, followup.client_id)
    return followup


def followups_query(foundation: str, args: dict[str, Any]) -> Select:
    """The foundation's follow-ups by due date, by ``due_before`` and ``client_id``."""
    stmt = (
        select(Followup)
        .where(Followup.foundation == foundation)
        .order_by(Followup.due_on, Followup.id)
    )
    if args.get("due_before"):
        stmt = stmt.where(Followup.due_on < args["due_before"])
    if args.get("client_id"):
        stmt = stmt.where(Followup.client_id == args["client_id"])
    return stmt
