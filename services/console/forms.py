"""The console's forms: what a page accepts, checked before any API is called.

Messages are :class:`~services.console.i18n.Lazy`, so errors appear in the user's language.
``to_api`` turns a valid form into the API's JSON body; ``API_FIELDS`` says which form
field an API's error path (``consent.guardian_name``) belongs to.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    FieldList,
    Form,
    FormField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from services.console.i18n import Lazy, t
from shared import assist
from shared.fields import EARLIEST, LATEST

REQUIRED = Lazy("error.required")
ROLES = ("social_worker", "counselor", "admin", "viewer")
CHANNELS = ("whatsapp", "sms", "email")
REFERRAL_SOURCES = ("self", "family", "police", "court", "bnn", "hospital", "community", "other")
ROUTES = ("oral", "smoked", "inhaled", "injected", "other")
SESSION_KINDS = ("family", "individual", "group")
NOTE_KINDS = ("progress", "behaviour", "motivation", "crisis")
OBSTACLES = (
    "behaviour_inconsistency",
    "closed_attitude",
    "family_communication",
    "staff_capacity",
    "other",
)
PROGRAM_KINDS = ("residential", "outpatient", "aftercare", "vocational")


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


def choices(values, prefix: str, blank: bool = False) -> list[SelectChoice]:
    options = [SelectChoice(v, Lazy(f"{prefix}.{v}")) for v in values]  # type: ignore[arg-type]
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


def _nik(form, field):
    if field.data and not re.fullmatch(r"\d{16}", field.data.strip()):
        raise ValidationError(Lazy("error.nik"))


def _hhmm(form, field):
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", (field.data or "").strip()):
        raise ValidationError(Lazy("error.time"))


def stripped(field: Field) -> str | None:
    """What was typed, without surrounding spaces; ``None`` when nothing was."""
    value = (field.data or "").strip()
    return value or None


class SignInForm(ConsoleForm):
    email = StringField(validators=[DataRequired(REQUIRED), most(254)])
    password = PasswordField(validators=[DataRequired(REQUIRED), most(200)])


class FamilyContactForm(Form):
    class Meta:
        def get_translations(self, form):
            return TRANSLATIONS

    name = StringField(validators=[Optional(), most(120)])
    relationship = StringField(validators=[Optional(), most(40)])
    phone = StringField(validators=[Optional(), most(32)])
    email = StringField(validators=[Optional(), most(254)])
    channel = SelectField(choices=choices(CHANNELS, "channel"), default="whatsapp")
    locale = SelectField(choices=choices(("id", "en"), "locale"), default="id")
    may_contact = BooleanField(default=True)

    def is_blank(self) -> bool:
        return not any(stripped(f) for f in (self.name, self.relationship, self.phone, self.email))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.is_blank():
            return ok
        return _contact_complete(self) and ok

    def to_api(self) -> dict:
        return _contact_body(self)


def _contact_complete(form) -> bool:
    """A family contact has a name, a relationship, and what its channel needs."""
    ok = True
    for field in (form.name, form.relationship):
        if not stripped(field):
            field.errors.append(REQUIRED)
            ok = False
    if form.channel.data in ("sms", "whatsapp") and not stripped(form.phone):
        form.phone.errors.append(Lazy("error.phone_for_channel"))
        ok = False
    if form.channel.data == "email" and not stripped(form.email):
        form.email.errors.append(Lazy("error.email_for_channel"))
        ok = False
    return ok


def _guardian_named(given_by: Field, guardian_name: Field) -> bool:
    """Consent given by a guardian names the guardian (a minor's consent comes from one)."""
    if given_by.data == "guardian" and not stripped(guardian_name):
        guardian_name.errors.append(Lazy("error.guardian_name"))
        return False
    return True


def _contact_body(form) -> dict:
    return {
        "name": stripped(form.name),
        "relationship": stripped(form.relationship),
        "phone": stripped(form.phone),
        "email": stripped(form.email),
        "channel": form.channel.data,
        "locale": form.locale.data,
        "may_contact": bool(form.may_contact.data),
    }


class ClientIntakeForm(ConsoleForm):
    full_name = StringField(validators=[DataRequired(REQUIRED), most(200)])
    nik = StringField(validators=[Optional(), _nik])
    date_of_birth = DayField(validators=[Optional()])
    date_of_birth_estimated = BooleanField()
    sex = SelectField(choices=choices(("male", "female"), "sex", blank=True), default="")
    phone = StringField(validators=[Optional(), most(32)])
    address = TextAreaField(validators=[Optional(), most(500)])
    primary_substances = StringField(validators=[Optional(), most(300)])
    use_duration_months = WholeNumberField(validators=[Optional()], maximum=1200)
    route_of_use = SelectField(choices=choices(ROUTES, "route", blank=True), default="")
    case_worker_id = SelectField(choices=[], validate_choice=False)
    referral_source = SelectField(
        choices=choices(REFERRAL_SOURCES, "referral", blank=True), default=""
    )
    referral_compulsory = BooleanField()
    referral_reference_no = StringField(validators=[Optional(), most(60)])
    family_contacts = FieldList(FormField(FamilyContactForm), min_entries=2, max_entries=5)
    consent_contact_family = BooleanField()
    consent_share_progress = BooleanField()
    consent_given_by = SelectField(choices=choices(("client", "guardian"), "given_by"))
    consent_guardian_name = StringField(validators=[Optional(), most(120)])

    API_FIELDS = {
        "consent.contact_family": "consent_contact_family",
        "consent.share_progress": "consent_share_progress",
        "consent.given_by": "consent_given_by",
        "consent.guardian_name": "consent_guardian_name",
        "referral.source": "referral_source",
        "referral.compulsory": "referral_compulsory",
        "referral.reference_no": "referral_reference_no",
    }

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        return _guardian_named(self.consent_given_by, self.consent_guardian_name) and ok

    def filled_contacts(self) -> list[tuple[int, FamilyContactForm]]:
        """The contact blocks with anything typed in them, with their place on the form."""
        return [
            (index, entry.form)
            for index, entry in enumerate(self.family_contacts.entries)
            if not entry.form.is_blank()
        ]

    def to_api(self) -> dict:
        body: dict = {"full_name": stripped(self.full_name)}
        optional = {
            "nik": stripped(self.nik),
            "date_of_birth": self.date_of_birth.data.isoformat()
            if self.date_of_birth.data
            else None,
            "sex": self.sex.data or None,
            "phone": stripped(self.phone),
            "address": stripped(self.address),
            "use_duration_months": self.use_duration_months.data,
            "route_of_use": self.route_of_use.data or None,
            "case_worker_id": self.case_worker_id.data or None,
        }
        body.update({k: v for k, v in optional.items() if v is not None})
        if self.date_of_birth.data:
            body["date_of_birth_estimated"] = bool(self.date_of_birth_estimated.data)
        substances = [s.strip() for s in (self.primary_substances.data or "").split(",")]
        if any(substances):
            body["primary_substances"] = [s for s in substances if s]
        if self.referral_source.data:
            body["referral"] = {
                "source": self.referral_source.data,
                "compulsory": bool(self.referral_compulsory.data),
                "reference_no": stripped(self.referral_reference_no),
            }
        body["family_contacts"] = [form.to_api() for _, form in self.filled_contacts()]
        body["consent"] = {
            "contact_family": bool(self.consent_contact_family.data),
            "share_progress": bool(self.consent_share_progress.data),
            "given_by": self.consent_given_by.data,
            "guardian_name": stripped(self.consent_guardian_name),
        }
        return body

    def field_for(self, api_path: str) -> Field | None:
        """The form field an API error path names, if any."""
        if api_path in self.API_FIELDS:
            return self[self.API_FIELDS[api_path]]
        parts = api_path.split(".")
        if parts[0] == "family_contacts" and len(parts) == 3 and parts[1].isdigit():
            filled = self.filled_contacts()
            position = int(parts[1])
            if position < len(filled):
                contact = filled[position][1]
                return contact[parts[2]] if parts[2] in contact else None
            return None
        return self[parts[0]] if len(parts) == 1 and parts[0] in self else None


class AdmissionForm(ConsoleForm):
    family_agreement = BooleanField()
    admitted_on = DayField(validators=[Optional()])

    def to_api(self) -> dict:
        body: dict = {"family_agreement": bool(self.family_agreement.data)}
        if self.admitted_on.data:
            body["admitted_on"] = self.admitted_on.data.isoformat()
        return body


class SessionForm(ConsoleForm):
    kind = SelectField(choices=choices(SESSION_KINDS, "session_kind"), default="family")
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


def _starts_at(form, timezone) -> datetime:
    """The moment a session form's day and time name, in the foundation's time zone."""
    hours, minutes = (int(part) for part in form.time.data.strip().split(":"))
    return datetime.combine(form.day.data, datetime.min.time(), tzinfo=timezone).replace(
        hour=hours, minute=minutes
    )


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


class NoteForm(ConsoleForm):
    kind = SelectField(choices=choices(NOTE_KINDS, "note_kind"), default="progress")
    text = TextAreaField(validators=[DataRequired(REQUIRED), most(10_000)])
    obstacles = CheckboxesField(choices=choices(OBSTACLES, "obstacle"), default=[])

    def to_api(self) -> dict:
        return {
            "kind": self.kind.data,
            "text": stripped(self.text),
            "obstacles": self.obstacles.data,
        }


class ConsentForm(ConsoleForm):
    """A consent change: both flags stated, who gave it, a guardian named when one did."""

    contact_family = BooleanField()
    share_progress = BooleanField()
    given_by = SelectField(choices=choices(("client", "guardian"), "given_by"), default="client")
    guardian_name = StringField(validators=[Optional(), most(120)])

    API_FIELDS = {"consent.given_by": "given_by", "consent.guardian_name": "guardian_name"}

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        return _guardian_named(self.given_by, self.guardian_name) and ok

    def to_api(self) -> dict:
        return {
            "contact_family": bool(self.contact_family.data),
            "share_progress": bool(self.share_progress.data),
            "given_by": self.given_by.data,
            "guardian_name": stripped(self.guardian_name)
            if self.given_by.data == "guardian"
            else None,
        }


class FamilyContactEditForm(ConsoleForm):
    """One family contact, added or changed on the client page (every field is sent)."""

    name = StringField(validators=[Optional(), most(120)])
    relationship = StringField(validators=[Optional(), most(40)])
    phone = StringField(validators=[Optional(), most(32)])
    email = StringField(validators=[Optional(), most(254)])
    channel = SelectField(choices=choices(CHANNELS, "channel"), default="whatsapp")
    locale = SelectField(choices=choices(("id", "en"), "locale"), default="id")
    may_contact = BooleanField(default=True)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        return _contact_complete(self) and ok

    def to_api(self) -> dict:
        return _contact_body(self)


# DAST-10, in questionnaire order; the texts are ``dast.q1`` .. ``dast.q10`` in the catalogue
DAST_QUESTIONS = tuple(f"q{n}" for n in range(1, 11))


def _yes_no() -> RadioField:
    return RadioField(
        choices=[SelectChoice("yes", Lazy("yes")), SelectChoice("no", Lazy("no"))],  # type: ignore[arg-type]
        invalid_choice_message=Lazy("error.answer"),
    )


class Dast10Form(ConsoleForm):
    """The ten yes/no questions of DAST-10; every one must be answered (the API scores)."""

    q1 = _yes_no()
    q2 = _yes_no()
    q3 = _yes_no()
    q4 = _yes_no()
    q5 = _yes_no()
    q6 = _yes_no()
    q7 = _yes_no()
    q8 = _yes_no()
    q9 = _yes_no()
    q10 = _yes_no()

    def questions(self) -> list[tuple[str, Field]]:
        """``(catalogue key of the question, its field)`` in questionnaire order."""
        return [(f"dast.{name}", self[name]) for name in DAST_QUESTIONS]

    def to_api(self) -> dict:
        return {
            "instrument": "DAST-10",
            "answers": [self[name].data == "yes" for name in DAST_QUESTIONS],
        }

    def field_for(self, api_path: str) -> Field | None:
        parts = api_path.split(".")
        if len(parts) == 2 and parts[0] == "answers" and parts[1].isdigit():
            index = int(parts[1])
            return self[DAST_QUESTIONS[index]] if index < len(DAST_QUESTIONS) else None
        return None


# WHO ASSIST v3.1 as the intake service scores it (its texts: ``assist.*`` in the catalogue)
ASSIST_SUBSTANCES = assist.SUBSTANCES
assist_questions = assist.questions_asked


class AssistForm(ConsoleForm):
    """WHO ASSIST v3.1: Q2–Q7 for each substance the client has ever used (Q1). A substance
    left blank was never used and is not sent; the intake API scores what is and checks
    WHO's rules (Q3–Q5 may stay blank when Q2 is "never"; Q6 and Q7 are always asked)."""

    def rows(self) -> list[tuple[str, list[tuple[str, Field]]]]:
        """``(substance, [(question, field), …])`` in questionnaire order."""
        return [
            (s, [(q, self[f"{s}_{q}"]) for q in assist_questions(s)]) for s in ASSIST_SUBSTANCES
        ]

    def answered(self) -> dict[str, dict[str, str]]:
        return {
            substance: given
            for substance, fields in self.rows()
            if (given := {q: f.data for q, f in fields if f.data})
        }

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if ok and not self.answered():
            self.api_errors = [str(Lazy("error.assist_nothing"))]
            return False
        return ok

    def to_api(self) -> dict:
        return {"instrument": "ASSIST", "answers": self.answered()}

    def field_for(self, api_path: str) -> Field | None:
        """``answers.<substance>.<question>`` is that question's field; ``answers.<substance>``
        the substance's first question."""
        parts = api_path.split(".")
        if len(parts) < 2 or parts[0] != "answers" or parts[1] not in ASSIST_SUBSTANCES:
            return None
        substance = parts[1]
        question = parts[2] if len(parts) == 3 else assist_questions(substance)[0]
        name = f"{substance}_{question}"
        return self[name] if name in self else None


for _substance in ASSIST_SUBSTANCES:
    for _question in assist_questions(_substance):
        _options = assist.options_of(_question)
        setattr(
            AssistForm,
            f"{_substance}_{_question}",
            SelectField(choices=choices(_options, "assist_option", blank=True), default=""),
        )


class ProgrammeForm(ConsoleForm):
    name = StringField(validators=[DataRequired(REQUIRED), most(120)])
    kind = SelectField(choices=choices(PROGRAM_KINDS, "program_kind"))
    capacity = WholeNumberField(validators=[Filled()], minimum=1, maximum=10_000)
    duration_days = WholeNumberField(validators=[Filled()], minimum=1, maximum=3650)

    def to_api(self) -> dict:
        return {
            "name": stripped(self.name),
            "kind": self.kind.data,
            "capacity": self.capacity.data,
            "duration_days": self.duration_days.data,
        }


class StaffAccountForm(ConsoleForm):
    name = StringField(validators=[DataRequired(REQUIRED), most(120)])
    email = StringField(validators=[DataRequired(REQUIRED), most(254)])
    role = SelectField(choices=choices(ROLES, "role"), default="social_worker")
    locale = SelectField(choices=choices(("id", "en"), "locale"), default="id")
    password = PasswordField(
        validators=[Optional(), Length(min=10, max=200, message=Lazy("error.password_short"))]
    )

    def validate_email(self, field):
        if "@" not in (field.data or ""):
            raise ValidationError(Lazy("error.email"))


class PeriodForm(ConsoleForm):
    class Meta:
        csrf = False  # a GET form: it changes nothing

    start = DayField(validators=[Optional()])
    end = DayField(validators=[Optional()])
