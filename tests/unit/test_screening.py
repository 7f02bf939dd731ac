"""DAST-10 and WHO ASSIST v3.1 scoring: every band edge, the points table, every refusal."""

from __future__ import annotations

import itertools
from functools import cache

import pytest

from services.intake.screening import (
    ASSIST_MAX_SCORES,
    ASSIST_QUESTION_POINTS,
    ASSIST_RISK_BANDS,
    DAST_RISK_BANDS,
    FREQUENCY_OPTIONS,
    LIFETIME_OPTIONS,
    SUBSTANCES,
    AssistResult,
    DastResult,
    ScreeningError,
    questions_for,
    risk_for,
    score_assist,
    score_dast10,
)

# The WHO response card, written out independently of the module under test.
POINTS = {
    "q2": {"never": 0, "once_or_twice": 2, "monthly": 3, "weekly": 4, "daily_or_almost_daily": 6},
    "q3": {"never": 0, "once_or_twice": 3, "monthly": 4, "weekly": 5, "daily_or_almost_daily": 6},
    "q4": {"never": 0, "once_or_twice": 4, "monthly": 5, "weekly": 6, "daily_or_almost_daily": 7},
    "q5": {"never": 0, "once_or_twice": 5, "monthly": 6, "weekly": 7, "daily_or_almost_daily": 8},
    "q6": {"never": 0, "yes_past_3_months": 6, "yes_not_past_3_months": 3},
    "q7": {"never": 0, "yes_past_3_months": 6, "yes_not_past_3_months": 3},
}
ALL_QUESTIONS = ("q2", "q3", "q4", "q5", "q6", "q7")
NO_Q5 = ("q2", "q3", "q4", "q6", "q7")
NEVER = dict.fromkeys(ALL_QUESTIONS, "never")
NEVER_TOBACCO = dict.fromkeys(NO_Q5, "never")


def expected_score(answers: dict[str, str]) -> int:
    return sum(POINTS[q][option] for q, option in answers.items())


@cache
def answers_by_score(substance: str) -> dict[int, dict[str, str]]:
    """One valid answer set per reachable score, found by walking every combination."""
    questions = NO_Q5 if substance == "tobacco" else ALL_QUESTIONS
    found: dict[int, dict[str, str]] = {}
    for combo in itertools.product(*(POINTS[q] for q in questions)):
        answers = dict(zip(questions, combo, strict=True))
        if answers["q2"] == "never" and any(
            answers[q] != "never" for q in ("q3", "q4", "q5") if q in answers
        ):
            continue
        found.setdefault(expected_score(answers), answers)
    return found


def answers_for(substance: str, target: int) -> dict[str, str]:
    return dict(answers_by_score(substance)[target])


def assist_error(answers) -> ScreeningError:
    with pytest.raises(ScreeningError) as caught:
        score_assist(answers)
    return caught.value


# ---------------------------------------------------------------------------- DAST-10


def dast_answers(total: int) -> list[bool]:
    """Ten answers scoring ``total``: item 3 answered "no" (1 point), then yeses."""
    if total == 0:
        return [False, False, True] + [False] * 7
    others = [True] * (total - 1) + [False] * (10 - total)
    return others[:2] + [False] + others[2:]


@pytest.mark.parametrize(
    ("total", "risk"),
    [
        (0, "none"),
        (1, "low"),
        (2, "low"),
        (3, "moderate"),
        (5, "moderate"),
        (6, "substantial"),
        (8, "substantial"),
        (9, "severe"),
        (10, "severe"),
    ],
)
def test_dast10_band_edges(total, risk):
    answers = dast_answers(total)
    assert len(answers) == 10
    assert score_dast10(answers) == DastResult(score=total, risk=risk)
    assert score_dast10(tuple(answers)) == DastResult(score=total, risk=risk)


@pytest.mark.parametrize(
    ("answers", "score"),
    [
        ([False] * 10, 1),  # item 3 "no" is the only point
        ([True] * 10, 9),  # item 3 "yes" scores nothing
        ([False, False, True] + [False] * 7, 0),
        ([True, True, False] + [True] * 7, 10),
    ],
)
def test_dast10_item_3_is_reverse_scored(answers, score):
    assert score_dast10(answers).score == score


@pytest.mark.parametrize("index", [i for i in range(10) if i != 2])
def test_dast10_every_other_item_scores_yes(index):
    answers = [False, False, True] + [False] * 7
    answers[index] = True
    assert score_dast10(answers).score == 1


