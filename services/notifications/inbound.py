"""Who asked to receive nothing more (STOP / BERHENTI)."""

from __future__ import annotations

from services.notifications.models import OptOut
from shared.crypto import cipher


def is_opted_out(session, foundation: str, address: str) -> bool:
    index = cipher().blind_index("address:" + address.strip().lower())
    return session.get(OptOut, (foundation, index)) is not None
