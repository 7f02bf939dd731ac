"""What decides a data request's course (UU PDP 27/2022): pure rules, no framework.

- An answer is owed within 3 × 24 hours of the request (art. 32): :func:`due_by`.
- A request is late while open past that time, or when it was completed after it:
  :func:`is_late`. An erasure the retention sweep proposed owes nothing until an admin
  confirms it, so it is not late while it waits; its 72 hours run from the confirmation.
- A client's data is not erased while they are in care (admitted or placed):
  :func:`may_erase`. They are discharged first, so the episode's records stay whole.
- Every service answers an access request; an erasure is answered by the two consumers
  first, and intake erases last (it holds the request itself): :func:`is_answered`.
- Retention (art. 42–44): a discharged client's data is proposed for erasure once
  ``retention_years`` have passed since the latest discharge: :func:`retention_over`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Protocol

from shared.vocabulary import ClientStatus, DataRequestKind, DataRequestStatus

ANSWER_WITHIN = timedelta(hours=72)
SERVICES = frozenset({"intake", "assessment", "notifications"})
#: The services whose erasure comes before intake's own.
CONSUMERS = frozenset({"assessment", "notifications"})
IN_CARE = frozenset({ClientStatus.ADMITTED, ClientStatus.PLACED})


class RequestState(Protocol):
    """What the rules read of a request (a model row, or anything alike)."""

    kind: str
    status: str
    due_by: datetime
    confirmed_at: datetime | None
    completed_at: datetime | None


def due_by(opened_at: datetime) -> datetime:
    """When the answer is owed: 72 hours after ``opened_at``."""
    return opened_at + ANSWER_WITHIN


def may_erase(client_status: str) -> bool:
    """Whether a client in ``client_status`` may have their data erased (not in care)."""
    return client_status not in IN_CARE


def awaiting_confirmation(request: RequestState) -> bool:
    """An open erasure no admin has confirmed yet (the retention sweep's proposals)."""
    return (
        request.kind == DataRequestKind.ERASURE
        and request.status == DataRequestStatus.OPEN
        and request.confirmed_at is None
    )


def is_late(request: RequestState, now: datetime) -> bool:
    """Open past ``due_by`` (and not waiting for a confirmation), or completed after it."""
    if request.status == DataRequestStatus.COMPLETE:
        return request.completed_at is not None and request.completed_at > request.due_by
    if request.status == DataRequestStatus.OPEN:
        return not awaiting_confirmation(request) and now > request.due_by
    return False


def is_answered(kind: str, services: Iterable[str]) -> bool:
    """Whether the services that answered are all a request of ``kind`` waits for: every
    service for access; both consumers for an erasure (intake erases after them)."""
    answered = set(services)
    return (SERVICES if kind == DataRequestKind.ACCESS else CONSUMERS) <= answered


def add_years(day: date, years: int) -> date:
    """``day`` ``years`` later (29 February becomes 28 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def retention_over(discharged_on: date, retention_years: int, today: date) -> bool:
    """Whether a client discharged on ``discharged_on`` has been kept ``retention_years``
    by ``today`` (the day after the anniversary, the retention is over)."""
    return add_years(discharged_on, retention_years) < today
