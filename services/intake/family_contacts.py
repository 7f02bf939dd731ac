"""A client's family contacts: who may be reached, how, and in which language.

A contact is reachable on its channel (a phone for SMS and WhatsApp, an address for email);
``may_contact: false`` keeps a relative on file who must never be contacted. Every change
publishes the client's state, whose contacts are the ones notifications may message;
removing a contact cancels its pending messages there (``family_contact.removed``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.intake.client_state import publish_client_state
from services.intake.clients import get_client
from services.intake.models import Client, FamilyContact
from shared.auth import Caller
from shared.codes import field_error
from shared.db import new_id, utcnow
from shared.events.unit_of_work import UnitOfWork
from shared.problems import Conflict, NotFound, ValidationFailed
from shared.vocabulary import FamilyChannel

#: Most family contacts one client has (the registration body's limit too).
MAX_FAMILY_CONTACTS = 20
#: The channels that reach a phone.
PHONE_CHANNELS = frozenset({FamilyChannel.SMS, FamilyChannel.WHATSAPP})


def new_contact(foundation: str, data: dict[str, Any], now: datetime) -> FamilyContact:
    """A family contact from a request body (not yet added to a client)."""
    return FamilyContact(
        id=new_id(),
        foundation=foundation,
        name=data["name"],
        relationship_=data["relationship"],
        phone=data.get("phone"),
        email=data.get("email"),
        channel=data["channel"],
        locale=data["locale"],
        may_contact=data["may_contact"],
        created_at=now,
    )


def _contact(client: Client, contact_id: str) -> FamilyContact:
    contact = next((c for c in client.family_contacts if c.id == contact_id), None)
    if contact is None:
        raise NotFound(code="family_contact_not_found")
    return contact


def unreachable(
    channel: str | None, phone: str | None, email: str | None
) -> tuple[str, str] | None:
    """``(field, message)`` when a contact cannot be reached on ``channel`` (a phone for SMS
    and WhatsApp, an address for email), else ``None``."""
    if channel in PHONE_CHANNELS and not phone:
        return "phone", field_error("phone_required_for_channel", channel=channel)
    if channel == FamilyChannel.EMAIL and not email:
        return "email", field_error("email_required_for_channel")
    return None


def _check_reachable(contact: FamilyContact) -> None:
    refused = unreachable(contact.channel, contact.phone, contact.email)
    if refused:
        field, message = refused
        raise ValidationFailed(errors={field: [message]})


def add_contact(
    uow: UnitOfWork, caller: Caller, client_id: str, data: dict[str, Any]
) -> FamilyContact:
    """Add a family contact; 409 ``too_many_family_contacts`` past the limit."""
    client = get_client(uow.session, caller.foundation, client_id, for_update=True)
    if len(client.family_contacts) >= MAX_FAMILY_CONTACTS:
        raise Conflict(code="too_many_family_contacts", limit=MAX_FAMILY_CONTACTS)
    contact = new_contact(client.foundation, data, utcnow())
    client.family_contacts.append(contact)
    publish_client_state(
        uow,
        caller,
        client,
        "family_contact.saved",
        action="create",
        resource_type="family_contact",
        detail=contact.id,
    )
    return contact


def update_contact(
    uow: UnitOfWork, caller: Caller, client_id: str, contact_id: str, data: dict[str, Any]
) -> FamilyContact:
    """Change a family contact; it must stay reachable on its channel."""
    client = get_client(uow.session, caller.foundation, client_id, for_update=True)
    contact = _contact(client, contact_id)
    for name, value in data.items():
        setattr(contact, "relationship_" if name == "relationship" else name, value)
    _check_reachable(contact)
    publish_client_state(
        uow,
        caller,
        client,
        "family_contact.saved",
        action="update",
        resource_type="family_contact",
        detail=contact.id,
    )
    return contact


def remove_contact(uow: UnitOfWork, caller: Caller, client_id: str, contact_id: str) -> None:
    """Remove a family contact; the event names it so its pending messages are cancelled."""
    client = get_client(uow.session, caller.foundation, client_id, for_update=True)
    contact = _contact(client, contact_id)
    client.family_contacts.remove(contact)
    uow.session.delete(contact)
    publish_client_state(
        uow,
        caller,
        client,
        "family_contact.removed",
        action="delete",
        resource_type="family_contact",
        detail=contact_id,
        removed_contact_id=contact_id,
    )
