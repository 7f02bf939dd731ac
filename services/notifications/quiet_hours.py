"""Quiet hours: no message (but a crisis alert) reaches a phone in the foundation's night.

Quiet hours are the half-open local interval ``[start, end)``, which may cross midnight;
``start == end`` means none. A message due inside them waits for their end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

#: Templates that go at once, night or not: a crisis, or a family asking for help, does not
#: wait for the morning.
QUIET_HOURS_EXEMPT: Final[frozenset[str]] = frozenset(
    {"staff.crisis_alert", "staff.family_needs_help"}
)


@dataclass(frozen=True)
class Calendar:
    """A foundation's time zone, quiet hours (``"HH:MM"``, local) and locale."""

    timezone: str
    quiet_start: str
    quiet_end: str
    locale: str


def parse_hhmm(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def in_quiet_hours(local: time, start: time, end: time) -> bool:
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end


def defer_past_quiet_hours(due: datetime, timezone: str, start: str, end: str) -> datetime:
    """``due`` (aware) if it falls outside quiet hours, else the moment they end (in
    ``due``'s zone). When the end is a local time that occurs twice (a DST fall-back), the
    occurrence after ``due`` is taken."""
    zone = ZoneInfo(timezone)
    local = due.astimezone(zone)
    quiet_start, quiet_end = parse_hhmm(start), parse_hhmm(end)
    if not in_quiet_hours(local.time().replace(tzinfo=None), quiet_start, quiet_end):
        return due
    end_day = local.date()
    if local.time().replace(tzinfo=None) >= quiet_end and quiet_start > quiet_end:
        end_day = end_day + timedelta(days=1)
    resume = datetime.combine(end_day, quiet_end, tzinfo=zone)
    if resume <= due:
        resume = resume.replace(fold=1)
    return resume.astimezone(due.tzinfo)
