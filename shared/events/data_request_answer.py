"""How a consuming service answers a data request (``data_request.opened``): with its part
event, written to its outbox in the transaction of what it did, once per request.

The inbox already makes a redelivered event change nothing. A request delivered again under
another event id (intake opening it anew after a failure) must not be answered twice
either: the outbox is this service's record of what it answered, and a part for the request
already there means it was (published rows are pruned after days, a redelivery comes within
minutes or hours; intake keeps one part per service and request in any case).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.events import Event
from shared.events.unit_of_work import UnitOfWork
from shared.vocabulary import DataRequestKind

log = logging.getLogger(__name__)

#: ``(session, foundation, client_id)`` → everything the service holds about the client
Export = Callable[[Session, str, str], dict[str, Any]]
#: ``(session, foundation, client_id)`` → rows emptied per table
Erase = Callable[[Session, str, str], dict[str, int]]


def part_event_of(service: str) -> str:
    """The event type ``service`` answers data requests with."""
    return f"data_request.{service}_part"


def already_answered(uow: UnitOfWork, service: str, request_id: str, client_id: str) -> bool:
    """Whether this service's outbox holds its part for ``request_id`` already."""
    outbox = uow.tables.outbox
    envelopes = uow.session.execute(
        select(outbox.c.envelope).where(
            outbox.c.type == part_event_of(service), outbox.c.subject == client_id
        )
    ).scalars()
    return any(
        json.loads(envelope)["data"].get("request_id") == request_id for envelope in envelopes
    )


def answer_request(
    uow: UnitOfWork, event: Event, service: str, export: Export, erase: Erase
) -> str | None:
    """Answer the request ``event`` opened (once): an access request with what ``export``
    finds, as JSON; an erasure by destroying the client's keys and then ``erase``, with its
    counts. Returns the part's event id, or ``None`` when the request was answered before."""
    data = event.data
    client_id, foundation = data["client_id"], str(event.foundation)
    if already_answered(uow, service, data["request_id"], client_id):
        log.info("data request %s was answered already", data["request_id"])
        return None
    if data["kind"] == DataRequestKind.ACCESS:
        content = json.dumps(export(uow.session, foundation, client_id), ensure_ascii=False)
        return answer(uow, event, service, part=content)
    return answer(uow, event, service, erased=erase_with_keys(uow, foundation, client_id, erase))


def erase_with_keys(
    uow: UnitOfWork, foundation: str, client_id: str, erase: Erase
) -> dict[str, int]:
    """Destroy the client's keys in this service, then ``erase`` its values.

    Keys first: whatever the erasure misses, or a writer stores meanwhile under a key it
    still holds in memory, is unreadable all the same, and nothing new can be sealed for the
    client (``ClientErased``). ``erase`` must need no key (plain SQL updates), so a retry
    after its transaction failed, the keys already gone, completes it."""
    if uow.db.key_store is not None:
        uow.db.key_store.destroy(client_id)
    return erase(uow.session, foundation, client_id)


def answer(
    uow: UnitOfWork,
    event: Event,
    service: str,
    *,
    part: str | None = None,
    erased: dict[str, int] | None = None,
) -> str:
    """Emit ``service``'s part for the request ``event`` opened: ``part`` (JSON text, an
    access request's answer; sealed under the client's key on the wire) or the ``erased``
    counts of an erasure. The subject is the client, so the part travels with its key."""
    data = event.data
    return uow.emit(
        part_event_of(service),
        subject=data["client_id"],
        foundation=event.foundation,
        data={
            "request_id": data["request_id"],
            "client_id": data["client_id"],
            "kind": data["kind"],
            "service": service,
            "part": part,
            "erased": erased or {},
        },
    )
