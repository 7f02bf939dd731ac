"""A new programme (the admin's programmes page)."""

from __future__ import annotations

from wtforms import SelectField, StringField
from wtforms.validators import DataRequired

from services.console.forms.base import (
    REQUIRED,
    ConsoleForm,
    Filled,
    WholeNumberField,
    choices,
    most,
    stripped,
)
from shared.vocabulary import ProgramKind, values


class ProgrammeForm(ConsoleForm):
    name = StringField(validators=[DataRequired(REQUIRED), most(120)])
    kind = SelectField(choices=choices(values(ProgramKind), "program_kind"))
    capacity = WholeNumberField(validators=[Filled()], minimum=1, maximum=10_000)
    duration_days = WholeNumberField(validators=[Filled()], minimum=1, maximum=3650)

    def to_api(self) -> dict:
        return {
            "name": stripped(self.name),
            "kind": self.kind.data,
            "capacity": self.capacity.data,
            "duration_days": self.duration_days.data,
        }
