"""A client's family: the contacts (on the intake form and on the client page) and consent.

A family contact has a name, a relationship and what its channel needs; consent given by a
guardian names the guardian.
"""

from __future__ import annotations

from wtforms import BooleanField, Field, Form, SelectField, StringField
from wtforms.validators import Optional

from services.console.forms.base import REQUIRED, TRANSLATIONS, ConsoleForm, choices, most, stripped
from services.console.i18n import Lazy
from shared.vocabulary import ConsentGiver, FamilyChannel, Locale, values

PHONE_CHANNELS = (FamilyChannel.SMS, FamilyChannel.WHATSAPP)


class _ContactFields:
    """The fields of one family contact (WTForms collects them from a base class too)."""

    name = StringField(validators=[Optional(), most(120)])
    relationship = StringField(validators=[Optional(), most(40)])
    phone = StringField(validators=[Optional(), most(32)])
    email = StringField(validators=[Optional(), most(254)])
    channel = SelectField(
        choices=choices(values(FamilyChannel), "channel"), default=FamilyChannel.WHATSAPP.value
    )
    locale = SelectField(choices=choices(values(Locale), "locale"), default=Locale.ID.value)
    may_contact = BooleanField(default=True)


class FamilyContactForm(_ContactFields, Form):
    """One contact block of the intake form: left blank, it is not sent."""

    class Meta:
        def get_translations(self, form):
            return TRANSLATIONS

    def is_blank(self) -> bool:
        return not any(stripped(f) for f in (self.name, self.relationship, self.phone, self.email))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.is_blank():
            return ok
        return contact_complete(self) and ok

    def to_api(self) -> dict:
        return contact_body(self)


class FamilyContactEditForm(_ContactFields, ConsoleForm):
    """One family contact, added or changed on the client page (every field is sent)."""

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        return contact_complete(self) and ok

    def to_api(self) -> dict:
        return contact_body(self)


def contact_complete(form) -> bool:
    """A family contact has a name, a relationship, and what its channel needs."""
    ok = True
    for field in (form.name, form.relationship):
        if not stripped(field):
            field.errors.append(REQUIRED)
            ok = False
    if form.channel.data in PHONE_CHANNELS and not stripped(form.phone):
        form.phone.errors.append(Lazy("error.phone_for_channel"))
        ok = False
    if form.channel.data == FamilyChannel.EMAIL and not stripped(form.email):
        form.email.errors.append(Lazy("error.email_for_channel"))
        ok = False
    return ok


def contact_body(form) -> dict:
    return {
        "name": stripped(form.name),
        "relationship": stripped(form.relationship),
        "phone": stripped(form.phone),
        "email": stripped(form.email),
        "channel": form.channel.data,
        "locale": form.locale.data,
        "may_contact": bool(form.may_contact.data),
    }


def guardian_named(given_by: Field, guardian_name: Field) -> bool:
    """Consent given by a guardian names the guardian (a minor's consent comes from one)."""
    if given_by.data == ConsentGiver.GUARDIAN and not stripped(guardian_name):
        guardian_name.errors.append(Lazy("error.guardian_name"))
        return False
    return True


class ConsentForm(ConsoleForm):
    """A consent change: both flags stated, who gave it, a guardian named when one did."""

    contact_family = BooleanField()
    share_progress = BooleanField()
    given_by = SelectField(
        choices=choices(values(ConsentGiver), "given_by"), default=ConsentGiver.CLIENT.value
    )
    guardian_name = StringField(validators=[Optional(), most(120)])

    API_FIELDS = {"consent.given_by": "given_by", "consent.guardian_name": "guardian_name"}

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        return guardian_named(self.given_by, self.guardian_name) and ok

    def to_api(self) -> dict:
        return {
            "contact_family": bool(self.contact_family.data),
            "share_progress": bool(self.share_progress.data),
            "given_by": self.given_by.data,
            "guardian_name": stripped(self.guardian_name)
            if self.given_by.data == ConsentGiver.GUARDIAN
            else None,
        }