@pytest.mark.parametrize("length", [0, 9, 11])
def test_dast10_wrong_length(length):
    with pytest.raises(ScreeningError) as caught:
        score_dast10([False] * length)
    assert caught.value.field == "answers"


@pytest.mark.parametrize("bad", [1, 0, "yes", "no", None, 1.0, "true"])
@pytest.mark.parametrize("index", [0, 2, 9])
def test_dast10_rejects_non_bool(bad, index):
    answers: list[object] = [False] * 10
    answers[index] = bad
    with pytest.raises(ScreeningError) as caught:
        score_dast10(answers)  # type: ignore[arg-type]
    assert caught.value.field == f"answers.{index}"


@pytest.mark.parametrize(
    "bad", ["yesnoyesno", b"\x01" * 10, None, 10, {i: True for i in range(10)}]
)
def test_dast10_rejects_non_lists(bad):
    with pytest.raises(ScreeningError) as caught:
        score_dast10(bad)
    assert caught.value.field == "answers"


def test_dast10_bands_cover_every_total():
    covered = [t for band in DAST_RISK_BANDS for t in range(band.low, band.high + 1)]
    assert covered == list(range(11))


# ---------------------------------------------------------------------------- ASSIST


def test_points_table_constant_matches_who_card():
    assert {q: dict(p) for q, p in ASSIST_QUESTION_POINTS.items()} == POINTS
    assert tuple(POINTS["q2"]) == FREQUENCY_OPTIONS
    assert tuple(POINTS["q6"]) == LIFETIME_OPTIONS


POINTS_CASES = [(q, option, points) for q in ALL_QUESTIONS for option, points in POINTS[q].items()]


@pytest.mark.parametrize(("question", "option", "points"), POINTS_CASES)
def test_points_for_each_question_and_option(question, option, points):
    # q2 "once_or_twice" (2 points) keeps q3-q5 asked; everything else "never".
    answers = dict(NEVER, q2="once_or_twice")
    answers[question] = option
    base = 0 if question == "q2" else 2
    [result] = score_assist({"cannabis": answers})
    assert result.score == base + points


@pytest.mark.parametrize(
    ("substance", "score", "risk"),
    [
        ("alcohol", 0, "low"),
        ("alcohol", 10, "low"),
        ("alcohol", 11, "moderate"),
        ("alcohol", 26, "moderate"),
        ("alcohol", 27, "high"),
        ("alcohol", 39, "high"),
        ("cannabis", 0, "low"),
        ("cannabis", 3, "low"),
        ("cannabis", 4, "moderate"),
        ("cannabis", 26, "moderate"),
        ("cannabis", 27, "high"),
        ("cannabis", 39, "high"),
        ("tobacco", 3, "low"),
        ("tobacco", 4, "moderate"),
        ("tobacco", 26, "moderate"),
        ("tobacco", 27, "high"),
        ("tobacco", 31, "high"),
        ("opioids", 3, "low"),
        ("opioids", 4, "moderate"),
        ("opioids", 27, "high"),
    ],
)
def test_assist_band_edges_from_real_answers(substance, score, risk):
    answers = answers_for(substance, score)
    assert expected_score(answers) == score
    assert score_assist({substance: answers}) == [AssistResult(substance, score, risk)]
    assert risk_for(substance, score) == risk


@pytest.mark.parametrize(
    ("answers", "score"),
    [
        # Hand-picked: 2 + 3 + 0 + 0 + 3 + 3 = 11, alcohol's first moderate score.
        (
            {
                "q2": "once_or_twice",
                "q3": "once_or_twice",
                "q4": "never",
                "q5": "never",
                "q6": "yes_not_past_3_months",
                "q7": "yes_not_past_3_months",
            },
            11,
        ),
        # 6 + 6 + 7 + 8 + 0 + 0 = 27
        (
            {
                "q2": "daily_or_almost_daily",
                "q3": "daily_or_almost_daily",
                "q4": "daily_or_almost_daily",
                "q5": "daily_or_almost_daily",
                "q6": "never",
                "q7": "never",
            },
            27,
        ),
        # q2 never, q3-q5 skipped, lifetime problems: 0 + 3 + 0 = 3
        ({"q2": "never", "q6": "yes_not_past_3_months", "q7": "never"}, 3),
        # q2 never, both lifetime questions in the past 3 months: 6 + 6 = 12
        ({"q2": "never", "q6": "yes_past_3_months", "q7": "yes_past_3_months"}, 12),
    ],
)
def test_assist_hand_picked(answers, score):
    assert expected_score(answers) == score
    [result] = score_assist({"alcohol": answers})
    assert result.score == score


