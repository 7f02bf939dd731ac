"""Staff of a foundation, announced to the services that remind and alert them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.intake import audit
from services.intake.models import Staff
from shared.auth import Caller
from shared.events.outbox import UnitOfWork
from shared.problems import ValidationFailed


def staff_event(staff: Staff) -> dict[str, Any]:
    return {
        "id": staff.id,
        "name": staff.name,
        "role": staff.role,
        "email": staff.email,
        "phone": staff.phone,
        "active": staff.active,
    }


def create_staff(uow: UnitOfWork, caller: Caller, data: dict[str, Any]) -> Staff:
    staff = Staff(foundation=caller.foundation, **data)
    uow.session.add(staff)
    uow.session.flush()
    audit.record(uow.session, caller, "create", "staff", staff.id)
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
        raise ValidationFailed(errors={"case_worker_id": ["No such staff member."]})
    return staff_id
