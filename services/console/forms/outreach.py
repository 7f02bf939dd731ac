"""Reaching out to a client, from the client page: how (phone, visit, ...) and what came of it,
each one tap; a few words of notes if any."""

from __future__ import annotations

from wtforms import RadioField, TextAreaField
from wtforms.validators import Optional

from services.console.forms.base import ConsoleForm, choices, most, stripped
from services.console.i18n import Lazy
from shared.vocabulary import OutreachMethod, OutreachOutcome, values

MAX_NOTES_LENGTH = 2000


class OutreachForm(ConsoleForm):
    """An outreach as ``POST /clients/{id}/outreach`` takes it; nothing chosen is refused here
    (in the user's language) before the API is asked."""

    method = RadioField(
        choices=choices(values(OutreachMethod), "outreach_method"),
        invalid_choice_message=Lazy("error.answer"),
    )
    outcome = RadioField(
        choices=choices(values(OutreachOutcome), "outreach_outcome"),
        invalid_choice_message=Lazy("error.answer"),
    )
    notes = TextAreaField(validators=[Optional(), most(MAX_NOTES_LENGTH)])

    def to_api(self) -> dict:
        body = {"method": self.method.data, "outcome": self.outcome.data}
        notes = stripped(self.notes)
        if notes:
            body["notes"] = notes
        return body
