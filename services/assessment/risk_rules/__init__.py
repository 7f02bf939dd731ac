"""The early warning's rules: pure functions of one client's facts, the foundation's
thresholds and the time, each explaining itself (:class:`Reason`). Nothing here reads a
database or a clock: :mod:`services.assessment.risk_flags` gathers the facts and keeps the
result."""

from services.assessment.risk_rules.evaluation import RULES, evaluate, level_of
from services.assessment.risk_rules.facts import (
    BOUNDS,
    DEFAULT_THRESHOLDS,
    THRESHOLD_NAMES,
    AttendanceFact,
    CheckinFact,
    ClientFacts,
    NoteFact,
    OutcomeFact,
    Thresholds,
    thresholds_from,
)
from services.assessment.risk_rules.reasons import LEVEL_RANK, Reason, describe

__all__ = [
    "BOUNDS",
    "DEFAULT_THRESHOLDS",
    "LEVEL_RANK",
    "RULES",
    "THRESHOLD_NAMES",
    "AttendanceFact",
    "CheckinFact",
    "ClientFacts",
    "NoteFact",
    "OutcomeFact",
    "Reason",
    "Thresholds",
    "describe",
    "evaluate",
    "level_of",
    "thresholds_from",
]
