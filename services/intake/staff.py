"""Staff of a foundation, announced to the services that remind and alert them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from services.intake import audit
from services.intake.models import Staff
from shared.auth import Caller
from shared.codes import field_error
from shared.events.unit_of_work import UnitOfWork
from shared.problems import NotFound, ValidationFailed


def staff_event(staff: Staff) -> dict[str, Any]:
    return {
        "id": staff.id,
        "name": staff.name,
        "role": staff.role,
        "email": staff.email,
        "phone": staff.phone,
        "active": staff.active,
    }


def staff_query(foundation: str) -> Select:
    """The foundation's staff, in the order they were added."""
    return select(Staff).where(Staff.foundation == foundation).order_by(Staff.created_at, Staff.id)


def create_staff(uow: UnitOfWork, caller: Caller, data: dict[str, Any]) -> Staff:
    """Add a staff member to the caller's foundation; ``staff.saved`` tells the others."""
    staff = Staff(foundation=caller.foundation, **data)
    uow.session.add(staff)
    uow.session.flush()
    audit.record(uow.session, caller, "create", "staff", staff.id)
    uow.emit("staff.saved", subject=staff.id, foundation=caller.foundation, data=staff_event(staff))
    return staff


def update_staff(uow: UnitOfWork, caller: Caller, staff_id: str, changes: dict[str, Any]) -> Staff:
    """Change a staff member of the caller's foundation; ``staff.saved`` tells the others."""
    staff = uow.session.execute(
        select(Staff).where(Staff.id == staff_id, Staff.foundation == caller.foundation)
    ).scalar()
    if staff is None:
        raise NotFound(code="staff_not_found")
    for field, value in changes.items():
        setattr(staff, field, value)
    uow.session.flush()
    audit.record(uow.session, caller, "update", "staff", staff.id, ",".join(sorted(changes)))
    uow.emit("staff.saved", subject=staff.id, foundation=caller.foundation, data=staff_event(staff))
    return staff


def require_case_worker(session: Session, foundation: str, staff_id: str | None) -> str | None:
    """``staff_id`` if it names active staff of this foundation; else 422 on the field."""
    if staff_id is None:
        return None
    found = session.execute(
        select(Staff.id).where(
            Staff.id == staff_id, Staff.foundation == foundation, Staff.active.is_(True)
        )
    ).first()
    if found is None:
        raise ValidationFailed(errors={"case_worker_id": [field_error("staff_not_found")]})
    return staff_id
