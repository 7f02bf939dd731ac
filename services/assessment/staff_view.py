"""Keeping assessment's view of staff (role, active) in step with ``staff.saved``: enough
to count case workers' caseloads against the staffing norm; no names, no contact details."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from services.assessment.client_view import ForeignRecord
from services.assessment.models import StaffView


def apply_staff_state(session: Session, foundation: str, state: dict[str, Any]) -> StaffView:
    """Take a staff member's role and whether active into the view (creating it); raises
    :class:`ForeignRecord` for a staff member of another foundation, who is never changed."""
    view = session.get(StaffView, state["id"])
    if view is not None and view.foundation != foundation:
        raise ForeignRecord(state["id"])
    if view is None:
        view = StaffView(id=state["id"], foundation=foundation)
        session.add(view)
    view.role = state["role"]
    view.active = state["active"]
    return view
