"""What the early warning's rules look at: one client's recent facts, and the foundation's
thresholds for them.

The facts are plain values (no database rows), so every rule is a pure function of
``(facts, thresholds, now)``. Only the client's current episode counts: a readmission
starts a fresh window, whatever happened before (see :func:`current_episode`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, time
from typing import Final
from zoneinfo import ZoneInfo

from shared.vocabulary import Attendance, CheckinAnswer, FollowupOutcome, NoteKind, Obstacle


@dataclass(frozen=True)
class AttendanceFact:
    """A recorded attendance at a session (one that was not cancelled counts)."""

    session_starts_at: datetime
    status: Attendance
    session_cancelled: bool = False


@dataclass(frozen=True)
class NoteFact:
    recorded_at: datetime
    kind: NoteKind
    obstacles: frozenset[Obstacle] = frozenset()


@dataclass(frozen=True)
class OutcomeFact:
    """A follow-up's recorded outcome (after discharge)."""

    recorded_at: datetime
    outcome: FollowupOutcome


@dataclass(frozen=True)
class CheckinFact:
    """A family's answer to a follow-up's check-in message."""

    answered_at: datetime
    answer: CheckinAnswer


@dataclass(frozen=True)
class ClientFacts:
    """One client's facts. ``zone`` is the foundation's time zone: a rule's "days" are days
    of its calendar. ``in_care``: admitted or placed (attendance rules hold only then).
    ``admitted_on``: the current episode's admission day (None: never admitted)."""

    zone: ZoneInfo
    in_care: bool
    admitted_on: date | None
    attendances: tuple[AttendanceFact, ...] = ()
    notes: tuple[NoteFact, ...] = ()
    outcomes: tuple[OutcomeFact, ...] = ()
    checkins: tuple[CheckinFact, ...] = ()

    def local_day(self, moment: datetime) -> date:
        """The day of the foundation's calendar ``moment`` falls on."""
        return moment.astimezone(self.zone).date()

    def start_of(self, day: date) -> datetime:
        """The first instant of ``day`` in the foundation's calendar."""
        return datetime.combine(day, time.min, tzinfo=self.zone)


def current_episode(facts: ClientFacts) -> ClientFacts:
    """The facts of the current episode only: nothing before its admission day, and no
    attendance at a session that was cancelled. A client never admitted keeps its facts."""
    if facts.admitted_on is None:
        start = None
    else:
        start = facts.start_of(facts.admitted_on)

    def counts(moment: datetime) -> bool:
        return start is None or moment >= start

    return replace(
        facts,
        attendances=tuple(
            a for a in facts.attendances if not a.session_cancelled and counts(a.session_starts_at)
        ),
        notes=tuple(n for n in facts.notes if counts(n.recorded_at)),
        outcomes=tuple(o for o in facts.outcomes if counts(o.recorded_at)),
        checkins=tuple(c for c in facts.checkins if counts(c.answered_at)),
    )


def within_days(facts: ClientFacts, moment: datetime, now: datetime, days: int) -> bool:
    """Whether ``moment`` falls within the last ``days`` calendar days up to ``now``
    (today counts as the first of them)."""
    return (facts.local_day(now) - facts.local_day(moment)).days < days


@dataclass(frozen=True)
class Thresholds:
    """A foundation's thresholds for the rules; these defaults apply to any it leaves out."""

    #: the last N recorded attendances all absent → high
    consecutive_absences: int = 2
    #: at least N absent ...
    missed_sessions_absent: int = 2
    #: ... among the last M recorded → watch
    missed_sessions_last: int = 4
    #: in care, no attended session in the last N days (counted from admission) → watch
    no_recent_session_days: int = 14
    #: at least N notes tagged behaviour_inconsistency or closed_attitude ...
    behaviour_notes_count: int = 2
    #: ... within the last M days → watch
    behaviour_notes_days: int = 14
    #: a crisis note within the last N days → high
    crisis_note_days: int = 7
    #: a family's check-in asking for help within the last N days → high
    family_needs_help_days: int = 30


DEFAULT_THRESHOLDS: Final = Thresholds()

#: The sane range of each threshold (inclusive).
BOUNDS: Final[Mapping[str, tuple[int, int]]] = {
    "consecutive_absences": (2, 10),
    "missed_sessions_absent": (1, 20),
    "missed_sessions_last": (2, 50),
    "no_recent_session_days": (1, 180),
    "behaviour_notes_count": (1, 20),
    "behaviour_notes_days": (1, 180),
    "crisis_note_days": (1, 90),
    "family_needs_help_days": (1, 365),
}
THRESHOLD_NAMES: Final = tuple(f.name for f in fields(Thresholds))


def thresholds_from(stored: Mapping[str, object]) -> Thresholds:
    """The thresholds a foundation keeps, read tolerantly: a name unknown, a value not a
    whole number within its bounds, or an absent count above its window falls back to the
    default (the API refuses such values; this guards what is already stored)."""
    chosen: dict[str, int] = {}
    for name in THRESHOLD_NAMES:
        value = stored.get(name)
        low, high = BOUNDS[name]
        if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
            chosen[name] = value
    thresholds = replace(DEFAULT_THRESHOLDS, **chosen)
    if thresholds.missed_sessions_absent > thresholds.missed_sessions_last:
        thresholds = replace(
            thresholds,
            missed_sessions_absent=DEFAULT_THRESHOLDS.missed_sessions_absent,
            missed_sessions_last=DEFAULT_THRESHOLDS.missed_sessions_last,
        )
    return thresholds
