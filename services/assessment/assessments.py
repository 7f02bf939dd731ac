"""Assessments: one falls due 72 hours after each admission; completing one rates the six
ASAM dimensions, records strengths and limitations, and recommends a level of care."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from services.assessment.level_of_care import RatingError, recommend_level, resolve_level
from services.assessment.lookup import in_body, in_path
from services.assessment.models import Assessment, ClientView
from shared.auth import Caller
from shared.db import utcnow
from shared.events.unit_of_work import UnitOfWork
from shared.problems import Conflict, ValidationFailed

ASSESSMENT_DUE_AFTER = timedelta(hours=72)


def due_at_for(admitted_at: datetime) -> datetime:
    return admitted_at + ASSESSMENT_DUE_AFTER


def _announce_due(uow: UnitOfWork, view: ClientView, assessment: Assessment) -> None:
    uow.emit(
        "assessment.due",
        subject=assessment.id,
        foundation=view.foundation,
        data={
            "assessment_id": assessment.id,
            "client_id": view.id,
            "client_code": view.code,
            "case_worker_id": view.case_worker_id,
            "due_at": assessment.due_at,
        },
    )


def open_initial_assessment(
    uow: UnitOfWork, view: ClientView, episode_id: str, admitted_at: datetime
) -> Assessment:
    """The episode's first assessment, created once however often admission is delivered."""
    existing = uow.session.execute(
        select(Assessment).where(Assessment.episode_id == episode_id, Assessment.sequence_no == 1)
    ).scalar()
    if existing is not None:
        return existing
    assessment = Assessment(
        foundation=view.foundation,
        client_id=view.id,
        episode_id=episode_id,
        sequence_no=1,
        status="due",
        due_at=due_at_for(admitted_at),
    )
    uow.session.add(assessment)
    uow.session.flush()
    _announce_due(uow, view, assessment)
    return assessment


def request_reassessment(uow: UnitOfWork, caller: Caller, data: dict[str, Any]) -> Assessment:
    """A further assessment in the current episode; earlier ones stay as history."""
    session = uow.session
    view = in_body(
        session, ClientView, caller.foundation, data["client_id"], "client_id", lock=True
    )
    if view.episode_id is None or view.status not in ("admitted", "placed"):
        raise Conflict(f"The client is {view.status}; only clients in care are reassessed.")
    if session.execute(
        select(Assessment.id).where(
            Assessment.episode_id == view.episode_id, Assessment.status == "due"
        )
    ).first():
        raise Conflict("An assessment is already due for this episode.")
    last = (
        session.execute(
            select(func.max(Assessment.sequence_no)).where(Assessment.episode_id == view.episode_id)
        ).scalar()
        or 0
    )
    assessment = Assessment(
        foundation=view.foundation,
        client_id=view.id,
        episode_id=view.episode_id,
        sequence_no=last + 1,
        status="due",
        due_at=data.get("due_at") or utcnow() + ASSESSMENT_DUE_AFTER,
    )
    session.add(assessment)
    session.flush()
    _announce_due(uow, view, assessment)
    return assessment


def complete_assessment(
    uow: UnitOfWork, caller: Caller, assessment_id: str, data: dict[str, Any]
) -> Assessment:
    session = uow.session
    assessment = in_path(session, Assessment, caller.foundation, assessment_id, lock=True)
    if assessment.status == "completed":
        raise Conflict("This assessment is completed; request a reassessment instead.")
    if assessment.status == "closed":
        raise Conflict("This assessment was closed when the client was discharged.")
    try:
        recommended = recommend_level(data["dimensions"])
        level = resolve_level(recommended, data.get("level_override"), data.get("override_reason"))
    except RatingError as exc:
        raise ValidationFailed(errors={exc.field: [exc.message]}) from exc
    now = utcnow()
    assessment.status = "completed"
    assessment.completed_at = now
    assessment.completed_by = caller.sub
    assessment.recommended_level = recommended
    assessment.level = level
    assessment.level_override = data.get("level_override")
    assessment.override_reason = data.get("override_reason")
    assessment.findings = json.dumps(
        {
            "dimensions": data["dimensions"],
            "strengths": data.get("strengths", []),
            "limitations": data.get("limitations", []),
            "family_background": data.get("family_background"),
            "notes": data.get("notes"),
        }
    )
    session.flush()
    uow.emit(
        "assessment.completed",
        subject=assessment.client_id,
        foundation=assessment.foundation,
        data={
            "assessment_id": assessment.id,
            "client_id": assessment.client_id,
            "recommended_level": recommended,
            "level": level,
            "completed_at": now,
        },
    )
    return assessment


def findings_of(assessment: Assessment) -> dict[str, Any]:
    return json.loads(assessment.findings) if assessment.findings else {}
