"""Engagement after admission: did the client start treatment, engage in it, stay 90 days?

Pure rules over the facts of one episode of care (its admission day, the days of the
sessions the client attended, its discharge day) and the foundation's today. Every day is a
day of the foundation's calendar. The first two measures follow the Washington Circle's
initiation and engagement measures:

- **started**: the client's first attended session of the episode is no later than 14 days
  after admission (admission day = day 0, so days 0-14).
- **engaged**: started, and at least 2 more attended sessions (any kind, the same day
  counts) no later than 34 days after that first one.
- **retained 90 days**: the episode has not ended before day 90 (admission + 90 days): the
  client is still admitted or placed on that day, or was discharged on it or later for any
  reason (a completion after at least 90 days included). A discharge before day 90, whatever
  its reason, is not retention.

Only sessions inside the episode count (from admission to discharge, both days included);
an absence or an excused session is not attendance. A measure is ``pending`` while it can
still be met (its window is open and the episode has not ended); a rate counts only the
episodes whose measure is decided (met or missed), so a fresh admission does not lower it.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import TypeVar

START_WITHIN_DAYS = 14
ENGAGE_WITHIN_DAYS = 34
ENGAGE_MORE_SESSIONS = 2
RETAIN_DAYS = 90

K = TypeVar("K", bound=Hashable)


class Milestone(StrEnum):
    MET = "met"
    MISSED = "missed"
    PENDING = "pending"


@dataclass(frozen=True)
class EpisodeFacts:
    """One episode of care: ``attended_on`` holds the day of each attended session (one
    entry per session, any order; days outside the episode are ignored)."""

    admitted_on: date
    attended_on: tuple[date, ...] = ()
    discharged_on: date | None = None


@dataclass(frozen=True)
class Milestones:
    started: Milestone
    engaged: Milestone
    retained_90: Milestone


def _attended_in_episode(facts: EpisodeFacts) -> list[date]:
    last = facts.discharged_on or date.max
    return sorted(d for d in facts.attended_on if facts.admitted_on <= d <= last)


def _decided_by(window_end: date, facts: EpisodeFacts, today: date) -> Milestone:
    """What a measure not (yet) met is: missed once its window has passed or the episode
    ended, pending before."""
    if today > window_end or facts.discharged_on is not None:
        return Milestone.MISSED
    return Milestone.PENDING


def started(facts: EpisodeFacts, today: date) -> Milestone:
    """A first attended session no later than 14 days after admission."""
    days = _attended_in_episode(facts)
    window_end = facts.admitted_on + timedelta(days=START_WITHIN_DAYS)
    if days and days[0] <= window_end:
        return Milestone.MET
    return _decided_by(window_end, facts, today)


def engaged(facts: EpisodeFacts, today: date) -> Milestone:
    """Started, then 2 more attended sessions no later than 34 days after the first."""
    start = started(facts, today)
    if start is not Milestone.MET:
        return start
    first, *later = _attended_in_episode(facts)
    window_end = first + timedelta(days=ENGAGE_WITHIN_DAYS)
    if sum(1 for d in later if d <= window_end) >= ENGAGE_MORE_SESSIONS:
        return Milestone.MET
    return _decided_by(window_end, facts, today)


def retained_90(facts: EpisodeFacts, today: date) -> Milestone:
    """In care on day 90: not discharged before admission + 90 days."""
    day_90 = facts.admitted_on + timedelta(days=RETAIN_DAYS)
    if facts.discharged_on is not None:
        return Milestone.MET if facts.discharged_on >= day_90 else Milestone.MISSED
    return Milestone.MET if today >= day_90 else Milestone.PENDING


def milestones(facts: EpisodeFacts, today: date) -> Milestones:
    """The three measures of one episode, as of ``today``."""
    return Milestones(
        started=started(facts, today),
        engaged=engaged(facts, today),
        retained_90=retained_90(facts, today),
    )


@dataclass(frozen=True)
class Measure:
    """How many episodes met a measure, how many may still meet it, and the share met among
    those decided (``None`` while none is decided), to 3 decimals."""

    count: int
    pending: int
    rate: float | None


@dataclass(frozen=True)
class Tally:
    admitted: int
    started: Measure
    engaged: Measure
    retained_90: Measure


def _measure(outcomes: list[Milestone]) -> Measure:
    met = outcomes.count(Milestone.MET)
    pending = outcomes.count(Milestone.PENDING)
    decided = len(outcomes) - pending
    return Measure(count=met, pending=pending, rate=round(met / decided, 3) if decided else None)


def tally(episodes: Iterable[Milestones]) -> Tally:
    """Counts and rates of a group of episodes (each one admission)."""
    every = list(episodes)
    return Tally(
        admitted=len(every),
        started=_measure([m.started for m in every]),
        engaged=_measure([m.engaged for m in every]),
        retained_90=_measure([m.retained_90 for m in every]),
    )


def tally_by(episodes: Iterable[tuple[K, Milestones]]) -> dict[K, Tally]:
    """A tally per group, for episodes given with their group (a programme, a case worker)."""
    groups: dict[K, list[Milestones]] = {}
    for key, measured in episodes:
        groups.setdefault(key, []).append(measured)
    return {key: tally(group) for key, group in groups.items()}
