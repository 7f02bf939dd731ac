"""What every console form is made of: the base form, the fields the APIs' formats need, the
choices of a vocabulary, and the small checks the forms share.

Messages are :class:`~services.console.i18n.Lazy`, so errors appear in the user's language;
what was typed is kept when it is refused. A form's ``to_api`` turns it into the API's JSON
body; ``API_FIELDS`` says which field an API's error path (``consent.guardian_name``) is about.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from flask_wtf import FlaskForm
from wtforms import Field, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from services.console.i18n import Lazy, t
from shared.fields import EARLIEST, LATEST

REQUIRED = Lazy("error.required")


class _Translations:
    """WTForms' own messages (a select left on no choice, ...) in the user's language."""

    KNOWN = {
        "Not a valid choice.": "error.choice",
        "Not a valid choice": "error.choice",
        "This field is required.": "error.required",
        "Not a valid date value.": "error.date",
        "Not a valid integer value.": "error.number",
        "'%(value)s' is not a valid choice for this field.": "error.choice",
    }

    def gettext(self, string: str) -> str:
        key = self.KNOWN.get(string)
        return t(key) if key else string

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


TRANSLATIONS = _Translations()


class ConsoleForm(FlaskForm):
    """A console form: WTForms' messages translated, API error paths mapped to fields."""

    # an API error path -> the form field it is about (when their names differ)
    API_FIELDS: dict[str, str] = {}

    class Meta:
        def get_translations(self, form):
            return TRANSLATIONS

    def field_for(self, api_path: str) -> Field | None:
        """The field an API error path names (``discharged_on``, ``strengths.2``), if any;
        ``None`` puts the message above the form."""
        candidates = [api_path]
        parts = api_path.split(".")
        while len(parts) > 1 and parts[-1].isdigit():  # an item of a list: the list's field
            parts = parts[:-1]
            candidates.append(".".join(parts))
        for path in candidates:
            name = self.API_FIELDS.get(path, path)
            if name in self and name != "csrf_token":
                return self[name]
        return None


def most(length: int) -> Length:
    return Length(max=length, message=Lazy("error.too_long", length=length))


def choices(values: Iterable[str], kind: str, blank: bool = False) -> list[SelectChoice]:
    """Options for ``values`` (``values(Channel)``), each named by its label
    (``label(kind, value)``: the text ``kind.value``), with an empty first option if ``blank``."""
    options = [SelectChoice(v, Lazy(f"{kind}.{v}")) for v in values]  # type: ignore[arg-type]
    return [SelectChoice("", "–"), *options] if blank else options


class DayField(StringField):
    """A date typed as ``YYYY-MM-DD`` (the browser's date input), within the dates the APIs
    take; kept as typed if wrong."""

    def process_formdata(self, valuelist):
        self.raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if self.raw:
            try:
                self.data = date.fromisoformat(self.raw)
            except ValueError:
                self.data = None
            if self.data is None or not EARLIEST <= self.data <= LATEST:
                # the APIs take no date outside these bounds (shared.fields)
                self.data = None
                raise ValueError(str(Lazy("error.date")))

    def _value(self):
        return getattr(self, "raw", None) or (self.data.isoformat() if self.data else "")


class WholeNumberField(StringField):
    """A whole number within ``[minimum, maximum]``; kept as typed if wrong."""

    def __init__(self, *args, minimum: int = 0, maximum: int = 10_000, **kwargs):
        super().__init__(*args, **kwargs)
        self.minimum, self.maximum = minimum, maximum

    def process_formdata(self, valuelist):
        self.raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not self.raw:
            return
        if not re.fullmatch(r"\d{1,6}", self.raw):
            raise ValueError(str(Lazy("error.number")))
        value = int(self.raw)
        if not self.minimum <= value <= self.maximum:
            raise ValueError(str(Lazy("error.range", low=self.minimum, high=self.maximum)))
        self.data = value

    def _value(self):
        return getattr(self, "raw", None) or ("" if self.data is None else str(self.data))


class Filled:
    """Required, judged on what was typed: a date or number typed wrongly keeps its own
    message (``DataRequired`` would replace it with "required")."""

    field_flags = {"required": True}

    def __call__(self, form, field):
        if field.raw_data and str(field.raw_data[0]).strip():
            return
        field.errors[:] = []
        raise StopValidation(REQUIRED)


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def stripped(field: Field) -> str | None:
    """What was typed, without surrounding spaces; ``None`` when nothing was."""
    value = (field.data or "").strip()
    return value or None
