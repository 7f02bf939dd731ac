"""Keeping what notifications knows of foundations, clients and family contacts current.

Client events carry the whole client, including only the family contacts that may be
messaged (none while ``contact_family`` consent is withdrawn). Applying a newer state
therefore also removes contacts that are gone, erases their details and cancels their
pending messages.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select

from services.notifications.addresses import optional_index
from services.notifications.consent import PROGRESS_TEMPLATES
from services.notifications.models import (
    ClientRecord,
    FamilyContact,
    FoundationProfile,
    StaffMember,
)
from services.notifications.scheduling import (
    cancel_pending,
    cancel_pending_family_messages,
    cancel_pending_for_contact,
    erase_contact_details,
)
from shared.events.unit_of_work import UnitOfWork

# A client's family contacts: all of them, to bring up to date; those of its foundation in
# a stable order, to message (built once; asked on every client event and every message).
_CONTACTS = select(FamilyContact).where(FamilyContact.client_id == bindparam("client_id"))
_MESSAGEABLE_CONTACTS = (
    select(FamilyContact)
    .where(
        FamilyContact.client_id == bindparam("client_id"),
        FamilyContact.foundation == bindparam("foundation"),
    )
    .order_by(FamilyContact.id)
)


class ForeignRecord(Exception):
    """An event names a record of another foundation: never applied."""


def save_foundation(uow: UnitOfWork, data: dict[str, Any]) -> None:
    profile = uow.session.get(FoundationProfile, data["slug"]) or FoundationProfile(
        slug=data["slug"]
    )
    profile.name = data["name"]
    profile.timezone = data["timezone"]
    profile.locale = data["locale"]
    profile.quiet_start = data["quiet_hours"]["start"]
    profile.quiet_end = data["quiet_hours"]["end"]
    profile.sender_name = data["sender_name"]
    uow.session.add(profile)


def save_staff(uow: UnitOfWork, foundation: str, data: dict[str, Any]) -> None:
    staff = uow.session.get(StaffMember, data["id"])
    if staff is not None and staff.foundation != foundation:
        raise ForeignRecord(data["id"])
    staff = staff or StaffMember(id=data["id"], foundation=foundation)
    staff.name = data["name"]
    staff.role = data["role"]
    staff.email = data.get("email")
    staff.phone = data.get("phone")
    staff.active = data["active"]
    uow.session.add(staff)


def apply_client_state(uow: UnitOfWork, foundation: str, state: dict[str, Any]) -> ClientRecord:
    session = uow.session
    client = session.get(ClientRecord, state["id"])
    if client is not None and client.foundation != foundation:
        raise ForeignRecord(state["id"])
    if client is None:
        client = ClientRecord(id=state["id"], foundation=foundation)
        session.add(client)
    client.code = state["code"]
    client.first_name = state["first_name"]
    client.status = state["status"]
    client.case_worker_id = state["case_worker_id"]
    client.episode_id = state["episode_id"]
    had_consent, had_share = bool(client.contact_family), bool(client.share_progress)
    client.contact_family = state["consent"]["contact_family"]
    client.share_progress = state["consent"]["share_progress"]
    if had_consent and not client.contact_family:
        cancel_pending_family_messages(uow, client.id, "consent_withdrawn")
    elif had_share and not client.share_progress:
        cancel_pending(
            uow, "share_progress_withdrawn", client_id=client.id, template=list(PROGRESS_TEMPLATES)
        )
    _sync_contacts(uow, client, state["family_contacts"])
    return client


def _sync_contacts(uow: UnitOfWork, client: ClientRecord, contacts: list[dict[str, Any]]) -> None:
    session = uow.session
    current = {c.id: c for c in session.execute(_CONTACTS, {"client_id": client.id}).scalars()}
    wanted = {c["id"]: c for c in contacts}
    for contact_id, contact in current.items():
        if contact_id not in wanted:
            cancel_pending_for_contact(uow, contact_id, "contact_removed")
            erase_contact_details(uow, contact_id)
            session.delete(contact)
    for contact_id, data in wanted.items():
        contact = current.get(contact_id) or FamilyContact(
            id=contact_id, client_id=client.id, foundation=client.foundation
        )
        contact.name = data["name"]
        contact.relationship_ = data.get("relationship")
        contact.phone = data.get("phone")
        contact.email = data.get("email")
        contact.phone_index = optional_index(contact.phone)
        contact.email_index = optional_index(contact.email)
        contact.channel = data["channel"]
        contact.locale = data["locale"]
        session.add(contact)
    session.flush()


def messageable_contacts(uow: UnitOfWork, client: ClientRecord) -> list[FamilyContact]:
    if not client.contact_family:
        return []
    params = {"client_id": client.id, "foundation": client.foundation}
    return list(uow.session.execute(_MESSAGEABLE_CONTACTS, params).scalars())
