"""Scoring of the two screening instruments taken at intake: DAST-10 and WHO ASSIST v3.1.

This module decides *only* the arithmetic and the risk band of a completed questionnaire;
what a foundation does with a band (brief intervention, referral, admission) is decided
elsewhere. It is pure: no I/O, no framework, nothing but the standard library and the
shared pure modules (the questionnaire's shape, the stable codes), so the HTTP layer,
workers and reports all score a questionnaire the same way.

Every rejection is a :class:`ScreeningError` naming the offending field as a path into the
submitted payload (``answers``, ``answers.2``, ``answers.alcohol.q3``), so an API can hand
it back to the person who filled the form in, with the message's stable code. Nothing is
guessed: a questionnaire that is incomplete, inconsistent or uses an unknown option is
refused rather than scored, because a silently wrong score would put a client in the wrong
risk band.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from shared.assist import (
    ALCOHOL,
    ASSIST_QUESTIONS,
    FREQUENCY_OPTIONS,
    FREQUENCY_QUESTIONS,
    LIFETIME_OPTIONS,
    LIFETIME_QUESTIONS,
    SUBSTANCES,
    TOBACCO,
    questions_asked,
)
from shared.codes import field_code, field_error

__all__ = [
    "ALCOHOL",
    "ASSIST_MAX_SCORES",
    "ASSIST_QUESTION_POINTS",
    "ASSIST_QUESTIONS",
    "ASSIST_RISK_BANDS",
    "ASSIST_RISK_LEVELS",
    "AssistResult",
    "DAST_ITEM_COUNT",
    "DAST_REVERSED_INDEX",
    "DAST_RISK_BANDS",
    "DAST_RISK_LEVELS",
    "DastResult",
    "FREQUENCY_OPTIONS",
    "FREQUENCY_QUESTIONS",
    "LIFETIME_OPTIONS",
    "LIFETIME_QUESTIONS",
    "RiskBand",
    "SKIPPED_WHEN_NEVER_USED",
    "SUBSTANCES",
    "ScreeningError",
    "TOBACCO",
    "questions_for",
    "risk_for",
    "score_assist",
    "score_dast10",
]


class ScreeningError(ValueError):
    """A questionnaire that cannot be scored; ``field`` is the path of the offending answer,
    ``message`` the field error (it carries its stable code: :attr:`code`)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message

    @property
    def code(self) -> str:
        """The field error's stable code (``assist_unknown_option``, ...)."""
        return field_code(self.message)


def _unknown_substance(substance: object) -> str:
    return field_error("assist_unknown_substance", substance=substance)


@dataclass(frozen=True)
class RiskBand:
    """Scores ``low``..``high`` (both inclusive) fall in the band called ``risk``."""

    low: int
    high: int
    risk: str

    def __contains__(self, score: object) -> bool:
        return isinstance(score, int) and self.low <= score <= self.high


def _band_for(bands: Sequence[RiskBand], score: int) -> str:
    for band in bands:
        if score in band:
            return band.risk
    raise AssertionError(f"no band for score {score}")  # pragma: no cover - bands are total


# --------------------------------------------------------------------------------------
# DAST-10 (Drug Abuse Screening Test, 10 items, yes/no)
# --------------------------------------------------------------------------------------

DAST_ITEM_COUNT: Final = 10
#: Item 3 ("Are you always able to stop using drugs when you want to?") is the only item
#: where "no" is the problem answer, so it scores 1 for ``False``. 0-based index.
DAST_REVERSED_INDEX: Final = 2

DAST_RISK_BANDS: Final[tuple[RiskBand, ...]] = (
    RiskBand(0, 0, "none"),
    RiskBand(1, 2, "low"),
    RiskBand(3, 5, "moderate"),
    RiskBand(6, 8, "substantial"),
    RiskBand(9, 10, "severe"),
)
DAST_RISK_LEVELS: Final[tuple[str, ...]] = tuple(band.risk for band in DAST_RISK_BANDS)


@dataclass(frozen=True)
class DastResult:
    """A DAST-10 total (0–10) and its risk band (one of :data:`DAST_RISK_LEVELS`)."""

    score: int
    risk: str


