"""Sessions and notes, from the client page: scheduling, moving, attendance, a note."""

from __future__ import annotations

import re
from datetime import datetime

from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional, ValidationError

from services.console.forms.base import (
    REQUIRED,
    CheckboxesField,
    ConsoleForm,
    DayField,
    Filled,
    WholeNumberField,
    choices,
    most,
    stripped,
)
from services.console.i18n import Lazy
from shared.vocabulary import Attendance, NoteKind, Obstacle, SessionKind, values


def _hhmm(form, field):
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", (field.data or "").strip()):
        raise ValidationError(Lazy("error.time"))


def _starts_at(form, timezone) -> datetime:
    """The moment a session form's day and time name, in the foundation's time zone."""
    hours, minutes = (int(part) for part in form.time.data.strip().split(":"))
    return datetime.combine(form.day.data, datetime.min.time(), tzinfo=timezone).replace(
        hour=hours, minute=minutes
    )


class SessionForm(ConsoleForm):
    kind = SelectField(
        choices=choices(values(SessionKind), "session_kind"), default=SessionKind.FAMILY.value
    )
    day = DayField(validators=[Filled()])
    time = StringField(validators=[DataRequired(REQUIRED), _hhmm], default="10:00")
    duration_minutes = WholeNumberField(validators=[Filled()], minimum=5, maximum=600, default=60)
    location = StringField(validators=[Optional(), most(200)])
    title = StringField(validators=[Optional(), most(120)])

    API_FIELDS = {"starts_at": "day", "client_ids": "kind"}

    def to_api(self, client_id: str, timezone) -> dict:
        return {
            "kind": self.kind.data,
            "client_ids": [client_id],
            "starts_at": _starts_at(self, timezone).isoformat(),
            "duration_minutes": self.duration_minutes.data,
            "location": stripped(self.location),
            "title": stripped(self.title),
        }


class RescheduleForm(ConsoleForm):
    """A session still to come, moved: its new day, time, length and place (the families
    invited are told of the change by the notifications service)."""

    day = DayField(validators=[Filled()])
    time = StringField(validators=[DataRequired(REQUIRED), _hhmm])
    duration_minutes = WholeNumberField(validators=[Filled()], minimum=5, maximum=600)
    location = StringField(validators=[Optional(), most(200)])

    API_FIELDS = {"starts_at": "day"}

    @classmethod
    def of_session(cls, session: dict, timezone, prefix: str) -> RescheduleForm:
        """The form filled in with the session as it stands, in local time."""
        starts = datetime.fromisoformat(session["starts_at"]).astimezone(timezone)
        return cls(
            formdata=None,
            prefix=prefix,
            day=starts.date(),
            time=starts.strftime("%H:%M"),
            duration_minutes=session["duration_minutes"],
            location=session.get("location") or "",
        )

    def to_api(self, timezone) -> dict:
        return {
            "starts_at": _starts_at(self, timezone).isoformat(),
            "duration_minutes": self.duration_minutes.data,
            "location": stripped(self.location),
        }


class AttendanceForm(ConsoleForm):
    """Whether the client came to a session and, for a family session, whether family did."""

    status = RadioField(
        choices=choices(values(Attendance), "attendance"),
        invalid_choice_message=Lazy("error.answer"),
    )
    family_attended = BooleanField()

    def to_api(self, client_id: str, family_session: bool) -> dict:
        body: dict = {"client_id": client_id, "status": self.status.data}
        if family_session:
            body["family_attended"] = bool(self.family_attended.data)
        return body


class NoteForm(ConsoleForm):
    kind = SelectField(
        choices=choices(values(NoteKind), "note_kind"), default=NoteKind.PROGRESS.value
    )
    text = TextAreaField(validators=[DataRequired(REQUIRED), most(10_000)])
    obstacles = CheckboxesField(choices=choices(values(Obstacle), "obstacle"), default=[])

    def to_api(self) -> dict:
        return {
            "kind": self.kind.data,
            "text": stripped(self.text),
            "obstacles": self.obstacles.data,
        }
