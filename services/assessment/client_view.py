"""Keeping assessment's view of a client in step with intake's events.

Events carry the client's whole state; the view takes it only from a newer event, so an old
``client.registered`` arriving late never overwrites a newer state, and a
``client.admitted`` that overtakes ``client.registered`` creates the view by itself.
Assessment owns the treatment status after admission (placed, discharged), so intake's
``client.updated`` does not move it back.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from services.assessment.models import ClientView
from shared.vocabulary import ClientStatus

#: The statuses assessment decides (intake only mirrors them).
TREATMENT_STATUSES = frozenset({ClientStatus.PLACED, ClientStatus.DISCHARGED})


class ForeignRecord(Exception):
    """An event names a record of another foundation: never applied."""


def apply_client_state(
    session: Session, foundation: str, state: dict[str, Any], newer: bool
) -> ClientView:
    """Take a client event's state into the view (creating it), unless the event is older
    than what the view has; raises :class:`ForeignRecord` for another foundation's client."""
    view = session.get(ClientView, state["id"])
    if view is not None and view.foundation != foundation:
        raise ForeignRecord(state["id"])
    if view is None:
        view = ClientView(id=state["id"], foundation=foundation, status=state["status"])
        session.add(view)
    elif not newer:
        return view
    view.code = state["code"]
    view.case_worker_id = state["case_worker_id"]
    view.share_progress = state["consent"]["share_progress"]
    if state["episode_id"] != view.episode_id or view.status not in TREATMENT_STATUSES:
        view.status = state["status"]
        view.episode_id = state["episode_id"]
        view.admitted_on = state["admitted_on"]
    return view
