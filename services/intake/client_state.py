"""What other services may know of a client, and how a change of it reaches them.

Consumers need a client's status, case worker and consent everywhere; the notifications
service also needs family contact details, but only for contacts it may message: while the
client's ``contact_family`` consent holds and the contact's ``may_contact`` is true. Nothing
else personal (NIK, address, date of birth, substances) ever leaves intake in an event.

Every change of a client after registration ends the same way, in the change's transaction:
:func:`publish_client_state` flushes it, records it in the audit log and emits the event
that carries the client's new state (registration, which inserts its rows itself, only emits).
"""

from __future__ import annotations

from typing import Any

from services.intake import audit
from services.intake.models import Client
from shared.auth import Caller
from shared.events.unit_of_work import UnitOfWork


def first_name(full_name: str) -> str:
    return full_name.split()[0] if full_name.split() else full_name


def messageable_contacts(client: Client) -> list[dict[str, Any]]:
    if not client.consent_contact_family:
        return []
    return [
        {
            "id": c.id,
            "name": c.name,
            "relationship": c.relationship_,
            "phone": c.phone,
            "email": c.email,
            "channel": c.channel,
            "locale": c.locale,
        }
        for c in client.family_contacts
        if c.may_contact
    ]


def client_state(client: Client) -> dict[str, Any]:
    """The payload of every client event: the client's current state, as consumers see it."""
    episode = next((e for e in client.episodes if e.id == client.current_episode_id), None)
    return {
        "id": client.id,
        "code": client.code,
        "first_name": first_name(client.full_name),
        "status": client.status,
        "case_worker_id": client.case_worker_id,
        "episode_id": client.current_episode_id,
        "admitted_on": episode.admitted_on if episode else None,
        "consent": {
            "contact_family": client.consent_contact_family,
            "share_progress": client.consent_share_progress,
            "given_by": client.consent_given_by,
        },
        "family_contacts": messageable_contacts(client),
    }


def publish_client_state(
    uow: UnitOfWork,
    caller: Caller,
    client: Client,
    event_type: str,
    *,
    action: str,
    resource_type: str = "client",
    detail: str | None = None,
    **extra: Any,
) -> None:
    """Publish ``client``'s new state in ``uow``'s transaction: flush the change, record
    ``action`` on ``resource_type`` (of this client; ``detail`` says which part) in the audit
    log, and emit ``event_type`` (:func:`emit_client_state`)."""
    uow.session.flush()
    audit.record(uow.session, caller, action, resource_type, client.id, detail)
    emit_client_state(uow, client, event_type, **extra)


def emit_client_state(uow: UnitOfWork, client: Client, event_type: str, **extra: Any) -> None:
    """Emit ``event_type`` about ``client`` carrying :func:`client_state` with ``extra``
    members (the admission, the removed contact's id). Registration calls it directly: it
    inserts the client and its audit entry itself."""
    uow.emit(
        event_type,
        subject=client.id,
        foundation=client.foundation,
        data={**client_state(client), **extra},
    )
