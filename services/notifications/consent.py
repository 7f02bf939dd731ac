"""Whether a family contact may be messaged now: while the client's ``contact_family``
consent holds and the contact may be contacted (a removed or barred contact is gone)."""

from __future__ import annotations

from services.notifications.models import ClientRecord, FamilyContact


def family_message_refusal(
    client: ClientRecord | None, contact: FamilyContact | None
) -> str | None:
    """``None`` when the message may go; else the reason it may not."""
    if client is None:
        return "client unknown"
    if not client.contact_family:
        return "consent to contact family withdrawn"
    if contact is None:
        return "family contact removed or may not be contacted"
    return None
