"""What each incoming event does to notifications."""

from __future__ import annotations

import logging

from services.notifications.dispatcher import dispatch
from services.notifications.models import ClientRecord
from services.notifications.recipients import (
    ForeignRecord,
    apply_client_state,
    messageable_contacts,
    save_foundation,
)
from services.notifications.scheduling import schedule_family_message
from shared.db import utcnow
from shared.events import Event
from shared.events.outbox import UnitOfWork

log = logging.getLogger(__name__)


def remember_foundation(uow: UnitOfWork, event: Event, newer: bool) -> None:
    if newer:
        save_foundation(uow, event.data)


def _current_client(uow: UnitOfWork, event: Event, newer: bool) -> ClientRecord | None:
    """Apply the event's client state if it is newer; the freshest known client either way."""
    try:
        if newer:
            return apply_client_state(uow, event.foundation, event.data)
    except ForeignRecord:
        log.error("event %s names a client of another foundation; ignored", event.id)
        return None
    client = uow.session.get(ClientRecord, event.data["id"])
    if client is not None and client.foundation != event.foundation:
        return None
    return client


def update_client(uow: UnitOfWork, event: Event, newer: bool) -> None:
    _current_client(uow, event, newer)


def welcome_family(uow: UnitOfWork, event: Event, newer: bool) -> None:
    """``family.welcome`` to each contact we may message, once per episode of care."""
    client = _current_client(uow, event, newer)
    if client is None:
        return
    admission = event.data["admission"]
    scheduled = []
    for contact in messageable_contacts(uow, client):
        message = schedule_family_message(
            uow,
            contact=contact,
            template="family.welcome",
            occurrence=f"episode:{admission['episode_id']}",
            due=max(admission["admitted_at"], utcnow()),
            context={"admitted_on": admission["admitted_on"]},
        )
        if message is not None and message.scheduled_for <= utcnow():
            scheduled.append(message.id)
    if scheduled:
        runtime = uow.runtime
        uow.after_commit(lambda: dispatch(runtime, ids=scheduled))


EVENT_HANDLERS = {
    "foundation.saved": [remember_foundation],
    "client.registered": [update_client],
    "client.updated": [update_client],
    "consent.changed": [update_client],
    "family_contact.saved": [update_client],
    "family_contact.removed": [update_client],
    "client.admitted": [welcome_family],
}