@pytest.mark.parametrize("substance", SUBSTANCES)
def test_every_score_the_questionnaire_can_reach(substance):
    reachable = answers_by_score(substance)
    assert max(reachable) == ASSIST_MAX_SCORES[substance]
    for score, answers in reachable.items():
        [result] = score_assist({substance: answers})
        assert result.score == score
        assert result.risk == risk_for(substance, score)


def test_every_score_is_reachable_but_one():
    # Sanity of the finder: 1 is the only score no answer set gives (smallest non-zero is 2).
    assert set(range(40)) - set(answers_by_score("cannabis")) == {1}
    assert set(range(32)) - set(answers_by_score("tobacco")) == {1}


def test_tobacco_has_no_q5_and_tops_out_at_31():
    assert questions_for("tobacco") == NO_Q5
    assert questions_for("cannabis") == ALL_QUESTIONS
    assert ASSIST_MAX_SCORES["tobacco"] == 31
    top = {
        "q2": "daily_or_almost_daily",
        "q3": "daily_or_almost_daily",
        "q4": "daily_or_almost_daily",
        "q6": "yes_past_3_months",
        "q7": "yes_past_3_months",
    }
    assert score_assist({"tobacco": top}) == [AssistResult("tobacco", 31, "high")]


@pytest.mark.parametrize("substance", [s for s in SUBSTANCES if s != "tobacco"])
def test_other_substances_top_out_at_39(substance):
    top = {q: max(POINTS[q], key=POINTS[q].__getitem__) for q in ALL_QUESTIONS}
    assert score_assist({substance: top}) == [AssistResult(substance, 39, "high")]


@pytest.mark.parametrize("substance", ["tobacco", "alcohol", "cannabis"])
@pytest.mark.parametrize(
    "skipped",
    [{}, {"q3": "never"}, {"q3": "never", "q4": "never"}],
)
def test_q2_never_skips_q3_to_q5(substance, skipped):
    answers = {"q2": "never", "q6": "yes_past_3_months", "q7": "yes_not_past_3_months", **skipped}
    [result] = score_assist({substance: answers})
    assert result.score == 9


def test_q2_never_may_state_q5_never_except_for_tobacco():
    answers = {"q2": "never", "q5": "never", "q6": "never", "q7": "never"}
    assert score_assist({"cocaine": answers}) == [AssistResult("cocaine", 0, "low")]
    assert assist_error({"tobacco": answers}).field == "answers.tobacco.q5"


def test_results_follow_substance_order_and_only_answered():
    answers = {
        "opioids": answers_for("opioids", 27),
        "alcohol": answers_for("alcohol", 11),
        "tobacco": answers_for("tobacco", 0),
    }
    assert score_assist(answers) == [
        AssistResult("tobacco", 0, "low"),
        AssistResult("alcohol", 11, "moderate"),
        AssistResult("opioids", 27, "high"),
    ]


def test_results_are_frozen():
    [result] = score_assist({"alcohol": NEVER})
    with pytest.raises(AttributeError):
        result.score = 1  # type: ignore[misc]
    with pytest.raises(AttributeError):
        score_dast10([False] * 10).risk = "none"  # type: ignore[misc]


def drop(answers: dict[str, str], question: str) -> dict[str, str]:
    return {q: o for q, o in answers.items() if q != question}


USED = dict(NEVER, q2="weekly")
USED_TOBACCO = dict(NEVER_TOBACCO, q2="weekly")

