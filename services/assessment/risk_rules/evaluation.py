"""Every rule over one client's facts: the reasons that hold, and the level they make (the
highest of theirs)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Final

from services.assessment.risk_rules.attendance import (
    consecutive_absences,
    missed_sessions,
    no_recent_session,
)
from services.assessment.risk_rules.facts import ClientFacts, Thresholds, current_episode
from services.assessment.risk_rules.family import family_needs_help
from services.assessment.risk_rules.notes import behaviour_notes, crisis_note
from services.assessment.risk_rules.outcomes import relapse_reported
from services.assessment.risk_rules.reasons import LEVEL_RANK, Reason
from shared.vocabulary import RiskLevel, RiskRule

Rule = Callable[[ClientFacts, Thresholds, datetime], Reason | None]

#: Each rule by its name (every name of the vocabulary has one).
RULES: Final[Mapping[RiskRule, Rule]] = {
    RiskRule.CONSECUTIVE_ABSENCES: consecutive_absences,
    RiskRule.MISSED_SESSIONS: missed_sessions,
    RiskRule.NO_RECENT_SESSION: no_recent_session,
    RiskRule.BEHAVIOUR_NOTES: behaviour_notes,
    RiskRule.CRISIS_NOTE: crisis_note,
    RiskRule.FAMILY_NEEDS_HELP: family_needs_help,
    RiskRule.RELAPSE_REPORTED: relapse_reported,
}


def evaluate(facts: ClientFacts, thresholds: Thresholds, now: datetime) -> list[Reason]:
    """The reasons that hold at ``now`` (an aware datetime) over the current episode's
    facts, most serious first, then oldest first."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    current = current_episode(facts)
    reasons = [
        reason for rule in RULES.values() if (reason := rule(current, thresholds, now)) is not None
    ]
    return sorted(reasons, key=lambda r: (-LEVEL_RANK[r.level], r.since))


def level_of(reasons: Iterable[Reason]) -> RiskLevel:
    """The highest level among ``reasons`` (``none`` when there is none)."""
    return max((r.level for r in reasons), key=LEVEL_RANK.__getitem__, default=RiskLevel.NONE)
