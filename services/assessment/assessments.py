"""Assessments: one falls due 72 hours after each admission."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from services.assessment.models import Assessment, ClientView
from shared.events.outbox import UnitOfWork

ASSESSMENT_DUE_AFTER = timedelta(hours=72)


def due_at_for(admitted_at: datetime) -> datetime:
    return admitted_at + ASSESSMENT_DUE_AFTER


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
    return assessment
