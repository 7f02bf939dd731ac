"""The recommended level of care from the six ASAM dimensions, and a counsellor's override.

An ASAM-style assessment rates six dimensions of a client's situation, each from 0 (no
problem) to 4 (severe). This module turns those ratings into one of four levels of care,
least to most intensive: outpatient, intensive outpatient, residential, medically managed.
The rule, applied top to bottom, first match wins:

1. **medically_managed** if withdrawal ≥ 3 or biomedical ≥ 3. Severe withdrawal or a
   serious medical condition needs doctors and nurses on hand, whatever else is going on;
   a residential programme without medical staff would be unsafe, so this outranks
   everything below.
2. **residential** if any other dimension (emotional/behavioural, readiness to change,
   relapse potential, recovery environment) is ≥ 3, or the six ratings add up to ≥ 12.
   One severe non-medical problem, or moderate problems across the board (for example
   2 in every dimension), cannot be handled from home: the client needs a structured,
   24-hour setting.
3. **intensive_outpatient** if any dimension is ≥ 2. A moderate problem anywhere calls
   for more than a weekly session, but not for leaving home.
4. **outpatient** otherwise: every dimension is 0 or 1.

A counsellor may override the recommendation (:func:`resolve_level`), but only with a
written reason, so that every departure from the rule can be reviewed later.

The module is pure: no I/O, and nothing beyond the standard library but the suite's
vocabulary and its registry of codes (both pure themselves), so the HTTP layer, workers and
reports all decide the same way. Every rejection is a :class:`RatingError` whose ``field`` is
the path of the offending input (``dimensions.withdrawal``, ``level_override``,
``override_reason``) and whose ``code`` is the field error's stable code, so an API can hand
it back to the person who filled in the form.
Nothing is guessed: an incomplete or malformed set of ratings is refused rather than
scored, because a silently wrong level of care could put a client somewhere unsafe.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from shared.codes import FieldMessage, field_error
from shared.vocabulary import Dimension, LevelOfCare

__all__ = [
    "DIMENSIONS",
    "LEVELS",
    "MAX_RATING",
    "MEDICAL_DIMENSIONS",
    "MIN_RATING",
    "MODERATE_RATING",
    "RESIDENTIAL_TOTAL",
    "RatingError",
    "SEVERE_RATING",
    "recommend_level",
    "resolve_level",
    "validate_ratings",
]

#: The six ASAM dimensions, in the order they appear on the assessment form.
DIMENSIONS: Final[tuple[Dimension, ...]] = tuple(Dimension)

#: Levels of care, least to most intensive.
LEVELS: Final[tuple[LevelOfCare, ...]] = tuple(LevelOfCare)

#: Dimensions whose severe rating calls for medical staff (rule 1).
MEDICAL_DIMENSIONS: Final[tuple[Dimension, ...]] = (Dimension.WITHDRAWAL, Dimension.BIOMEDICAL)

MIN_RATING: Final = 0
MAX_RATING: Final = 4
#: A rating at or above this is severe (rules 1 and 2).
SEVERE_RATING: Final = 3
#: A rating at or above this is moderate (rule 3).
MODERATE_RATING: Final = 2
#: A total of all six ratings at or above this calls for residential care (rule 2).
RESIDENTIAL_TOTAL: Final = 12


class RatingError(ValueError):
    """Ratings or an override that cannot be used: ``field`` is the path of the bad input,
    ``code`` the field error's stable code (:mod:`shared.codes`) and ``message`` its English
    text, which carries the code too."""

    def __init__(self, field: str, code: str, **params: object) -> None:
        self.field = field
        self.code = code
        self.message: FieldMessage = field_error(code, **params)
        super().__init__(f"{field}: {self.message}")


def validate_ratings(ratings: Mapping[str, int]) -> dict[str, int]:
    """Check ``ratings`` and return them as a plain dict in :data:`DIMENSIONS` order.

    Every one of the six dimensions must be present, no other key may be, and each rating
    must be an ``int`` from :data:`MIN_RATING` to :data:`MAX_RATING`. ``True``/``False``
    are refused even though Python counts them as ints, as are ``2.0`` and ``"2"``: a form
    that sends them has been mis-built and its meaning cannot be trusted. Unknown keys are
    reported first (in sorted order), then the dimensions in form order, so the same bad
    input always produces the same error.
    """
    if not isinstance(ratings, Mapping):
        raise RatingError("dimensions", "ratings_expected")
    unknown = sorted(str(key) for key in ratings if key not in DIMENSIONS)
    if unknown:
        raise RatingError(f"dimensions.{unknown[0]}", "unknown_dimension", dimension=unknown[0])
    checked: dict[str, int] = {}
    for dimension in DIMENSIONS:
        field = f"dimensions.{dimension}"
        if dimension not in ratings:
            raise RatingError(field, "dimension_unrated")
        rating: object = ratings[dimension]
        if isinstance(rating, bool) or not isinstance(rating, int):
            raise RatingError(field, "rating_not_whole", min=MIN_RATING, max=MAX_RATING)
        if not MIN_RATING <= rating <= MAX_RATING:
            raise RatingError(
                field, "rating_out_of_range", min=MIN_RATING, max=MAX_RATING, rating=rating
            )
        checked[dimension.value] = int(rating)
    return checked


def recommend_level(ratings: Mapping[str, int]) -> LevelOfCare:
    """The level of care (one of :data:`LEVELS`) the six dimension ratings call for.

    See the module docstring for the rule and the reasoning behind each step. Raises
    :class:`RatingError` naming ``dimensions.<name>`` (or ``dimensions`` when the input is
    not a mapping) if the ratings are incomplete or malformed; see :func:`validate_ratings`.
    """
    checked = validate_ratings(ratings)
    if any(checked[dimension] >= SEVERE_RATING for dimension in MEDICAL_DIMENSIONS):
        return LevelOfCare.MEDICALLY_MANAGED
    non_medical = (d for d in DIMENSIONS if d not in MEDICAL_DIMENSIONS)
    if (
        any(checked[dimension] >= SEVERE_RATING for dimension in non_medical)
        or sum(checked.values()) >= RESIDENTIAL_TOTAL
    ):
        return LevelOfCare.RESIDENTIAL
    if any(rating >= MODERATE_RATING for rating in checked.values()):
        return LevelOfCare.INTENSIVE_OUTPATIENT
    return LevelOfCare.OUTPATIENT


def resolve_level(recommended: str, override: str | None, reason: str | None) -> LevelOfCare:
    """The level of care to use: the counsellor's ``override`` if given, else ``recommended``.

    An override must be one of :data:`LEVELS` (else the error names ``level_override``) and
    must come with a non-blank ``reason`` (else ``override_reason``), so that every
    departure from the rule can be reviewed. A reason without an override is refused too,
    rather than silently dropped: it means the form was filled in inconsistently. A blank
    or whitespace-only reason counts as no reason; a reason that is not text is refused.
    Overriding to the recommended level itself is allowed and, like any override, needs a
    reason. ``recommended`` must itself be one of :data:`LEVELS` (normally the result of
    :func:`recommend_level`).
    """
    if recommended not in LEVELS:
        raise RatingError("recommended_level", "unknown_level", level=recommended)
    if reason is not None and not isinstance(reason, str):
        raise RatingError("override_reason", "override_reason_not_text")
    has_reason = reason is not None and reason.strip() != ""
    if override is None:
        if has_reason:
            raise RatingError("override_reason", "override_reason_without_override")
        return LevelOfCare(recommended)
    if not isinstance(override, str) or override not in LEVELS:
        raise RatingError("level_override", "unknown_level", level=override)
    if not has_reason:
        raise RatingError("override_reason", "override_reason_required")
    return LevelOfCare(override)
