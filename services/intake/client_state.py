"""What other services may know of a client: the payload of every client event.

Consumers need a client's status, case worker and consent everywhere; the notifications
service also needs family contact details, but only for contacts it may message: while the
client's ``contact_family`` consent holds and the contact's ``may_contact`` is true. Nothing
else personal (NIK, address, date of birth, substances) ever leaves intake in an event.
"""

from __future__ import annotations

from typing import Any

from services.intake.models import Client


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
