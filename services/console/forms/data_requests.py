"""A client's personal-data request (admins): a copy of everything held, or its erasure.

An erasure cannot be taken back, so the admin types the client's code to confirm it, the way
a repository host asks for a name before deleting: a click alone never erases anyone.
"""

from __future__ import annotations

from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from services.console.forms.base import REQUIRED, ConsoleForm, choices, most, stripped
from services.console.i18n import Lazy
from shared.vocabulary import DataRequestKind, values


class DataRequestForm(ConsoleForm):
    """``POST /clients/{id}/data-requests`` as an admin fills it in."""

    kind = RadioField(
        choices=choices(values(DataRequestKind), "data_request_kind"),
        default=DataRequestKind.ACCESS.value,
        invalid_choice_message=Lazy("error.answer"),
    )
    requested_by = StringField(validators=[DataRequired(REQUIRED), most(200)])
    notes = TextAreaField(validators=[Optional(), most(2000)])
    client_code = StringField(validators=[Optional(), most(40)])

    def to_api(self) -> dict:
        body = {"kind": self.kind.data, "requested_by": stripped(self.requested_by)}
        notes = stripped(self.notes)
        if notes:
            body["notes"] = notes
        return body


class ConfirmErasureForm(ConsoleForm):
    """The typed confirmation of an erasure the retention sweep proposed."""

    client_code = StringField(validators=[DataRequired(REQUIRED), most(40)])


def code_matches(typed: str | None, code: str) -> bool:
    """Whether what the admin typed is the client's code (spaces and case forgiven: the
    point is that they read it, not that they type it exactly)."""
    return (typed or "").strip().upper() == code.strip().upper()
