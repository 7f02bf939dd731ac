"""How data requests are shown to an admin: one request, and the foundation's list.

Whether a request is late is :func:`~services.intake.data_request_rules.is_late`; the list's
``late`` filter says the same in SQL (:func:`late_clause`). Parts are listed by service and
time only: their content is read for an export.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, not_, or_, select
from sqlalchemy.orm import Session, selectinload

from services.intake.data_request_rules import awaiting_confirmation, is_late
from services.intake.models import Client, DataRequest, DataRequestPart
from shared.auth import Caller, foundation_of
from shared.db import utcnow
from shared.pagination import paginate
from shared.problems import NotFound
from shared.vocabulary import DataRequestKind, DataRequestStatus

#: parts without their content (an access part is everything a service holds)
_PARTS = selectinload(DataRequest.parts).defer(DataRequestPart.content)


def get_request(session: Session, foundation: str, request_id: str) -> DataRequest:
    """The foundation's request; another foundation's does not exist (404)."""
    request = session.execute(
        select(DataRequest).where(
            DataRequest.id == request_id, DataRequest.foundation == foundation
        )
    ).scalar()
    if request is None:
        raise NotFound(code="data_request_not_found")
    return request


def request_view(request: DataRequest, client_code: str | None, now: datetime) -> dict[str, Any]:
    """The request body of the API (``requested_by`` and ``notes`` read null once the
    client is erased: they were under the client's key)."""
    return {
        "id": request.id,
        "client_id": request.client_id,
        "client_code": client_code,
        "kind": request.kind,
        "status": request.status,
        "source": request.source,
        "requested_by": request.requested_by or None,
        "notes": request.notes or None,
        "opened_at": request.opened_at,
        "due_by": request.due_by,
        "awaiting_confirmation": awaiting_confirmation(request),
        "parts": [{"service": p.service, "answered_at": p.answered_at} for p in request.parts],
        "completed_at": request.completed_at,
        "late": is_late(request, now),
        "refused_code": request.refused_code,
    }


def overdue_clause(now: datetime) -> ColumnElement[bool]:
    """Open past ``due_by``, not waiting for a confirmation: the late ones still owed."""
    waiting = and_(DataRequest.kind == DataRequestKind.ERASURE, DataRequest.confirmed_at.is_(None))
    return and_(
        DataRequest.status == DataRequestStatus.OPEN, not_(waiting), DataRequest.due_by < now
    )


def late_clause(now: datetime) -> ColumnElement[bool]:
    """:func:`is_late` in SQL: overdue, or completed after ``due_by``."""
    return or_(
        overdue_clause(now),
        and_(
            DataRequest.status == DataRequestStatus.COMPLETE,
            DataRequest.completed_at > DataRequest.due_by,
        ),
    )


def requests_query(foundation: str, filters: dict[str, Any], now: datetime) -> Select:
    """The foundation's requests, newest first, filtered by ``status``, ``kind``,
    ``client_id`` and ``late``."""
    stmt = (
        select(DataRequest)
        .where(DataRequest.foundation == foundation)
        .options(_PARTS)
        .order_by(DataRequest.opened_at.desc(), DataRequest.id.desc())
    )
    for name in ("status", "kind", "client_id"):
        if filters.get(name):
            stmt = stmt.where(getattr(DataRequest, name) == filters[name])
    if filters.get("late") is not None:
        late = late_clause(now)
        stmt = stmt.where(late if filters["late"] else not_(late))
    return stmt


def codes_of(session: Session, client_ids: set[str]) -> dict[str, str]:
    if not client_ids:
        return {}
    rows = session.execute(select(Client.id, Client.code).where(Client.id.in_(client_ids)))
    return {client_id: code for client_id, code in rows}


def list_requests(session: Session, caller: Caller, filters: dict[str, Any], page: dict) -> dict:
    """A page of the caller's foundation's requests, as :func:`request_view` shows them."""
    now = utcnow()
    found = paginate(session, requests_query(foundation_of(caller), filters, now), page)
    codes = codes_of(session, {r.client_id for r in found["items"]})
    found["items"] = [request_view(r, codes.get(r.client_id), now) for r in found["items"]]
    return found


def read_request(session: Session, caller: Caller, request_id: str) -> dict[str, Any]:
    """One request of the caller's foundation (404 ``data_request_not_found`` otherwise)."""
    request = get_request(session, foundation_of(caller), request_id)
    codes = codes_of(session, {request.client_id})
    return request_view(request, codes.get(request.client_id), utcnow())
