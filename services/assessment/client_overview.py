"""What assessment shows of one client (``GET /clients/{id}``): the view intake's events keep,
with the current episode's latest assessment, the running placement, every episode, and the
summaries of a foundation that transferred the client here."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.assessment.assessments import current_assessment
from services.assessment.lookup import client_in_path
from services.assessment.models import EpisodeRecord
from services.assessment.placements import active_placement
from services.assessment.transfer_summaries import transfer_summaries


def client_overview(session: Session, foundation: str, client_id: str) -> dict[str, Any]:
    """The client's status, case worker, current assessment, placement and episodes (404
    for a client this foundation does not have, or that assessment has not heard of yet)."""
    view = client_in_path(session, foundation, client_id)
    episodes = session.execute(
        select(EpisodeRecord)
        .where(EpisodeRecord.client_id == view.id)
        .order_by(EpisodeRecord.admitted_on)
    ).scalars()
    return {
        "id": view.id,
        "code": view.code,
        "status": view.status,
        "case_worker_id": view.case_worker_id,
        "episode_id": view.episode_id,
        "admitted_on": view.admitted_on,
        "assessment": current_assessment(session, view),
        "placement": active_placement(session, view.id),
        "episodes": list(episodes),
        "transfer_summaries": transfer_summaries(session, foundation, view.id),
    }
