"""Quiet hours: the half-open local window [start, end) and deferral to its end."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from services.notifications.quiet_hours import (
    defer_past_quiet_hours,
    in_quiet_hours,
    parse_hhmm,
)

JKT = "Asia/Jakarta"  # UTC+7, no DST
WITA = "Asia/Makassar"  # UTC+8, no DST
WIT = "Asia/Jayapura"  # UTC+9, no DST
AMS = "Europe/Amsterdam"  # CET/CEST


def local(zone: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone))


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("22:00", time(22, 0)), ("07:00", time(7, 0)), ("00:00", time(0, 0)), ("6:05", time(6, 5))],
)
def test_parse_hhmm(value, expected):
    assert parse_hhmm(value) == expected


@pytest.mark.parametrize(
    ("at", "start", "end", "expected"),
    [
        # across midnight 22:00-07:00
        (time(21, 59), time(22, 0), time(7, 0), False),
        (time(22, 0), time(22, 0), time(7, 0), True),
        (time(23, 59, 59), time(22, 0), time(7, 0), True),
        (time(0, 0), time(22, 0), time(7, 0), True),
        (time(6, 59, 59), time(22, 0), time(7, 0), True),
        (time(7, 0), time(22, 0), time(7, 0), False),
        (time(12, 0), time(22, 0), time(7, 0), False),
        # same-day window 12:00-14:00
        (time(11, 59), time(12, 0), time(14, 0), False),
        (time(12, 0), time(12, 0), time(14, 0), True),
        (time(13, 59), time(12, 0), time(14, 0), True),
        (time(14, 0), time(12, 0), time(14, 0), False),
        (time(23, 0), time(12, 0), time(14, 0), False),
        # start == end: no quiet hours at all
        (time(0, 0), time(0, 0), time(0, 0), False),
        (time(22, 0), time(22, 0), time(22, 0), False),
        (time(12, 0), time(22, 0), time(22, 0), False),
    ],
)
def test_in_quiet_hours(at, start, end, expected):
    assert in_quiet_hours(at, start, end) is expected


# (case, zone, quiet start, quiet end, due in UTC, expected in UTC or None for "not deferred")
DEFER_CASES = [
    # Jakarta 22:00-07:00: local 22:00 = 15:00Z, local 07:00 = 00:00Z
    ("minute-before-start", JKT, "22:00", "07:00", "2026-03-10 14:59", None),
    ("at-start", JKT, "22:00", "07:00", "2026-03-10 15:00", "2026-03-11 00:00"),
    ("late-evening", JKT, "22:00", "07:00", "2026-03-10 16:30", "2026-03-11 00:00"),
    ("before-midnight", JKT, "22:00", "07:00", "2026-03-10 16:59:59", "2026-03-11 00:00"),
    ("midnight", JKT, "22:00", "07:00", "2026-03-10 17:00", "2026-03-11 00:00"),
    ("after-midnight", JKT, "22:00", "07:00", "2026-03-10 18:00", "2026-03-11 00:00"),
    ("minute-before-end", JKT, "22:00", "07:00", "2026-03-10 23:59", "2026-03-11 00:00"),
    ("at-end", JKT, "22:00", "07:00", "2026-03-11 00:00", None),
    ("midday", JKT, "22:00", "07:00", "2026-03-11 05:00", None),
    ("month-end", JKT, "22:00", "07:00", "2026-03-31 16:00", "2026-04-01 00:00"),
    ("year-end", JKT, "22:00", "07:00", "2026-12-31 15:30", "2027-01-01 00:00"),
    # same-day window 12:00-14:00 Jakarta (05:00Z-07:00Z)
    ("day-before", JKT, "12:00", "14:00", "2026-03-10 04:59", None),
    ("day-at-start", JKT, "12:00", "14:00", "2026-03-10 05:00", "2026-03-10 07:00"),
    ("day-before-end", JKT, "12:00", "14:00", "2026-03-10 06:59", "2026-03-10 07:00"),
    ("day-at-end", JKT, "12:00", "14:00", "2026-03-10 07:00", None),
    ("day-night", JKT, "12:00", "14:00", "2026-03-10 16:00", None),
    # start == end: no quiet hours
    ("none-22", JKT, "22:00", "22:00", "2026-03-10 15:00", None),
    ("none-00", JKT, "00:00", "00:00", "2026-03-10 17:00", None),
    # Makassar (UTC+8): 22:00 = 14:00Z, 07:00 = 23:00Z of the previous UTC day
    ("wita-before", WITA, "22:00", "07:00", "2026-03-10 13:59", None),
    ("wita-at-start", WITA, "22:00", "07:00", "2026-03-10 14:00", "2026-03-10 23:00"),
    ("wita-before-end", WITA, "22:00", "07:00", "2026-03-10 22:59", "2026-03-10 23:00"),
    ("wita-at-end", WITA, "22:00", "07:00", "2026-03-10 23:00", None),
    # Jayapura (UTC+9): 22:00 = 13:00Z, 07:00 = 22:00Z of the previous UTC day
    ("wit-before", WIT, "22:00", "07:00", "2026-03-10 12:59", None),
    ("wit-at-start", WIT, "22:00", "07:00", "2026-03-10 13:00", "2026-03-10 22:00"),
    ("wit-midnight", WIT, "22:00", "07:00", "2026-03-10 15:00", "2026-03-10 22:00"),
    ("wit-at-end", WIT, "22:00", "07:00", "2026-03-10 22:00", None),
    # Amsterdam winter (CET, UTC+1) and summer (CEST, UTC+2)
    ("cet-at-start", AMS, "22:00", "07:00", "2026-01-15 21:00", "2026-01-16 06:00"),
    ("cet-at-end", AMS, "22:00", "07:00", "2026-01-16 06:00", None),
    ("cest-before", AMS, "22:00", "07:00", "2026-07-15 19:59", None),
    ("cest-at-start", AMS, "22:00", "07:00", "2026-07-15 20:00", "2026-07-16 05:00"),
    # spring-forward night, 29 March 2026: 23:00 CET resumes at 07:00 CEST = 05:00Z
    ("dst-spring-evening", AMS, "22:00", "07:00", "2026-03-28 22:00", "2026-03-29 05:00"),
    ("dst-spring-night", AMS, "22:00", "07:00", "2026-03-29 00:30", "2026-03-29 05:00"),
    # fall-back night, 25 October 2026: 23:00 CEST resumes at 07:00 CET = 06:00Z
    ("dst-autumn-evening", AMS, "22:00", "07:00", "2026-10-24 21:00", "2026-10-25 06:00"),
]


@pytest.mark.parametrize(
    ("zone", "start", "end", "due", "expected"),
    [case[1:] for case in DEFER_CASES],
    ids=[case[0] for case in DEFER_CASES],
)
def test_defer_past_quiet_hours(zone, start, end, due, expected):
    due = utc(due)
    result = defer_past_quiet_hours(due, zone, start, end)
    expected = due if expected is None else utc(expected)
    assert result.tzinfo is not None
    assert result.utcoffset() is not None
    assert result == expected
    assert result >= due


@pytest.mark.parametrize(
    ("due", "expected_utc"),
    [
        (local(JKT, 2026, 3, 10, 23, 0), utc("2026-03-11 00:00")),
        (local(JKT, 2026, 3, 11, 6, 59), utc("2026-03-11 00:00")),
        (local(JKT, 2026, 3, 11, 9, 0), utc("2026-03-11 02:00")),
        (local(WIT, 2026, 3, 11, 1, 0), utc("2026-03-11 00:00")),
    ],
)
def test_non_utc_due_gives_the_same_instant(due, expected_utc):
    result = defer_past_quiet_hours(due, JKT, "22:00", "07:00")
    assert result.utcoffset() is not None
    assert result == expected_utc


@pytest.mark.parametrize(
    ("due", "start", "end", "expected"),
    [
        # 25 October 2026, Amsterdam: 02:00-03:00 local happens twice (CEST, then CET).
        # First pass, 02:10 CEST = 00:10Z: quiet until 02:30 CEST = 00:30Z.
        pytest.param(
            utc("2026-10-25 00:10"), "01:00", "02:30", utc("2026-10-25 00:30"), id="fold-first-pass"
        ),
        # Second pass, 02:10 CET = 01:10Z: quiet until 02:30 CET = 01:30Z, never earlier than due.
        pytest.param(
            utc("2026-10-25 01:10"),
            "01:00",
            "02:30",
            utc("2026-10-25 01:30"),
            id="fold-second-pass",
        ),
    ],
)
def test_defer_in_the_repeated_autumn_hour(due, start, end, expected):
    result = defer_past_quiet_hours(due, AMS, start, end)
    assert result >= due
    assert result == expected
