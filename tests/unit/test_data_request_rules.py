"""The rules of a data request's course (UU PDP): deadlines, lateness, who may be erased,
when every answer is in, and when retention is over."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from services.intake.data_request_rules import (
    add_years,
    awaiting_confirmation,
    due_by,
    is_answered,
    is_late,
    may_erase,
    retention_over,
)

OPENED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DUE = OPENED + timedelta(hours=72)


@dataclass
class Request:
    kind: str = "access"
    status: str = "open"
    due_by: datetime = DUE
    confirmed_at: datetime | None = None
    completed_at: datetime | None = None


def test_an_answer_is_due_three_days_of_24_hours_after_the_request():
    assert due_by(OPENED) == datetime(2026, 3, 5, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "erasable"),
    [("registered", True), ("admitted", False), ("placed", False), ("discharged", True)],
)
def test_a_client_in_care_is_not_erased(status, erasable):
    assert may_erase(status) is erasable


@pytest.mark.parametrize(
    ("request_", "waits"),
    [
        (Request(kind="erasure"), True),
        (Request(kind="erasure", confirmed_at=OPENED), False),
        (Request(kind="erasure", status="refused"), False),
        (Request(kind="access"), False),
    ],
)
def test_only_an_unconfirmed_open_erasure_awaits_confirmation(request_, waits):
    assert awaiting_confirmation(request_) is waits


LATER = DUE + timedelta(seconds=1)


@pytest.mark.parametrize(
    ("request_", "now", "late"),
    [
        (Request(), DUE, False),  # due at that very moment: not yet late
        (Request(), LATER, True),
        (Request(kind="erasure", confirmed_at=OPENED), LATER, True),
        (Request(kind="erasure"), LATER + timedelta(days=30), False),  # awaits an admin
        (Request(status="complete", completed_at=DUE), LATER, False),
        (Request(status="complete", completed_at=LATER), LATER, True),  # late for good
        (Request(status="refused"), LATER, False),
    ],
)
def test_late_while_open_past_due_or_when_completed_after_it(request_, now, late):
    assert is_late(request_, now) is late


@pytest.mark.parametrize(
    ("kind", "services", "answered"),
    [
        ("access", {"intake"}, False),
        ("access", {"intake", "assessment"}, False),
        ("access", {"intake", "assessment", "notifications"}, True),
        ("erasure", {"assessment"}, False),
        ("erasure", {"assessment", "notifications"}, True),  # intake erases then, last
    ],
)
def test_a_request_is_answered_when_the_parts_it_waits_for_are_in(kind, services, answered):
    assert is_answered(kind, services) is answered


@pytest.mark.parametrize(
    ("discharged_on", "years", "today", "over"),
    [
        (date(2020, 6, 1), 5, date(2025, 6, 1), False),  # five years to the day
        (date(2020, 6, 1), 5, date(2025, 6, 2), True),
        (date(2020, 6, 1), 5, date(2024, 12, 31), False),
        (date(2024, 2, 29), 1, date(2025, 2, 28), False),  # 29 February: the 28th after
        (date(2024, 2, 29), 1, date(2025, 3, 1), True),
        (date(2024, 2, 29), 4, date(2028, 3, 1), True),
    ],
)
def test_retention_is_over_the_day_after_its_last_anniversary(discharged_on, years, today, over):
    assert retention_over(discharged_on, years, today) is over


def test_years_are_added_in_the_calendar():
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert add_years(date(2024, 2, 29), -4) == date(2020, 2, 29)
    assert add_years(date(2026, 12, 7), -5) == date(2021, 12, 7)