ASSIST_ERRORS = [
    pytest.param({}, "answers", id="empty"),
    pytest.param(None, "answers", id="not-a-mapping"),
    pytest.param([("alcohol", NEVER)], "answers", id="list"),
    pytest.param({"heroin": NEVER}, "answers.heroin", id="unknown-substance"),
    pytest.param({"alcohol": NEVER, "kratom": NEVER}, "answers.kratom", id="unknown-among-known"),
    pytest.param({"alcohol": "never"}, "answers.alcohol", id="substance-not-a-mapping"),
    pytest.param({"alcohol": dict(NEVER, q1="never")}, "answers.alcohol.q1", id="q1"),
    pytest.param({"alcohol": dict(NEVER, q8="never")}, "answers.alcohol.q8", id="q8"),
    pytest.param({"alcohol": dict(NEVER, Q2="never")}, "answers.alcohol.Q2", id="case"),
    pytest.param(
        {"tobacco": dict(USED_TOBACCO, q5="never")}, "answers.tobacco.q5", id="tobacco-q5-never"
    ),
    pytest.param(
        {"tobacco": dict(USED_TOBACCO, q5="weekly")}, "answers.tobacco.q5", id="tobacco-q5"
    ),
    pytest.param({"alcohol": dict(NEVER, q2="often")}, "answers.alcohol.q2", id="bad-q2"),
    pytest.param(
        {"alcohol": dict(USED, q5="yes_past_3_months")},
        "answers.alcohol.q5",
        id="lifetime-option-on-frequency",
    ),
    pytest.param(
        {"alcohol": dict(NEVER, q6="weekly")},
        "answers.alcohol.q6",
        id="frequency-option-on-lifetime",
    ),
    pytest.param({"alcohol": dict(NEVER, q7="yes")}, "answers.alcohol.q7", id="bad-q7"),
    pytest.param({"alcohol": dict(NEVER, q3=3)}, "answers.alcohol.q3", id="number"),
    pytest.param({"alcohol": dict(NEVER, q4=None)}, "answers.alcohol.q4", id="none"),
    pytest.param({"alcohol": dict(NEVER, q2="Never")}, "answers.alcohol.q2", id="case-of-option"),
    pytest.param(
        {"alcohol": dict(NEVER, q3="weekly")}, "answers.alcohol.q3", id="q2-never-q3-used"
    ),
    pytest.param(
        {"cannabis": dict(NEVER, q4="once_or_twice")}, "answers.cannabis.q4", id="q2-never-q4-used"
    ),
    pytest.param(
        {"cannabis": dict(NEVER, q5="daily_or_almost_daily")},
        "answers.cannabis.q5",
        id="q2-never-q5-used",
    ),
    pytest.param(
        {"tobacco": dict(NEVER_TOBACCO, q3="monthly")},
        "answers.tobacco.q3",
        id="tobacco-q2-never-q3-used",
    ),
    pytest.param({"alcohol": drop(NEVER, "q2")}, "answers.alcohol.q2", id="missing-q2"),
    pytest.param({"alcohol": drop(USED, "q3")}, "answers.alcohol.q3", id="missing-q3"),
    pytest.param({"alcohol": drop(USED, "q4")}, "answers.alcohol.q4", id="missing-q4"),
    pytest.param({"alcohol": drop(USED, "q5")}, "answers.alcohol.q5", id="missing-q5"),
    pytest.param({"alcohol": drop(USED, "q6")}, "answers.alcohol.q6", id="missing-q6"),
    pytest.param({"alcohol": drop(USED, "q7")}, "answers.alcohol.q7", id="missing-q7"),
    pytest.param({"alcohol": drop(NEVER, "q6")}, "answers.alcohol.q6", id="q2-never-missing-q6"),
    pytest.param({"alcohol": drop(NEVER, "q7")}, "answers.alcohol.q7", id="q2-never-missing-q7"),
    pytest.param(
        {"tobacco": drop(USED_TOBACCO, "q4")}, "answers.tobacco.q4", id="tobacco-missing-q4"
    ),
    pytest.param({"tobacco": {"q2": "never"}}, "answers.tobacco.q6", id="tobacco-missing-q6"),
    pytest.param({"opioids": {}}, "answers.opioids.q2", id="nothing-answered"),
]


@pytest.mark.parametrize(("answers", "field"), ASSIST_ERRORS)
def test_assist_errors_name_their_field(answers, field):
    error = assist_error(answers)
    assert error.field == field
    assert error.message
    assert str(error).startswith(field + ": ")
    assert isinstance(error, ValueError)


@pytest.mark.parametrize(
    ("substance", "score", "field"),
    [
        ("heroin", 0, "substance"),
        ("alcohol", -1, "score"),
        ("alcohol", 40, "score"),
        ("tobacco", 32, "score"),
        ("cannabis", 4.0, "score"),
        ("cannabis", True, "score"),
    ],
)
def test_risk_for_rejects_impossible_input(substance, score, field):
    with pytest.raises(ScreeningError) as caught:
        risk_for(substance, score)
    assert caught.value.field == field


@pytest.mark.parametrize("substance", SUBSTANCES)
def test_assist_bands_cover_every_score(substance):
    bands = ASSIST_RISK_BANDS[substance]
    covered = [s for band in bands for s in range(band.low, band.high + 1)]
    assert covered == list(range(ASSIST_MAX_SCORES[substance] + 1))
    assert [band.risk for band in bands] == ["low", "moderate", "high"]
