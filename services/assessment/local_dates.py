"""Dates of a foundation's calendar (date-only fields are dates in its time zone)."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from services.assessment.models import FoundationView
from shared.db import utcnow

DEFAULT_TIMEZONE = "Asia/Jakarta"


def local_today(session: Session, foundation: str) -> date:
    view = session.get(FoundationView, foundation)
    return utcnow().astimezone(ZoneInfo(view.timezone if view else DEFAULT_TIMEZONE)).date()
