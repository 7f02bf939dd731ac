"""A client's course of care, sent to the assessment service: completing the assessment,
treatment-plan goals, placement in a programme, discharge, follow-up outcomes."""

from __future__ import annotations

from typing import Any

from wtforms import SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional, ValidationError

from services.console.forms.base import (
    REQUIRED,
    ConsoleForm,
    DayField,
    Filled,
    choices,
    most,
    stripped,
)
from services.console.i18n import Lazy
from shared.vocabulary import (
    Dimension,
    DischargeReason,
    FollowupOutcome,
    GoalStatus,
    LevelOfCare,
    values,
)

# the six ASAM dimensions, in the order of the assessment form (assessment's contract)
DIMENSIONS = values(Dimension)
RATINGS = ("0", "1", "2", "3", "4")
MAX_LIST_ITEMS = 30
MAX_ITEM_LENGTH = 300


def _rating() -> SelectField:
    """A rating 0-4, nothing chosen at first: a dimension left unrated is an error."""
    return SelectField(
        choices=choices(RATINGS, "rating", blank=True),
        default="",
        validators=[DataRequired(REQUIRED)],
    )


def _lines(field) -> list[str]:
    return [line.strip() for line in (field.data or "").splitlines() if line.strip()]


def _one_per_line(form, field):
    lines = _lines(field)
    if len(lines) > MAX_LIST_ITEMS:
        raise ValidationError(Lazy("error.too_many_lines", n=MAX_LIST_ITEMS))
    if any(len(line) > MAX_ITEM_LENGTH for line in lines):
        raise ValidationError(Lazy("error.line_too_long", length=MAX_ITEM_LENGTH))


def _required_choice(options: tuple[str, ...], kind: str) -> SelectField:
    """One of ``options``, nothing chosen at first: left so, it is an error."""
    return SelectField(
        choices=choices(options, kind, blank=True), default="", validators=[DataRequired(REQUIRED)]
    )


class AssessmentForm(ConsoleForm):
    """The six dimensions, strengths and limitations (one per line), notes, and an optional
    level of care other than the recommended one, which needs a reason."""

    withdrawal = _rating()
    biomedical = _rating()
    emotional_behavioral = _rating()
    readiness_to_change = _rating()
    relapse_potential = _rating()
    recovery_environment = _rating()
    strengths = TextAreaField(validators=[Optional(), _one_per_line])
    limitations = TextAreaField(validators=[Optional(), _one_per_line])
    notes = TextAreaField(validators=[Optional(), most(5000)])
    level_override = SelectField(
        choices=choices(values(LevelOfCare), "level", blank=True), default=""
    )
    override_reason = TextAreaField(validators=[Optional(), most(1000)])

    API_FIELDS = {f"dimensions.{name}": name for name in DIMENSIONS}

    def dimensions(self) -> list[tuple[str, Any]]:
        """``(dimension, its field)`` in form order."""
        return [(name, self[name]) for name in DIMENSIONS]

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        has_reason = stripped(self.override_reason) is not None
        if self.level_override.data and not has_reason:
            self.override_reason.errors.append(Lazy("error.override_reason"))
            ok = False
        if has_reason and not self.level_override.data:
            self.level_override.errors.append(Lazy("error.override_level"))
            ok = False
        return ok

    def to_api(self) -> dict:
        return {
            "dimensions": {name: int(self[name].data) for name in DIMENSIONS},
            "strengths": _lines(self.strengths),
            "limitations": _lines(self.limitations),
            "notes": stripped(self.notes),
            "level_override": self.level_override.data or None,
            "override_reason": stripped(self.override_reason),
        }


class PlacementForm(ConsoleForm):
    """A programme (its free places shown) and the day the placement starts."""

    program_id = SelectField(choices=[], validate_choice=False, validators=[DataRequired(REQUIRED)])
    start_on = DayField(validators=[Filled()])

    def offer(self, programmes: list[dict[str, Any]]) -> None:
        """The programmes to choose from, each with its free places (a full one says so)."""
        options = [SelectChoice("", "–")]
        for programme in programmes:
            key = "placement.option" if programme.get("available") else "placement.option_full"
            text = Lazy(
                key,
                name=programme["name"],
                available=programme.get("available", 0),
                capacity=programme.get("capacity", 0),
            )
            options.append(SelectChoice(programme["id"], text))  # type: ignore[arg-type]
        self.program_id.choices = options

    def to_api(self, client_id: str) -> dict:
        return {
            "client_id": client_id,
            "program_id": self.program_id.data,
            "start_on": self.start_on.data.isoformat(),
        }


class DischargeForm(ConsoleForm):
    reason = _required_choice(values(DischargeReason), "discharge")
    discharged_on = DayField(validators=[Filled()])

    def to_api(self) -> dict:
        return {"reason": self.reason.data, "discharged_on": self.discharged_on.data.isoformat()}


class FollowupForm(ConsoleForm):
    """The outcome of one post-discharge follow-up."""

    outcome = _required_choice(values(FollowupOutcome), "outcome")
    notes = TextAreaField(validators=[Optional(), most(5000)])

    def to_api(self) -> dict:
        return {"outcome": self.outcome.data, "notes": stripped(self.notes)}


class GoalForm(ConsoleForm):
    """A treatment-plan goal: what the client works towards, and by when (optional)."""

    text = TextAreaField(validators=[DataRequired(REQUIRED), most(1000)])
    target_date = DayField(validators=[Optional()])

    def to_api(self) -> dict:
        target = self.target_date.data
        return {"text": stripped(self.text), "target_date": target.isoformat() if target else None}


class GoalStatusForm(ConsoleForm):
    """Where a goal stands now."""

    status = SelectField(choices=choices(values(GoalStatus), "goal_status"))

    def to_api(self) -> dict:
        return {"status": self.status.data}
