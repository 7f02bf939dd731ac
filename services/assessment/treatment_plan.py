"""Treatment-plan goals per client (text, target date, status), updated over time."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from services.assessment.lookup import client_in_path, client_to_change, in_path
from services.assessment.models import Goal
from shared.auth import Caller, foundation_of
from shared.events.unit_of_work import UnitOfWork
from shared.vocabulary import GoalStatus


def goals_query(session: Session, foundation: str, client_id: str) -> Select:
    """The client's goals, oldest first (404 for a client this foundation does not have)."""
    view = client_in_path(session, foundation, client_id)
    return select(Goal).where(Goal.client_id == view.id).order_by(Goal.created_at)


def add_goal(uow: UnitOfWork, caller: Caller, client_id: str, data: dict[str, Any]) -> Goal:
    """A goal in the client's current episode (``open`` unless told)."""
    foundation = foundation_of(caller)
    view = client_to_change(uow.session, foundation, client_id)
    goal = Goal(
        foundation=view.foundation,
        client_id=view.id,
        episode_id=view.episode_id,
        text=data["text"],
        target_date=data.get("target_date"),
        status=data.get("status", GoalStatus.OPEN),
        created_by=caller.sub,
    )
    uow.session.add(goal)
    uow.session.flush()
    return goal


def update_goal(uow: UnitOfWork, caller: Caller, goal_id: str, data: dict[str, Any]) -> Goal:
    """Change a goal's text, target date or status."""
    foundation = foundation_of(caller)
    goal = in_path(uow.session, Goal, foundation, goal_id)
    client_to_change(uow.session, foundation, goal.client_id)
    for name, value in data.items():
        setattr(goal, name, value)
    uow.session.flush()
    return goal
