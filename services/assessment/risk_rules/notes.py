"""Rules on case notes: repeated notes of inconsistent behaviour or a closed attitude, and a
recent crisis note."""

from __future__ import annotations

from datetime import datetime
from typing import Final

from services.assessment.risk_rules.facts import ClientFacts, NoteFact, Thresholds, within_days
from services.assessment.risk_rules.reasons import Reason, iso_days
from shared.vocabulary import NoteKind, Obstacle, RiskLevel, RiskRule

#: The obstacles that tell of a client closing up or acting unlike themselves.
BEHAVIOUR_OBSTACLES: Final = frozenset({Obstacle.BEHAVIOUR_INCONSISTENCY, Obstacle.CLOSED_ATTITUDE})


def _days(facts: ClientFacts, notes: list[NoteFact]) -> list[str]:
    return iso_days(sorted({facts.local_day(n.recorded_at) for n in notes}))


def behaviour_notes(facts: ClientFacts, t: Thresholds, now: datetime) -> Reason | None:
    """Watch: at least ``behaviour_notes_count`` notes (of any kind) tagged
    behaviour_inconsistency or closed_attitude within the last ``behaviour_notes_days``
    days; it began with the note that made enough."""
    tagged = sorted(
        (
            n
            for n in facts.notes
            if n.obstacles & BEHAVIOUR_OBSTACLES
            and within_days(facts, n.recorded_at, now, t.behaviour_notes_days)
        ),
        key=lambda n: n.recorded_at,
    )
    if len(tagged) < t.behaviour_notes_count:
        return None
    return Reason(
        RiskRule.BEHAVIOUR_NOTES,
        RiskLevel.WATCH,
        since=tagged[t.behaviour_notes_count - 1].recorded_at,
        params={
            "count": len(tagged),
            "window_days": t.behaviour_notes_days,
            "days": _days(facts, tagged),
        },
    )


def crisis_note(facts: ClientFacts, t: Thresholds, now: datetime) -> Reason | None:
    """High: a crisis note within the last ``crisis_note_days`` days (since the first)."""
    crises = sorted(
        (
            n
            for n in facts.notes
            if n.kind == NoteKind.CRISIS
            and within_days(facts, n.recorded_at, now, t.crisis_note_days)
        ),
        key=lambda n: n.recorded_at,
    )
    if not crises:
        return None
    return Reason(
        RiskRule.CRISIS_NOTE,
        RiskLevel.HIGH,
        since=crises[0].recorded_at,
        params={"days": _days(facts, crises)},
    )
