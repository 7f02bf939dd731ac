"""A client's data requests (UU PDP): opening one, and confirming a proposed erasure.

An admin opens a request for a client (``POST /clients/{id}/data-requests``). Intake keeps
its own part of an access request at once, and ``data_request.opened`` asks assessment and
notifications for theirs (:mod:`services.intake.data_request_parts` records them and
completes the request). An erasure is refused while the client is in care, and the retention
sweep's proposals (:mod:`services.intake.retention`) ask nobody anything until an admin
confirms them by typing the client's code. The decisions are in
:mod:`services.intake.data_request_rules`.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.intake import audit
from services.intake.clients import get_client
from services.intake.data_export import intake_part
from services.intake.data_request_rules import awaiting_confirmation, due_by, may_erase
from services.intake.data_request_views import get_request
from services.intake.models import Client, DataRequest, DataRequestPart
from shared.auth import Caller, foundation_of
from shared.codes import field_error
from shared.db import new_id, utcnow
from shared.events.unit_of_work import UnitOfWork
from shared.problems import Conflict, ValidationFailed
from shared.runtime import ServiceRuntime
from shared.vocabulary import DataRequestKind, DataRequestSource, DataRequestStatus


def new_request(
    client: Client, kind: str, source: str, opened_by: str, now: datetime, **personal: Any
) -> DataRequest:
    """An open request for ``client`` (``personal``: ``requested_by``, ``notes``)."""
    return DataRequest(
        id=new_id(),
        foundation=client.foundation,
        client_id=client.id,
        kind=kind,
        status=DataRequestStatus.OPEN,
        source=source,
        requested_by=personal.get("requested_by"),
        notes=personal.get("notes"),
        opened_by=opened_by,
        opened_at=now,
        due_by=due_by(now),
    )


def open_request_of(session: Session, client_id: str, kind: str) -> DataRequest | None:
    return session.execute(
        select(DataRequest).where(
            DataRequest.client_id == client_id,
            DataRequest.kind == kind,
            DataRequest.status == DataRequestStatus.OPEN,
        )
    ).scalar()


def ask_services(uow: UnitOfWork, request: DataRequest) -> None:
    """``data_request.opened``: assessment and notifications answer with their parts."""
    uow.emit(
        "data_request.opened",
        subject=request.client_id,
        foundation=request.foundation,
        data={"request_id": request.id, "client_id": request.client_id, "kind": request.kind},
    )


def open_request(
    uow: UnitOfWork, caller: Caller, client_id: str, data: dict[str, Any]
) -> tuple[DataRequest, Client]:
    """Open an access or erasure request for the client; answers ``(request, client)``.

    409 ``client_admitted`` for an erasure while the client is in care, 409
    ``data_request_open`` while one of the same kind is open; nothing is stored then.
    An admin's erasure is confirmed as it is opened."""
    session = uow.session
    # two admins opening at once: the second waits here, then sees the first's request
    client = get_client(session, foundation_of(caller), client_id, for_update=True)
    kind = data["kind"]
    if kind == DataRequestKind.ERASURE and not may_erase(client.status):
        raise Conflict(code="client_admitted", client_status=client.status)
    if open_request_of(session, client.id, kind) is not None:
        raise Conflict(code="data_request_open", kind=kind)
    now = utcnow()
    request = new_request(
        client,
        kind,
        DataRequestSource.ADMIN,
        caller.sub,
        now,
        requested_by=data["requested_by"],
        notes=data.get("notes"),
    )
    if kind == DataRequestKind.ERASURE:
        request.confirmed_at, request.confirmed_by = now, caller.sub
    else:  # intake answers for itself at once
        content = json.dumps(intake_part(session, client), ensure_ascii=False)
        part = DataRequestPart(
            service="intake", client_id=client.id, answered_at=now, content=content
        )
        request.parts.append(part)
    session.add(request)
    session.flush()
    audit.record(session, caller, "open", "data_request", client.id, request.id)
    ask_services(uow, request)
    return request, client


def confirm_request(
    runtime: ServiceRuntime, caller: Caller, request_id: str, data: dict[str, Any]
) -> tuple[DataRequest, Client]:
    """Confirm an erasure the retention sweep proposed, the client's code typed as proof;
    answers ``(request, client)``. Its 72 hours run from now.

    422 ``confirmation_mismatch`` for another code, 409 ``nothing_to_confirm`` when it
    does not wait. A client back in care by now refuses it for good (its refusal is kept,
    and answered 409 ``client_admitted``)."""
    with runtime.unit_of_work() as uow:
        session = uow.session
        request = get_request(session, foundation_of(caller), request_id)
        # locked: an admission at this moment takes its turn, and sees the erasure confirmed
        client = session.get(Client, request.client_id, with_for_update=True)
        if client is None or not awaiting_confirmation(request):
            raise Conflict(code="nothing_to_confirm")
        if data["client_code"] != client.code:
            raise ValidationFailed(
                code="confirmation_mismatch",
                errors={"client_code": [field_error("confirmation_mismatch")]},
            )
        now = utcnow()
        refused_status = None if may_erase(client.status) else client.status
        if refused_status is not None:
            request.status, request.refused_code = DataRequestStatus.REFUSED, "client_admitted"
            audit.record(session, caller, "refuse", "data_request", client.id, request.id)
        else:
            request.confirmed_at, request.confirmed_by = now, caller.sub
            request.due_by = due_by(now)
            audit.record(session, caller, "confirm", "data_request", client.id, request.id)
            ask_services(uow, request)
    if refused_status is not None:
        raise Conflict(code="client_admitted", client_status=refused_status)
    return request, client
