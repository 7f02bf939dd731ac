"""Level of care from the six ASAM dimensions: every boundary, every rating, every refusal."""

from __future__ import annotations

import itertools

import pytest

from services.assessment.level_of_care import (
    DIMENSIONS,
    LEVELS,
    RatingError,
    recommend_level,
    resolve_level,
)
from shared.codes import field_code

# Written out here rather than imported, so a change to the module's tuples is noticed.
ORDER = (
    "withdrawal",
    "biomedical",
    "emotional_behavioral",
    "readiness_to_change",
    "relapse_potential",
    "recovery_environment",
)
MEDICAL = ("withdrawal", "biomedical")
NON_MEDICAL = (
    "emotional_behavioral",
    "readiness_to_change",
    "relapse_potential",
    "recovery_environment",
)
LEVEL_ORDER = ("outpatient", "intensive_outpatient", "residential", "medically_managed")


def ratings(values: list[int] | tuple[int, ...] | None = None, /, **named: int) -> dict[str, int]:
    """Six ratings in form order (all 0 unless given), then any named ones on top."""
    result = dict(zip(ORDER, values or (0,) * 6, strict=True))
    result.update(named)
    return result


def expected_level(values: tuple[int, ...]) -> str:
    """The rule restated plainly, independent of the module under test."""
    withdrawal, biomedical, emotional, readiness, relapse, environment = values
    if withdrawal >= 3 or biomedical >= 3:
        return "medically_managed"
    if max(emotional, readiness, relapse, environment) >= 3 or sum(values) >= 12:
        return "residential"
    if max(values) >= 2:
        return "intensive_outpatient"
    return "outpatient"


def rating_error(value) -> RatingError:
    with pytest.raises(RatingError) as caught:
        recommend_level(value)
    return caught.value


def resolve_error(recommended, override, reason) -> RatingError:
    with pytest.raises(RatingError) as caught:
        resolve_level(recommended, override, reason)
    return caught.value


def test_published_tuples() -> None:
    assert DIMENSIONS == ORDER
    assert LEVELS == LEVEL_ORDER


# ---------------------------------------------------------------------------- boundaries


@pytest.mark.parametrize(
    ("values", "level"),
    [
        ([0, 0, 0, 0, 0, 0], "outpatient"),
        ([1, 1, 1, 1, 1, 1], "outpatient"),
        ([2, 2, 2, 2, 2, 1], "intensive_outpatient"),  # total 11, nothing severe
        ([1, 2, 2, 2, 2, 2], "intensive_outpatient"),  # total 11, the 1 elsewhere
        ([2, 2, 2, 2, 2, 2], "residential"),  # total 12, nothing severe
        ([4, 4, 4, 4, 4, 4], "medically_managed"),
    ],
    ids=["zeros", "ones", "sum-11", "sum-11-withdrawal-1", "sum-12", "all-4s"],
)
def test_named_cases(values: list[int], level: str) -> None:
    assert recommend_level(ratings(values)) == level


@pytest.mark.parametrize("dimension", ORDER)
def test_single_one_is_outpatient(dimension: str) -> None:
    assert recommend_level(ratings(**{dimension: 1})) == "outpatient"


@pytest.mark.parametrize("dimension", ORDER)
def test_single_two_is_intensive_outpatient(dimension: str) -> None:
    assert recommend_level(ratings(**{dimension: 2})) == "intensive_outpatient"


@pytest.mark.parametrize("rating", [3, 4])
@pytest.mark.parametrize("dimension", NON_MEDICAL)
def test_severe_non_medical_dimension_is_residential(dimension: str, rating: int) -> None:
    assert recommend_level(ratings(**{dimension: 2})) == "intensive_outpatient"
    assert recommend_level(ratings(**{dimension: rating})) == "residential"


@pytest.mark.parametrize("rating", [3, 4])
@pytest.mark.parametrize("dimension", MEDICAL)
def test_severe_medical_dimension_is_medically_managed(dimension: str, rating: int) -> None:
    assert recommend_level(ratings(**{dimension: 2})) == "intensive_outpatient"
    assert recommend_level(ratings(**{dimension: rating})) == "medically_managed"


@pytest.mark.parametrize("other", NON_MEDICAL)
@pytest.mark.parametrize("dimension", MEDICAL)
def test_medically_managed_wins_over_a_severe_other_dimension(dimension: str, other: str) -> None:
    assert recommend_level(ratings(**{other: 4})) == "residential"
    assert recommend_level(ratings(**{dimension: 3, other: 4})) == "medically_managed"


