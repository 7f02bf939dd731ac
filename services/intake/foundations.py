"""Foundations (tenants): created by operators, announced to the other services."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from services.intake.client_codes import code_prefix
from services.intake.models import Foundation
from shared.auth import Caller
from shared.events.unit_of_work import UnitOfWork
from shared.problems import Conflict, NotFound
from shared.vocabulary import Role

DEFAULT_TIMEZONE = "Asia/Jakarta"


def foundation_event(foundation: Foundation) -> dict[str, Any]:
    return {
        "id": foundation.id,
        "slug": foundation.slug,
        "name": foundation.name,
        "timezone": foundation.timezone,
        "locale": foundation.locale,
        "quiet_hours": {"start": foundation.quiet_start, "end": foundation.quiet_end},
        "sender_name": foundation.sender_name,
    }


def _announce(uow: UnitOfWork, foundation: Foundation) -> None:
    """``foundation.saved`` with the foundation's current settings, for the other services."""
    uow.emit(
        "foundation.saved",
        subject=foundation.id,
        foundation=foundation.slug,
        data=foundation_event(foundation),
    )


def create_foundation(uow: UnitOfWork, data: dict[str, Any]) -> Foundation:
    """Create a foundation; 409 ``foundation_slug_taken`` when the slug names one already."""
    session = uow.session
    if session.execute(select(Foundation.id).where(Foundation.slug == data["slug"])).first():
        raise Conflict(code="foundation_slug_taken", foundation_slug=data["slug"])
    foundation = Foundation(
        slug=data["slug"],
        name=data["name"],
        timezone=data["timezone"],
        locale=data["locale"],
        quiet_start=data["quiet_hours"]["start"],
        quiet_end=data["quiet_hours"]["end"],
        sender_name=data.get("sender_name") or data["name"][:60],
        code_prefix=code_prefix(data["slug"]),
    )
    session.add(foundation)
    session.flush()
    _announce(uow, foundation)
    return foundation


def update_foundation(uow: UnitOfWork, slug: str, changes: dict[str, Any]) -> Foundation:
    """Change a foundation's settings; the other services learn them from ``foundation.saved``.

    New quiet hours and time zone apply to messages scheduled from now on and to every
    send-time check; a message already deferred to the end of the old quiet hours keeps
    its time.
    """
    foundation = get_foundation(uow.session, slug)
    quiet = changes.pop("quiet_hours", None)
    if quiet is not None:
        foundation.quiet_start, foundation.quiet_end = quiet["start"], quiet["end"]
    for field, value in changes.items():
        setattr(foundation, field, value)
    uow.session.flush()
    _announce(uow, foundation)
    return foundation


def get_foundation(session: Session, slug: str) -> Foundation:
    """The foundation; 404 ``foundation_not_found`` when there is none."""
    foundation = session.execute(select(Foundation).where(Foundation.slug == slug)).scalar()
    if foundation is None:
        raise NotFound(code="foundation_not_found")
    return foundation


def visible_foundation(session: Session, caller: Caller, slug: str) -> Foundation:
    """The foundation as ``caller`` may see it: operators see any, staff only their own
    (another foundation does not exist for them)."""
    if caller.role != Role.OPERATOR and caller.foundation != slug:
        raise NotFound(code="foundation_not_found")
    return get_foundation(session, slug)


_BY_SLUG = select(Foundation).where(Foundation.slug == bindparam("slug"))  # built once


def find_foundation(session: Session, slug: str) -> Foundation | None:
    return session.execute(_BY_SLUG, {"slug": slug}).scalar()


class HasTimezone(Protocol):
    """A foundation, or a row of the columns a caller selected, with its time zone."""

    timezone: str


def local_today(foundation: HasTimezone | None, now: datetime) -> date:
    """Today in the foundation's calendar (date-only fields are dates of that calendar)."""
    zone = ZoneInfo(foundation.timezone if foundation else DEFAULT_TIMEZONE)
    return now.astimezone(zone).date()
