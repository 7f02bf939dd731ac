"""Finding a foundation's records: an id in the path that is not found is 404; an id in a
request body that is not found is 422 naming the field. Another foundation's records are
never found."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.assessment.models import ClientView
from shared.problems import NotFound, ValidationFailed

T = TypeVar("T")


def find(
    session: Session, model: type[T], foundation: str, record_id: str, *, lock: bool = False
) -> T | None:
    query = select(model).where(model.id == record_id, model.foundation == foundation)  # type: ignore[attr-defined]
    if lock:
        query = query.with_for_update()
    return session.execute(query).scalar()


def in_path(
    session: Session, model: type[T], foundation: str, record_id: str, *, lock: bool = False
) -> T:
    record = find(session, model, foundation, record_id, lock=lock)
    if record is None:
        raise NotFound(f"No such {model.__name__.lower().replace('view', '')}.")
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
    record = find(session, model, foundation, record_id, lock=lock)
    if record is None:
        raise ValidationFailed(errors={field: ["No such record in this foundation."]})
    return record


def client_in_path(
    session: Session, foundation: str, client_id: str, *, lock: bool = False
) -> ClientView:
    return in_path(session, ClientView, foundation, client_id, lock=lock)