@pytest.mark.parametrize("dimension", MEDICAL)
def test_medically_managed_wins_over_a_residential_total(dimension: str) -> None:
    assert recommend_level(ratings([2, 2, 2, 2, 2, 2])) == "residential"
    assert recommend_level(ratings([2, 2, 2, 2, 2, 2], **{dimension: 3})) == "medically_managed"


@pytest.mark.parametrize("dimension", MEDICAL)
def test_medical_dimension_at_2_only_counts_towards_the_total(dimension: str) -> None:
    # 2 in a medical dimension plus 2 elsewhere: total 11 stays intensive outpatient ...
    assert recommend_level(ratings([2, 2, 2, 2, 2, 1], **{dimension: 2})) == "intensive_outpatient"
    # ... and total 12 tips into residential, not medically managed.
    assert recommend_level(ratings([2, 2, 2, 2, 2, 2], **{dimension: 2})) == "residential"


def test_ratings_in_any_key_order() -> None:
    given = dict(reversed(list(ratings([0, 0, 0, 0, 0, 3]).items())))
    assert recommend_level(given) == "residential"


def test_every_combination_matches_the_rule() -> None:
    """All 5**6 rating sets: the module agrees with the plain restatement, with no gap."""
    seen: dict[str, int] = dict.fromkeys(LEVEL_ORDER, 0)
    for values in itertools.product(range(5), repeat=6):
        level = recommend_level(dict(zip(ORDER, values, strict=True)))
        assert level == expected_level(values), values
        seen[level] += 1
    assert sum(seen.values()) == 5**6
    assert all(seen.values()), seen


def test_raising_a_rating_never_lowers_the_level() -> None:
    """Monotonic: a worse rating in any dimension never recommends less intensive care."""
    rank = {level: index for index, level in enumerate(LEVEL_ORDER)}
    levels = {
        values: rank[recommend_level(dict(zip(ORDER, values, strict=True)))]
        for values in itertools.product(range(5), repeat=6)
    }
    for values, level in levels.items():
        for index in range(6):
            if values[index] < 4:
                higher = values[:index] + (values[index] + 1,) + values[index + 1 :]
                assert levels[higher] >= level, (values, higher)


# ---------------------------------------------------------------------------- refusals


@pytest.mark.parametrize("dimension", ORDER)
def test_missing_dimension(dimension: str) -> None:
    given = ratings()
    del given[dimension]
    error = rating_error(given)
    assert error.field == f"dimensions.{dimension}"
    assert error.message == "This dimension must be rated."


def test_empty_ratings_name_the_first_dimension() -> None:
    assert rating_error({}).field == "dimensions.withdrawal"


@pytest.mark.parametrize("key", ["mood", "Withdrawal", "withdrawal "])
def test_unknown_dimension(key: str) -> None:
    error = rating_error({**ratings(), key: 1})
    assert error.field == f"dimensions.{key}"
    assert key in error.message


def test_unknown_dimension_reported_before_missing_one() -> None:
    error = rating_error({"with_drawal": 1})
    assert error.field == "dimensions.with_drawal"


def test_non_string_key_is_unknown() -> None:
    error = rating_error({**ratings(), 7: 1})
    assert error.field == "dimensions.7"


@pytest.mark.parametrize(
    "value",
    [True, False, 2.0, 1.5, "2", None, [2]],
    ids=["true", "false", "float-2", "float-1.5", "str", "none", "list"],
)
@pytest.mark.parametrize("dimension", ORDER)
def test_not_an_int(dimension: str, value: object) -> None:
    error = rating_error({**ratings(), dimension: value})
    assert error.field == f"dimensions.{dimension}"
    assert "whole number" in error.message


@pytest.mark.parametrize("value", [-1, 5, 100, -100])
@pytest.mark.parametrize("dimension", ORDER)
def test_out_of_range(dimension: str, value: int) -> None:
    error = rating_error(ratings(**{dimension: value}))
    assert error.field == f"dimensions.{dimension}"
    assert str(value) in error.message


@pytest.mark.parametrize("value", [None, [0, 0, 0, 0, 0, 0], "withdrawal", 0])
def test_not_a_mapping(value: object) -> None:
    assert rating_error(value).field == "dimensions"


