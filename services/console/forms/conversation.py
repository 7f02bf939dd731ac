"""A staff member's answer to a family contact, from the conversation on the client page."""

from __future__ import annotations

import uuid

from wtforms import HiddenField, TextAreaField

from services.console.forms.base import ConsoleForm, Filled, most, stripped

#: what notifications takes as one answer (``POST /conversations/{contact_id}/messages``)
MAX_ANSWER_LENGTH = 1000


class AnswerForm(ConsoleForm):
    """What to write to the family: not blank, at most :data:`MAX_ANSWER_LENGTH` characters."""

    text = TextAreaField(validators=[Filled(), most(MAX_ANSWER_LENGTH)])
    #: names this answer (the API's ``Idempotency-Key``): a double click, or the page sent
    #: again after a refusal was fixed, writes one message; a new box has a new key
    request_key = HiddenField(default=lambda: uuid.uuid4().hex)

    def to_api(self) -> dict:
        return {"text": stripped(self.text)}

    def request_headers(self) -> dict[str, str]:
        key = (self.request_key.data or "").strip()
        return {"Idempotency-Key": key} if key else {}


def answer_key(contact_id: str) -> str:
    """The client page's key of the answer box to one contact (also the form's prefix)."""
    return f"answer-{contact_id}"
