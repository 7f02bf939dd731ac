"""The services' answers to a data request, and its completion.

Assessment and notifications answer ``data_request.opened`` with a part event (an access
part holds everything the service keeps about the client, as JSON under the client's key;
an erasure part says it erased). :func:`record_part` keeps each answer once, whatever the
redeliveries, and completes the request when the last part it waits for is in: an access
request at once; an erasure after intake has erased its own data last
(:func:`services.intake.erasure.erase_client`).
"""

from __future__ import annotations

import logging

from sqlalchemy import select

from services.intake.data_request_rules import CONSUMERS, is_answered
from services.intake.erasure import erase_client
from services.intake.models import DataRequest, DataRequestPart
from shared.db import utcnow
from shared.events import Event
from shared.events.unit_of_work import UnitOfWork
from shared.vocabulary import DataRequestKind, DataRequestStatus

log = logging.getLogger(__name__)


def record_part(uow: UnitOfWork, event: Event, newer: bool) -> None:
    """Keep a consumer's answer (its producer names the service) and complete the request
    when every part is in. An answer to a request that is not open, of another foundation
    or client, or given before, changes nothing."""
    data, service = event.data, event.producer
    session = uow.session
    request = session.execute(
        select(DataRequest)
        .where(
            DataRequest.id == data["request_id"],
            DataRequest.foundation == event.foundation,
            DataRequest.client_id == data["client_id"],
        )
        # two services' answers applied at once take turns, so the last one in sees every
        # part and completes the request (they are of different producers: the inbox does
        # not order them)
        .with_for_update(of=DataRequest)
    ).scalar()
    if request is None or service not in CONSUMERS:
        log.warning("event %s answers no data request of its foundation; ignored", event.id)
        return
    if request.status != DataRequestStatus.OPEN or service in {p.service for p in request.parts}:
        return
    now = utcnow()
    access = request.kind == DataRequestKind.ACCESS
    part = DataRequestPart(
        service=service,
        client_id=request.client_id,
        answered_at=now,
        content=data.get("part") if access else None,
    )
    request.parts.append(part)
    if data.get("erased"):  # counts of rows, never values
        log.info("%s erased for data request %s: %s", service, request.id, data["erased"])
    if not is_answered(request.kind, {p.service for p in request.parts}):
        return
    if access:
        request.status, request.completed_at = DataRequestStatus.COMPLETE, now
    else:
        erase_client(uow, request, now)
