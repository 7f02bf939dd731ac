"""Dates as a foundation's calendar has them."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo


def foundation_today(zone: str = "Asia/Jakarta") -> date:
    """Today in a foundation's calendar (the test foundations keep Jakarta's, the default):
    the day that date-only fields such as ``admitted_on`` are checked against. From 17:00
    UTC it is already tomorrow there, so a test never takes the machine's date for it."""
    return datetime.now(ZoneInfo(zone)).date()
