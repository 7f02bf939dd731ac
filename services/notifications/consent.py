"""Whether a family contact may be messaged now: while the client's ``contact_family``
consent holds and the contact may be contacted (a removed or barred contact is gone); a
progress update, only while the client also agrees to share progress.

Pure: it reads two flags of the client and whether the contact is still there.
"""

from __future__ import annotations

from typing import Final, Protocol

# Family messages that tell how the client is doing: sent only with ``share_progress``.
PROGRESS_TEMPLATES: Final[frozenset[str]] = frozenset({"family.progress_update"})


class ConsentFlags(Protocol):
    """What the client agreed to (a client record, or the send decision's plain copy)."""

    @property
    def contact_family(self) -> bool: ...

    @property
    def share_progress(self) -> bool: ...


def family_message_refusal(
    client: ConsentFlags | None, contact: object | None, template: str = ""
) -> str | None:
    """``None`` when a family message of ``template`` may go to ``contact`` (``None``: the
    contact is gone or may not be contacted); else the reason code of why it may not."""
    if client is None:
        return "client_unknown"
    if not client.contact_family:
        return "consent_withdrawn"
    if contact is None:
        return "contact_removed"
    if template in PROGRESS_TEMPLATES and not client.share_progress:
        return "share_progress_withdrawn"
    return None
