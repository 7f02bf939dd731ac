"""The WHO ASSIST v3.1 questionnaire's shape: its substances, questions and answer options.

One definition for the intake service, which scores a completed questionnaire
(``services/intake/screening.py``), and the staff console, which asks it. Pure: nothing but
the standard library.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

TOBACCO: Final = "tobacco"
ALCOHOL: Final = "alcohol"

SUBSTANCES: Final[tuple[str, ...]] = (
    TOBACCO,
    ALCOHOL,
    "cannabis",
    "cocaine",
    "amphetamines",
    "inhalants",
    "sedatives",
    "hallucinogens",
    "opioids",
    "other",
)

#: Options of Q2–Q5 ("in the past three months, how often…"), in the WHO order.
FREQUENCY_OPTIONS: Final[tuple[str, ...]] = (
    "never",
    "once_or_twice",
    "monthly",
    "weekly",
    "daily_or_almost_daily",
)
#: Options of Q6–Q7 ("has anyone ever…", "have you ever tried and failed…").
LIFETIME_OPTIONS: Final[tuple[str, ...]] = (
    "never",
    "yes_past_3_months",
    "yes_not_past_3_months",
)

FREQUENCY_QUESTIONS: Final[tuple[str, ...]] = ("q2", "q3", "q4", "q5")
LIFETIME_QUESTIONS: Final[tuple[str, ...]] = ("q6", "q7")
ASSIST_QUESTIONS: Final[tuple[str, ...]] = FREQUENCY_QUESTIONS + LIFETIME_QUESTIONS
#: WHO does not ask Q5 ("failed to do what was normally expected") about tobacco.
NOT_ASKED: Final[Mapping[str, frozenset[str]]] = MappingProxyType({TOBACCO: frozenset({"q5"})})


def questions_asked(substance: str) -> tuple[str, ...]:
    """The questions asked about ``substance``: Q2–Q7, but no Q5 about tobacco."""
    skipped = NOT_ASKED.get(substance, frozenset())
    return tuple(q for q in ASSIST_QUESTIONS if q not in skipped)


def options_of(question: str) -> tuple[str, ...]:
    """The answers a question takes."""
    return FREQUENCY_OPTIONS if question in FREQUENCY_QUESTIONS else LIFETIME_OPTIONS
