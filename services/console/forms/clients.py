"""A new client (the intake form, with family contacts and consent) and their admission."""

from __future__ import annotations

import re

from wtforms import (
    BooleanField,
    Field,
    FieldList,
    FormField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Optional, ValidationError

from services.console.forms.base import (
    REQUIRED,
    ConsoleForm,
    DayField,
    WholeNumberField,
    choices,
    most,
    stripped,
)
from services.console.forms.family import FamilyContactForm, guardian_named
from services.console.i18n import Lazy
from shared.vocabulary import ConsentGiver, ReferralSource, RouteOfUse, Sex, values


def _nik(form, field):
    if field.data and not re.fullmatch(r"\d{16}", field.data.strip()):
        raise ValidationError(Lazy("error.nik"))


class ClientIntakeForm(ConsoleForm):
    full_name = StringField(validators=[DataRequired(REQUIRED), most(200)])
    nik = StringField(validators=[Optional(), _nik])
    date_of_birth = DayField(validators=[Optional()])
    date_of_birth_estimated = BooleanField()
    sex = SelectField(choices=choices(values(Sex), "sex", blank=True), default="")
    phone = StringField(validators=[Optional(), most(32)])
    address = TextAreaField(validators=[Optional(), most(500)])
    primary_substances = StringField(validators=[Optional(), most(300)])
    use_duration_months = WholeNumberField(validators=[Optional()], maximum=1200)
    route_of_use = SelectField(choices=choices(values(RouteOfUse), "route", blank=True), default="")
    case_worker_id = SelectField(choices=[], validate_choice=False)
    referral_source = SelectField(
        choices=choices(values(ReferralSource), "referral", blank=True), default=""
    )
    referral_compulsory = BooleanField()
    referral_reference_no = StringField(validators=[Optional(), most(60)])
    family_contacts = FieldList(FormField(FamilyContactForm), min_entries=2, max_entries=5)
    consent_contact_family = BooleanField()
    consent_share_progress = BooleanField()
    consent_given_by = SelectField(choices=choices(values(ConsentGiver), "given_by"))
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
        return guardian_named(self.consent_given_by, self.consent_guardian_name) and ok

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
