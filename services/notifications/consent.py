"""Whether a family contact may be messaged now: while the client's ``contact_family``
consent holds and the contact may be contacted (a removed or barred contact is gone); a
progress update, only while the client also agrees to share progress."""

from __future__ import annotations

from services.notifications.models import ClientRecord, FamilyContact

# Family messages that tell how the client is doing: sent only with ``share_progress``.
PROGRESS_TEMPLATES = frozenset({"family.progress_update"})
SHARE_PROGRESS_WITHDRAWN = "consent to share progress withdrawn"


def family_message_refusal(
    client: ClientRecord | None, contact: FamilyContact | None, template: str = ""
) -> str | None:
    """``None`` when the message may go; else the reason it may not."""
    if client is None:
        return "client unknown"
    if not client.contact_family:
        return "consent to contact family withdrawn"
    if contact is None:
        return "family contact removed or may not be contacted"
    if template in PROGRESS_TEMPLATES and not client.share_progress:
        return SHARE_PROGRESS_WITHDRAWN
    return None
