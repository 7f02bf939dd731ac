"""Finding a foundation's records: an id in the path that is not found is 404; an id in a
request body that is not found is 422 naming the field. Another foundation's records are
never found. A client whose personal data was erased is still found, for what is kept of
them without identity (reports, attendance, outcomes), but nothing new is recorded about
them: 410 ``gone``."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.assessment.models import Assessment, ClientView, CounsellingSession, Followup, Goal
from shared.codes import field_error
from shared.problems import Gone, NotFound, ValidationFailed

T = TypeVar("T")

#: The 404 code of each record that an id in a path names.
NOT_FOUND: dict[type[Any], str] = {
    ClientView: "client_not_found",
    Assessment: "assessment_not_found",
    CounsellingSession: "session_not_found",
    Followup: "followup_not_found",
    Goal: "goal_not_found",
}


def find(
    session: Session, model: type[T], foundation: str, record_id: str, *, lock: bool = False
) -> T | None:
    """The foundation's record of ``model`` with ``record_id``, or None."""
    query = select(model).where(model.id == record_id, model.foundation == foundation)  # type: ignore[attr-defined]
    if lock:
        query = query.with_for_update()
    return session.execute(query).scalar()


def in_path(
    session: Session, model: type[T], foundation: str, record_id: str, *, lock: bool = False
) -> T:
    """The record an id in the path names; 404 with the model's code when there is none."""
    record = find(session, model, foundation, record_id, lock=lock)
    if record is None:
        raise NotFound(code=NOT_FOUND.get(model, "not_found"))
    return record


def in_body(
    session: Session,
    model: type[T],
    foundation: str,
    record_id: str,
    field: str,
    *,
    lock: bool = False,
) -> T:
    """The record an id in the body names; 422 on ``field`` when there is none."""
    record = find(session, model, foundation, record_id, lock=lock)
    if record is None:
        raise ValidationFailed(errors={field: [field_error("record_not_in_foundation")]})
    return record


def client_in_path(
    session: Session, foundation: str, client_id: str, *, lock: bool = False
) -> ClientView:
    """The client an id in the path names (404 ``client_not_found``)."""
    return in_path(session, ClientView, foundation, client_id, lock=lock)


def client_to_change(
    session: Session, foundation: str, client_id: str, *, lock: bool = False
) -> ClientView:
    """The client an id names, to record something about: 404 ``client_not_found`` as
    :func:`client_in_path`; 410 ``gone`` once the client's data was erased (nothing new
    about them may be recorded, not even what needs no key)."""
    view = client_in_path(session, foundation, client_id, lock=lock)
    if view.erased_at is not None:
        raise Gone()
    return view
