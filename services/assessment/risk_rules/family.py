"""The rule on what families answer: a post-discharge check-in asking for help."""

from __future__ import annotations

from datetime import datetime

from services.assessment.risk_rules.facts import ClientFacts, Thresholds, within_days
from services.assessment.risk_rules.reasons import Reason, iso_days
from shared.vocabulary import CheckinAnswer, RiskLevel, RiskRule


def family_needs_help(facts: ClientFacts, t: Thresholds, now: datetime) -> Reason | None:
    """High: a family answered a check-in with ``help`` within the last
    ``family_needs_help_days`` days (since the first such answer). Each follow-up keeps its
    family's latest answer: a ``help`` they took back with ``ok`` no longer counts."""
    asked = sorted(
        c.answered_at
        for c in facts.checkins
        if c.answer == CheckinAnswer.HELP
        and within_days(facts, c.answered_at, now, t.family_needs_help_days)
    )
    if not asked:
        return None
    return Reason(
        RiskRule.FAMILY_NEEDS_HELP,
        RiskLevel.HIGH,
        since=asked[0],
        params={"days": iso_days(sorted({facts.local_day(a) for a in asked}))},
    )
