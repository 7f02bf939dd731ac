"""The audit log: who read or changed a client record, and when (insert-only)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.intake.models import AuditEntry
from shared.auth import Caller


def record(
    session: Session,
    caller: Caller,
    action: str,
    resource_type: str,
    resource_id: str | None = None,
    detail: str | None = None,
) -> None:
    """Add an entry in the caller's transaction: it exists only if the action happened."""
    session.add(entry(caller, action, resource_type, resource_id, detail))


def entry(
    caller: Caller,
    action: str,
    resource_type: str,
    resource_id: str | None = None,
    detail: str | None = None,
) -> AuditEntry:
    """An entry not yet added anywhere, for a caller that inserts it itself (in the
    transaction of the action, as ``record`` does)."""
    return AuditEntry(
        foundation=caller.foundation or "",
        actor=caller.sub,
        role=caller.role,
        action=action,
        resource_type=resource_type,
        resource_id=resource_id,
        detail=detail,
    )
