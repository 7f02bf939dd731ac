"""Assessments: one falls due 72 hours after each admission; completing one rates the six
ASAM dimensions, records strengths and limitations, and recommends a level of care."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

from services.assessment.level_of_care import RatingError, recommend_level, resolve_level
from services.assessment.lookup import in_body, in_path
from services.assessment.models import Assessment, ClientView
from shared.auth import Caller, foundation_of
from shared.db import utcnow
from shared.events.unit_of_work import UnitOfWork
from shared.problems import Conflict, ValidationFailed
from shared.vocabulary import AssessmentStatus, ClientStatus

ASSESSMENT_DUE_AFTER = timedelta(hours=72)
#: The statuses of a client in care: only they are reassessed.
IN_CARE = frozenset({ClientStatus.ADMITTED, ClientStatus.PLACED})
# An episode's first assessment (built once: every admission asks).
_FIRST_OF_EPISODE = select(Assessment).where(
    Assessment.episode_id == bindparam("episode_id"), Assessment.sequence_no == 1
)


def due_at_for(admitted_at: datetime) -> datetime:
    """When the first assessment of an episode admitted at ``admitted_at`` falls due."""
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
    existing = uow.session.execute(_FIRST_OF_EPISODE, {"episode_id": episode_id}).scalar()
    if existing is not None:
        return existing
    assessment = Assessment(
        foundation=view.foundation,
        client_id=view.id,
        episode_id=episode_id,
        sequence_no=1,
        status=AssessmentStatus.DUE,
        due_at=due_at_for(admitted_at),
    )
    uow.session.add(assessment)
    uow.session.flush()
    _announce_due(uow, view, assessment)
    return assessment


def request_reassessment(uow: UnitOfWork, caller: Caller, data: dict[str, Any]) -> Assessment:
    """A further assessment in the current episode; earlier ones stay as history."""
    foundation = foundation_of(caller)
    session = uow.session
    view = in_body(session, ClientView, foundation, data["client_id"], "client_id", lock=True)
    if view.episode_id is None or view.status not in IN_CARE:
        raise Conflict(code="client_not_in_care", client_status=view.status)
    if session.execute(
        select(Assessment.id).where(
            Assessment.episode_id == view.episode_id, Assessment.status == AssessmentStatus.DUE
        )
    ).first():
        raise Conflict(code="assessment_already_due")
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
        status=AssessmentStatus.DUE,
        due_at=data.get("due_at") or utcnow() + ASSESSMENT_DUE_AFTER,
    )
    session.add(assessment)
    session.flush()
    _announce_due(uow, view, assessment)
    return assessment


def complete_assessment(
    uow: UnitOfWork, caller: Caller, assessment_id: str, data: dict[str, Any]
) -> Assessment:
    """Complete a due assessment: the ratings give the recommended level, an override with
    its reason the level used; a completed or closed assessment is not completed again."""
    foundation = foundation_of(caller)
    session = uow.session
    assessment = in_path(session, Assessment, foundation, assessment_id, lock=True)
    if assessment.status == AssessmentStatus.COMPLETED:
        raise Conflict(code="assessment_completed")
    if assessment.status == AssessmentStatus.CLOSED:
        raise Conflict(code="assessment_closed")
    try:
        recommended = recommend_level(data["dimensions"])
        level = resolve_level(recommended, data.get("level_override"), data.get("override_reason"))
    except RatingError as exc:
        raise ValidationFailed(errors={exc.field: [exc.message]}) from exc
    now = utcnow()
    assessment.status = AssessmentStatus.COMPLETED
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


def assessments_query(foundation: str, filters: dict[str, Any]) -> Select:
    """The foundation's assessments, newest first, by ``client_id`` and ``status``."""
    stmt = (
        select(Assessment)
        .where(Assessment.foundation == foundation)
        .order_by(Assessment.created_at.desc(), Assessment.sequence_no.desc())
    )
    if filters.get("client_id"):
        stmt = stmt.where(Assessment.client_id == filters["client_id"])
    if filters.get("status"):
        stmt = stmt.where(Assessment.status == filters["status"])
    return stmt


def current_assessment(session: Session, view: ClientView) -> Assessment | None:
    """The latest assessment of the client's current episode."""
    return session.execute(
        select(Assessment)
        .where(Assessment.client_id == view.id, Assessment.episode_id == view.episode_id)
        .order_by(Assessment.sequence_no.desc())
    ).scalar()


def findings_of(assessment: Assessment) -> dict[str, Any]:
    """The findings (ratings, strengths, limitations, notes) as recorded."""
    return json.loads(assessment.findings) if assessment.findings else {}
