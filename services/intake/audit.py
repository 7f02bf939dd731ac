"""The audit log: who read or changed a client record, and when (insert-only)."""

from __future__ import annotations

from sqlalchemy import Select, select
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


def log_query(foundation: str, resource_id: str | None = None) -> Select:
    """The foundation's audit log, newest first; ``resource_id`` narrows it to one record."""
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.foundation == foundation)
        .order_by(AuditEntry.at.desc(), AuditEntry.id)
    )
    if resource_id:
        stmt = stmt.where(AuditEntry.resource_id == resource_id)
    return stmt
