"""The rule on follow-up outcomes after discharge: a relapse reported."""

from __future__ import annotations

from datetime import datetime

from services.assessment.risk_rules.facts import ClientFacts, OutcomeFact, Thresholds
from services.assessment.risk_rules.reasons import Reason, iso_days
from shared.vocabulary import FollowupOutcome, RiskLevel, RiskRule


def relapse_reported(facts: ClientFacts, t: Thresholds, now: datetime) -> Reason | None:
    """High: the latest follow-up outcome is ``relapsed``; it holds until a later outcome
    (of any kind) is recorded, and began with the first of the relapses in a row."""
    run: list[OutcomeFact] = []
    for outcome in sorted(facts.outcomes, key=lambda o: o.recorded_at, reverse=True):
        if outcome.outcome != FollowupOutcome.RELAPSED:
            break
        run.insert(0, outcome)
    if not run:
        return None
    return Reason(
        RiskRule.RELAPSE_REPORTED,
        RiskLevel.HIGH,
        since=run[0].recorded_at,
        params={"days": iso_days(sorted({facts.local_day(o.recorded_at) for o in run}))},
    )
