"""Intake's HTTP shapes: what is accepted (strictly) and what is answered."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields as f
from marshmallow import validate as v

from services.intake.phones import InvalidPhone, normalise_phone
from shared.fields import StrictBoolean, Text, validate_hhmm, validate_timezone

LOCALES = ("id", "en")
CHANNELS = ("sms", "whatsapp", "email")


class Strict(ma.Schema):
    class Meta:
        unknown = ma.RAISE


class Phone(f.String):
    """A phone number, answered in E.164; Indonesian local forms accepted."""

    def _deserialize(self, value, attr, data, **kwargs):
        raw = super()._deserialize(value, attr, data, **kwargs)
        if len(raw) > 32:
            raise ma.ValidationError("Too long for a phone number.")
        try:
            return normalise_phone(raw)
        except InvalidPhone as exc:
            raise ma.ValidationError(str(exc)) from exc


# --- foundations -----------------------------------------------------------------------


class QuietHoursSchema(Strict):
    start = f.String(required=True, validate=validate_hhmm)
    end = f.String(required=True, validate=validate_hhmm)


class FoundationIn(Strict):
    slug = f.String(
        required=True,
        validate=v.Regexp(
            r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$",
            error="Lower-case letters, digits and dashes; 1-40 characters.",
        ),
    )
    name = Text(200, required=True)
    timezone = f.String(load_default="Asia/Jakarta", validate=validate_timezone)
    locale = f.String(load_default="id", validate=v.OneOf(LOCALES))
    quiet_hours = f.Nested(
        QuietHoursSchema, load_default=lambda: {"start": "21:00", "end": "07:00"}
    )
    sender_name = Text(60, metadata={"description": "Sender name families see; default: name."})


class FoundationOut(ma.Schema):
    id = f.String()
    slug = f.String()
    name = f.String()
    timezone = f.String()
    locale = f.String()
    quiet_hours = f.Function(lambda o: {"start": o.quiet_start, "end": o.quiet_end})
    sender_name = f.String()
    created_at = f.AwareDateTime()


# --- clients ---------------------------------------------------------------------------


class FamilyContactIn(Strict):
    name = Text(120, required=True)
    relationship = Text(40, required=True, metadata={"description": "e.g. mother, brother"})
    phone = Phone(allow_none=True, load_default=None)
    email = f.Email(allow_none=True, load_default=None, validate=v.Length(max=254))
    channel = f.String(required=True, validate=v.OneOf(CHANNELS))
    locale = f.String(load_default="id", validate=v.OneOf(LOCALES))
    may_contact = StrictBoolean(load_default=True)

    @ma.validates_schema
    def _reachable(self, data, **kwargs):
        channel = data.get("channel")
        if channel in ("sms", "whatsapp") and not data.get("phone"):
            raise ma.ValidationError(f"A phone is needed for {channel}.", "phone")
        if channel == "email" and not data.get("email"):
            raise ma.ValidationError("An email is needed for the email channel.", "email")


class ConsentIn(Strict):
    contact_family = StrictBoolean(load_default=False)
    share_progress = StrictBoolean(load_default=False)
    given_by = f.String(load_default="client", validate=v.OneOf(("client", "guardian")))
    guardian_name = Text(120, allow_none=True, load_default=None)

    @ma.validates_schema
    def _guardian_named(self, data, **kwargs):
        if data.get("given_by") == "guardian" and not data.get("guardian_name"):
            raise ma.ValidationError("Name the guardian who gave consent.", "guardian_name")


class ClientIn(Strict):
    full_name = Text(200, required=True, metadata={"description": "A single name is fine."})
    family_contacts = f.List(
        f.Nested(FamilyContactIn), load_default=list, validate=v.Length(max=20)
    )
    consent = f.Nested(ConsentIn, load_default=lambda: ConsentIn().load({}))


class FamilyContactOut(ma.Schema):
    id = f.String()
    name = f.String()
    relationship = f.String(attribute="relationship_")
    phone = f.String(allow_none=True)
    email = f.String(allow_none=True)
    channel = f.String()
    locale = f.String()
    may_contact = f.Boolean()


class ConsentOut(ma.Schema):
    contact_family = f.Boolean(attribute="consent_contact_family")
    share_progress = f.Boolean(attribute="consent_share_progress")
    given_by = f.String(attribute="consent_given_by", allow_none=True)
    guardian_name = f.String(attribute="consent_guardian_name", allow_none=True)


class EpisodeOut(ma.Schema):
    id = f.String()
    number = f.Integer()
    admitted_on = f.Date()
    family_agreement = f.Boolean()
    treatment_status = f.String()
    discharged_on = f.Date(allow_none=True)


class ClientOut(ma.Schema):
    id = f.String()
    code = f.String()
    full_name = f.String()
    status = f.String()
    case_worker_id = f.String(allow_none=True)
    family_contacts = f.List(f.Nested(FamilyContactOut))
    consent = f.Function(lambda c: ConsentOut().dump(c))
    episodes = f.List(f.Nested(EpisodeOut))
    created_at = f.AwareDateTime()
    updated_at = f.AwareDateTime()


class ClientListArgs(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    status = f.String(validate=v.OneOf(("registered", "admitted", "placed", "discharged")))
    q = f.String(validate=v.Length(min=1, max=100))


class AdmissionIn(Strict):
    family_agreement = StrictBoolean(required=True)
    admitted_on = f.Date(metadata={"description": "Default: today in the foundation's calendar."})