def score_dast10(answers: Sequence[bool]) -> DastResult:
    """Score ten DAST-10 yes/no answers (``True`` = "yes"), in questionnaire order.

    Each "yes" scores 1 except item 3 (index 2), where "no" scores 1. The total decides the
    band in :data:`DAST_RISK_BANDS`. Only real booleans are accepted: ``1``/``0`` or
    ``"yes"`` are refused, because a form that sends them has been mis-built and its
    meaning cannot be trusted. Errors name ``answers`` (wrong shape or length) or
    ``answers.<index>`` with the 0-based index of the bad answer in the list.
    """
    if isinstance(answers, (str, bytes)) or not isinstance(answers, Sequence):
        raise ScreeningError("answers", field_error("dast10_not_a_list", count=DAST_ITEM_COUNT))
    if len(answers) != DAST_ITEM_COUNT:
        raise ScreeningError(
            "answers",
            field_error("dast10_answer_count", count=DAST_ITEM_COUNT, given=len(answers)),
        )
    score = 0
    for index, answer in enumerate(answers):
        if not isinstance(answer, bool):
            raise ScreeningError(f"answers.{index}", field_error("dast10_not_boolean"))
        if index == DAST_REVERSED_INDEX:
            score += 0 if answer else 1
        else:
            score += 1 if answer else 0
    return DastResult(score=score, risk=_band_for(DAST_RISK_BANDS, score))


# --------------------------------------------------------------------------------------
# WHO ASSIST v3.1 (Alcohol, Smoking and Substance Involvement Screening Test)
# --------------------------------------------------------------------------------------

# the questionnaire's shape (substances, questions, options) is shared with the console
#: Past-three-month questions WHO skips when Q2 (use in the past three months) is "never".
SKIPPED_WHEN_NEVER_USED: Final[tuple[str, ...]] = ("q3", "q4", "q5")


def _points(options: tuple[str, ...], points: tuple[int, ...]) -> Mapping[str, int]:
    return MappingProxyType(dict(zip(options, points, strict=True)))


#: Points of every option of every question, as in the WHO ASSIST v3.1 response card.
ASSIST_QUESTION_POINTS: Final[Mapping[str, Mapping[str, int]]] = MappingProxyType(
    {
        "q2": _points(FREQUENCY_OPTIONS, (0, 2, 3, 4, 6)),
        "q3": _points(FREQUENCY_OPTIONS, (0, 3, 4, 5, 6)),
        "q4": _points(FREQUENCY_OPTIONS, (0, 4, 5, 6, 7)),
        "q5": _points(FREQUENCY_OPTIONS, (0, 5, 6, 7, 8)),
        "q6": _points(LIFETIME_OPTIONS, (0, 6, 3)),
        "q7": _points(LIFETIME_OPTIONS, (0, 6, 3)),
    }
)


def questions_for(substance: str) -> tuple[str, ...]:
    """The ASSIST questions asked about ``substance`` (all of Q2–Q7 but Q5 for tobacco)."""
    if substance not in SUBSTANCES:
        raise ScreeningError("substance", _unknown_substance(substance))
    return questions_asked(substance)


#: Highest possible involvement score per substance (39; 31 for tobacco, which has no Q5).
ASSIST_MAX_SCORES: Final[Mapping[str, int]] = MappingProxyType(
    {
        substance: sum(max(ASSIST_QUESTION_POINTS[q].values()) for q in questions_for(substance))
        for substance in SUBSTANCES
    }
)

ASSIST_RISK_LEVELS: Final[tuple[str, ...]] = ("low", "moderate", "high")


def _assist_bands(substance: str) -> tuple[RiskBand, ...]:
    # WHO: alcohol is "low" up to 10, every other substance up to 3; "high" from 27.
    low_max = 10 if substance == ALCOHOL else 3
    return (
        RiskBand(0, low_max, "low"),
        RiskBand(low_max + 1, 26, "moderate"),
        RiskBand(27, ASSIST_MAX_SCORES[substance], "high"),
    )


#: Risk bands per substance, bounded by the substance's highest possible score.
ASSIST_RISK_BANDS: Final[Mapping[str, tuple[RiskBand, ...]]] = MappingProxyType(
    {substance: _assist_bands(substance) for substance in SUBSTANCES}
)


