"""The period a report covers."""

from __future__ import annotations

from wtforms.validators import Optional

from services.console.forms.base import ConsoleForm, DayField


class PeriodForm(ConsoleForm):
    class Meta:
        csrf = False  # a GET form: it changes nothing

    start = DayField(validators=[Optional()])
    end = DayField(validators=[Optional()])
