"""Dates of a foundation's calendar (date-only fields are dates in its time zone)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from services.assessment.models import FoundationView
from shared.db import utcnow

DEFAULT_TIMEZONE = "Asia/Jakarta"


def zone_of(session: Session, foundation: str) -> ZoneInfo:
    view = session.get(FoundationView, foundation)
    return ZoneInfo(view.timezone if view else DEFAULT_TIMEZONE)


def local_today(session: Session, foundation: str) -> date:
    return utcnow().astimezone(zone_of(session, foundation)).date()


def day_bounds(zone: ZoneInfo, start: date, end: date) -> tuple[datetime, datetime]:
    """The instants (UTC) from the start of ``start`` to the end of ``end`` in ``zone``:
    a period of a report is days of the foundation's calendar."""
    return (
        datetime.combine(start, time.min, tzinfo=zone).astimezone(UTC),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone).astimezone(UTC),
    )