def test_first_bad_dimension_in_form_order_is_reported() -> None:
    error = rating_error(ratings(recovery_environment=9, biomedical=9))
    assert error.field == "dimensions.biomedical"


def test_error_is_a_value_error_with_field_in_text() -> None:
    error = rating_error(ratings(withdrawal=5))
    assert isinstance(error, ValueError)
    assert str(error).startswith("dimensions.withdrawal: ")


# ---------------------------------------------------------------------------- resolve_level


@pytest.mark.parametrize("recommended", LEVEL_ORDER)
@pytest.mark.parametrize("reason", [None, "", "   "], ids=["none", "empty", "blank"])
def test_no_override_keeps_the_recommendation(recommended: str, reason: str | None) -> None:
    assert resolve_level(recommended, None, reason) == recommended


@pytest.mark.parametrize(
    ("recommended", "override"), list(itertools.product(LEVEL_ORDER, repeat=2))
)
def test_override_with_reason_wins(recommended: str, override: str) -> None:
    reason = "Family home unsafe; bed available at the foundation."
    assert resolve_level(recommended, override, reason) == override


@pytest.mark.parametrize(
    "reason", [None, "", "   ", "\n\t"], ids=["none", "empty", "blank", "whitespace"]
)
def test_override_needs_a_reason(reason: str | None) -> None:
    error = resolve_error("outpatient", "residential", reason)
    assert error.field == "override_reason"
    assert error.message == "An override needs a reason."


def test_reason_without_override() -> None:
    error = resolve_error("residential", None, "Client prefers to stay home.")
    assert error.field == "override_reason"
    assert error.message == "Give a reason only with an override."


@pytest.mark.parametrize(
    "override",
    ["detox", "", "Residential", " residential", 2],
    ids=["unknown", "empty", "case", "space", "int"],
)
@pytest.mark.parametrize("reason", [None, "Client asked for it."], ids=["no-reason", "reason"])
def test_unknown_override_level(override: object, reason: str | None) -> None:
    error = resolve_error("outpatient", override, reason)
    assert error.field == "level_override"


def test_reason_not_text() -> None:
    assert resolve_error("outpatient", "residential", 5).field == "override_reason"


def test_unknown_recommended_level() -> None:
    assert resolve_error("inpatient", None, None).field == "recommended_level"


def test_recommend_then_resolve() -> None:
    recommended = recommend_level(ratings([1, 1, 1, 1, 1, 1]))
    assert resolve_level(recommended, None, None) == "outpatient"
    assert resolve_level(recommended, "intensive_outpatient", "Relapsed twice.") == (
        "intensive_outpatient"
    )


# ---------------------------------------------------------------------------- codes


@pytest.mark.parametrize(
    ("error", "code", "message"),
    [
        (lambda: rating_error(None), "ratings_expected", "Expected a rating for each dimension."),
        (lambda: rating_error({"mood": 1}), "unknown_dimension", "Unknown dimension 'mood'."),
        (lambda: rating_error({}), "dimension_unrated", "This dimension must be rated."),
        (
            lambda: rating_error(ratings(withdrawal="2")),
            "rating_not_whole",
            "Expected a whole number 0–4.",
        ),
        (
            lambda: rating_error(ratings(withdrawal=5)),
            "rating_out_of_range",
            "Rating must be 0–4, got 5.",
        ),
        (
            lambda: resolve_error("outpatient", "detox", "x"),
            "unknown_level",
            "Unknown level of care 'detox'.",
        ),
        (
            lambda: resolve_error("inpatient", None, None),
            "unknown_level",
            "Unknown level of care 'inpatient'.",
        ),
        (
            lambda: resolve_error("outpatient", "residential", 5),
            "override_reason_not_text",
            "Expected the reason as text.",
        ),
        (
            lambda: resolve_error("outpatient", None, "x"),
            "override_reason_without_override",
            "Give a reason only with an override.",
        ),
        (
            lambda: resolve_error("outpatient", "residential", " "),
            "override_reason_required",
            "An override needs a reason.",
        ),
    ],
)
def test_each_refusal_carries_its_stable_code(error, code: str, message: str) -> None:
    refusal = error()
    assert (refusal.code, refusal.message) == (code, message)
    # the message itself knows its code, so an API hands both back unchanged
    assert field_code(refusal.message) == code