@dataclass(frozen=True)
class AssistResult:
    """One substance's involvement score (sum of Q2–Q7) and its band (low/moderate/high)."""

    substance: str
    score: int
    risk: str


def risk_for(substance: str, score: int) -> str:
    """The ASSIST risk band of ``score`` for ``substance``.

    Alcohol: 0–10 low, 11–26 moderate, 27+ high; every other substance: 0–3 low, 4–26
    moderate, 27+ high. A score the questionnaire cannot produce (negative, above the
    substance's maximum, not an integer) is refused rather than banded.
    """
    if substance not in SUBSTANCES:
        raise ScreeningError("substance", _unknown_substance(substance))
    if isinstance(score, bool) or not isinstance(score, int):
        raise ScreeningError("score", field_error("assist_score_not_integer"))
    maximum = ASSIST_MAX_SCORES[substance]
    if not 0 <= score <= maximum:
        raise ScreeningError(
            "score",
            field_error(
                "assist_score_out_of_range", substance=substance, maximum=maximum, score=score
            ),
        )
    return _band_for(ASSIST_RISK_BANDS[substance], score)


def score_assist(answers: Mapping[str, Mapping[str, str]]) -> list[AssistResult]:
    """Score ASSIST answers given as ``{substance: {"q2": option, …, "q7": option}}``.

    Returns one result per substance answered, in :data:`SUBSTANCES` order. The involvement
    score is the sum of the points of Q2–Q7 (:data:`ASSIST_QUESTION_POINTS`).

    Following the WHO administration rules:

    * Q5 is never asked about tobacco, so tobacco answers must not contain ``q5``.
    * When Q2 is ``never`` (no use in the past three months) Q3–Q5 are skipped: missing
      ones score 0, and a non-``never`` answer to one of them contradicts Q2 and is refused.
      Q6 and Q7 ask about lifetime problems and are always required.
    * Otherwise every question asked about the substance is required.

    Errors name the offending path: ``answers`` (nothing answered or not a mapping),
    ``answers.<substance>`` (unknown substance or not a mapping) or
    ``answers.<substance>.<question>`` (unknown, not asked, missing, unknown option or
    inconsistent answer).
    """
    if not isinstance(answers, Mapping):
        raise ScreeningError("answers", field_error("assist_not_per_substance"))
    if not answers:
        raise ScreeningError("answers", field_error("assist_no_substance"))
    for substance in answers:
        if substance not in SUBSTANCES:
            raise ScreeningError(f"answers.{substance}", _unknown_substance(substance))
    return [
        _score_substance(substance, answers[substance])
        for substance in SUBSTANCES
        if substance in answers
    ]


def _score_substance(substance: str, given: Mapping[str, str]) -> AssistResult:
    path = f"answers.{substance}"
    if not isinstance(given, Mapping):
        raise ScreeningError(path, field_error("assist_not_per_question"))
    asked = questions_for(substance)

    for question, option in given.items():
        field = f"{path}.{question}"
        if question not in ASSIST_QUESTIONS:
            raise ScreeningError(field, field_error("assist_unknown_question", question=question))
        if question not in asked:
            raise ScreeningError(
                field,
                field_error("assist_question_not_asked", question=question, substance=substance),
            )
        points = ASSIST_QUESTION_POINTS[question]
        if not isinstance(option, str) or option not in points:
            raise ScreeningError(
                field,
                field_error("assist_unknown_option", option=option, options=", ".join(points)),
            )

    never_used = given.get("q2") == "never"
    score = 0
    for question in asked:
        field = f"{path}.{question}"
        answer = given.get(question)
        if never_used and question in SKIPPED_WHEN_NEVER_USED:
            if answer is not None and answer != "never":
                raise ScreeningError(
                    field,
                    field_error(
                        "assist_answered_though_not_used", answer=answer, substance=substance
                    ),
                )
            continue
        if answer is None:
            raise ScreeningError(field, field_error("assist_question_unanswered"))
        score += ASSIST_QUESTION_POINTS[question][answer]
    return AssistResult(substance=substance, score=score, risk=risk_for(substance, score))
