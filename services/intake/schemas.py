"""Intake's HTTP shapes: what is accepted (strictly) and what is answered."""

from __future__ import annotations

import json
from datetime import date, timedelta

import marshmallow as ma
from marshmallow import fields as f
from marshmallow import validate as v

from services.intake.family_contacts import MAX_FAMILY_CONTACTS, unreachable
from services.intake.health import health_of
from services.intake.identity import is_valid_nik, mask_nik
from services.intake.phones import InvalidPhone, normalise_phone
from shared.auth import FOUNDATION_SLUG
from shared.codes import field_error
from shared.fields import (
    BoundedDate,
    StrictBoolean,
    StrictInteger,
    Text,
    validate_hhmm,
    validate_timezone,
)
from shared.vocabulary import (
    ClientStatus,
    ConsentGiver,
    FamilyChannel,
    Instrument,
    Locale,
    ReferralSource,
    RouteOfUse,
    Sex,
    StaffRole,
    values,
)

LOCALES = values(Locale)
CHANNELS = values(FamilyChannel)


class Strict(ma.Schema):
    class Meta:
        unknown = ma.RAISE


class ChangesSomething:
    """For PATCH bodies: an empty one is a mistake worth naming, not a change of nothing."""

    @ma.validates_schema
    def _not_empty(self, data, **kwargs):
        if not data:
            raise ma.ValidationError(field_error("nothing_to_change"), "_body")


class Phone(f.String):
    """A phone number, answered in E.164; Indonesian local forms accepted."""

    def _deserialize(self, value, attr, data, **kwargs):
        raw = super()._deserialize(value, attr, data, **kwargs)
        if len(raw) > 32:
            raise ma.ValidationError(field_error("phone_too_long"))
        try:
            return normalise_phone(raw)
        except InvalidPhone as exc:
            raise ma.ValidationError(exc.message) from exc


# --- foundations -----------------------------------------------------------------------


class QuietHoursSchema(Strict):
    start = f.String(required=True, validate=validate_hhmm)
    end = f.String(required=True, validate=validate_hhmm)


class FoundationIn(Strict):
    slug = f.String(
        required=True,
        validate=v.Regexp(FOUNDATION_SLUG, error=field_error("slug_format")),
    )
    name = Text(200, required=True)
    timezone = f.String(load_default="Asia/Jakarta", validate=validate_timezone)
    locale = f.String(load_default=Locale.ID, validate=v.OneOf(LOCALES))
    quiet_hours = f.Nested(
        QuietHoursSchema, load_default=lambda: {"start": "21:00", "end": "07:00"}
    )
    sender_name = Text(60, metadata={"description": "Sender name families see; default: name."})


def validate_retention_years(value: int) -> None:
    if not 1 <= value <= 30:
        raise ma.ValidationError(field_error("retention_years_range"))


class FoundationPatch(ChangesSomething, Strict):
    """Settings an operator may change later; the slug names the tenant for good."""

    name = Text(200)
    timezone = f.String(validate=validate_timezone)
    locale = f.String(validate=v.OneOf(LOCALES))
    quiet_hours = f.Nested(QuietHoursSchema)
    sender_name = Text(60)
    retention_years = StrictInteger(
        validate=validate_retention_years,
        metadata={
            "description": "Years a discharged client's data is kept before its erasure is "
            "proposed (1-30; UU PDP art. 42-44).",
            "minimum": 1,
            "maximum": 30,
        },
    )


class FoundationOut(ma.Schema):
    id = f.String()
    slug = f.String()
    name = f.String()
    timezone = f.String()
    locale = f.String()
    quiet_hours = f.Function(lambda o: {"start": o.quiet_start, "end": o.quiet_end})
    sender_name = f.String()
    retention_years = f.Integer()
    created_at = f.AwareDateTime()


# --- clients ---------------------------------------------------------------------------


class FamilyContactIn(Strict):
    name = Text(120, required=True)
    relationship = Text(40, required=True, metadata={"description": "e.g. mother, brother"})
    phone = Phone(allow_none=True, load_default=None)
    email = f.Email(allow_none=True, load_default=None, validate=v.Length(max=254))
    channel = f.String(required=True, validate=v.OneOf(CHANNELS))
    locale = f.String(load_default=Locale.ID, validate=v.OneOf(LOCALES))
    may_contact = StrictBoolean(load_default=True)

    @ma.validates_schema
    def _reachable(self, data, **kwargs):
        refused = unreachable(data.get("channel"), data.get("phone"), data.get("email"))
        if refused:
            field, message = refused
            raise ma.ValidationError(message, field)


class ConsentIn(Strict):
    contact_family = StrictBoolean(load_default=False)
    share_progress = StrictBoolean(load_default=False)
    given_by = f.String(load_default=ConsentGiver.CLIENT, validate=v.OneOf(values(ConsentGiver)))
    guardian_name = Text(120, allow_none=True, load_default=None)

    @ma.validates_schema
    def _guardian_named(self, data, **kwargs):
        if data.get("given_by") == ConsentGiver.GUARDIAN and not data.get("guardian_name"):
            raise ma.ValidationError(field_error("guardian_name_required"), "guardian_name")


class Nik(f.String):
    """A NIK: exactly 16 digits, no further structure check."""

    def _deserialize(self, value, attr, data, **kwargs):
        raw = super()._deserialize(value, attr, data, **kwargs).strip()
        if not is_valid_nik(raw):
            raise ma.ValidationError(field_error("nik_format"))
        return raw


class PastDate(f.Date):
    """A real calendar date, not in the future and not before 1900."""

    def _deserialize(self, value, attr, data, **kwargs):
        parsed = super()._deserialize(value, attr, data, **kwargs)
        if parsed > date.today() + timedelta(days=1) or parsed.year < 1900:
            raise ma.ValidationError(field_error("not_a_past_date"))
        return parsed


class ReferralIn(Strict):
    source = f.String(required=True, validate=v.OneOf(values(ReferralSource)))
    compulsory = StrictBoolean(load_default=False)
    reference_no = Text(60, allow_none=True, load_default=None)


class ClientFields(Strict):
    """Fields a client record has, all optional; shared by create and PATCH."""

    full_name = Text(200, metadata={"description": "A single name is fine."})
    nik = Nik(allow_none=True, metadata={"description": "16 digits; answered masked."})
    date_of_birth = PastDate(allow_none=True)
    date_of_birth_estimated = StrictBoolean()
    sex = f.String(allow_none=True, validate=v.OneOf(values(Sex)))
    phone = Phone(allow_none=True)
    address = Text(500, allow_none=True)
    primary_substances = f.List(Text(60), validate=v.Length(max=10))
    use_duration_months = StrictInteger(allow_none=True, validate=v.Range(min=0, max=1200))
    route_of_use = f.String(allow_none=True, validate=v.OneOf(values(RouteOfUse)))
    case_worker_id = f.String(allow_none=True, validate=v.Length(max=64))
    referral = f.Nested(ReferralIn, allow_none=True)


class ClientIn(ClientFields):
    full_name = Text(200, required=True, metadata={"description": "A single name is fine."})
    family_contacts = f.List(
        f.Nested(FamilyContactIn), load_default=list, validate=v.Length(max=MAX_FAMILY_CONTACTS)
    )
    consent = f.Nested(ConsentIn, load_default=lambda: ConsentIn().load({}))


class ClientPatch(ChangesSomething, ClientFields):
    """Some of a client's fields."""


class FamilyContactPatch(ChangesSomething, Strict):
    name = Text(120)
    relationship = Text(40)
    phone = Phone(allow_none=True)
    email = f.Email(allow_none=True, validate=v.Length(max=254))
    channel = f.String(validate=v.OneOf(CHANNELS))
    locale = f.String(validate=v.OneOf(LOCALES))
    may_contact = StrictBoolean()


class ConsentPut(ConsentIn):
    """A consent change states both flags: no default may silently withdraw one."""

    contact_family = StrictBoolean(required=True)
    share_progress = StrictBoolean(required=True)


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


CONSENT_OUT = ConsentOut()


class EpisodeOut(ma.Schema):
    id = f.String()
    number = f.Integer()
    admitted_on = f.Date()
    family_agreement = f.Boolean()
    treatment_status = f.String()
    discharged_on = f.Date(allow_none=True)


class ReferralOut(ma.Schema):
    source = f.String()
    compulsory = f.Boolean()
    reference_no = f.String(allow_none=True)


class ClientOut(ma.Schema):
    id = f.String()
    code = f.String()
    full_name = f.String()
    nik = f.Function(lambda c: mask_nik(c.nik), metadata={"description": "Masked: last 4 digits."})
    date_of_birth = f.Function(lambda c: c.date_of_birth)
    date_of_birth_estimated = f.Boolean()
    sex = f.String(allow_none=True)
    phone = f.String(allow_none=True)
    address = f.String(allow_none=True)
    primary_substances = f.Function(lambda c: health_of(c).get("primary_substances", []))
    use_duration_months = f.Function(lambda c: health_of(c).get("use_duration_months"))
    route_of_use = f.Function(lambda c: health_of(c).get("route_of_use"))
    referral = f.Function(
        lambda c: (
            None
            if c.referral_source is None
            else {
                "source": c.referral_source,
                "compulsory": c.referral_compulsory,
                "reference_no": c.referral_reference_no,
            }
        )
    )
    status = f.String()
    case_worker_id = f.String(allow_none=True)
    family_contacts = f.List(f.Nested(FamilyContactOut))
    consent = f.Function(lambda c: CONSENT_OUT.dump(c))
    episodes = f.List(f.Nested(EpisodeOut))
    transferred_to = f.Function(
        lambda c: _link(c.transferred_to_foundation, c.transferred_to_client_id),
        metadata={"description": "Transferred to another foundation: its client record."},
    )
    transferred_from = f.Function(
        lambda c: _link(c.transferred_from_foundation, c.transferred_from_client_id),
        metadata={"description": "Transferred from another foundation: its client record."},
    )
    created_at = f.AwareDateTime()
    updated_at = f.AwareDateTime()


def _link(foundation: str | None, client_id: str | None) -> dict[str, str] | None:
    """A transfer's link to the client's record at the other foundation."""
    return {"foundation": foundation, "client_id": client_id} if foundation and client_id else None


class DuplicateOut(ma.Schema):
    id = f.String()
    code = f.String()
    full_name = f.String()


class ClientCreatedOut(ClientOut):
    possible_duplicates = f.List(f.Nested(DuplicateOut))


class ConsentRecordOut(ma.Schema):
    contact_family = f.Boolean()
    share_progress = f.Boolean()
    given_by = f.String()
    guardian_name = f.String(allow_none=True)
    recorded_by = f.String()
    recorded_at = f.AwareDateTime()


class StaffIn(Strict):
    name = Text(120, required=True)
    role = f.String(required=True, validate=v.OneOf(values(StaffRole)))
    email = f.Email(allow_none=True, load_default=None, validate=v.Length(max=254))
    phone = Phone(allow_none=True, load_default=None)


class StaffPatch(ChangesSomething, Strict):
    """What changes about a staff member; ``active: false`` when they leave (they get no more
    reminders or alerts; their records keep naming them)."""

    name = Text(120)
    role = f.String(validate=v.OneOf(values(StaffRole)))
    email = f.Email(allow_none=True, validate=v.Length(max=254))
    phone = Phone(allow_none=True)
    active = StrictBoolean()


class StaffOut(ma.Schema):
    id = f.String()
    name = f.String()
    role = f.String()
    email = f.String(allow_none=True)
    phone = f.String(allow_none=True)
    active = f.Boolean()
    created_at = f.AwareDateTime()


class ScreeningIn(Strict):
    instrument = f.String(required=True, validate=v.OneOf(values(Instrument)))
    answers = f.Raw(
        required=True,
        metadata={"description": "DAST-10: 10 booleans. ASSIST: {substance: {q2..q7: option}}."},
    )


class ScreeningOut(ma.Schema):
    id = f.String()
    client_id = f.String()
    instrument = f.String()
    score = f.Integer(allow_none=True)
    risk = f.String()
    answers = f.Function(lambda s: json.loads(s.answers))
    results = f.Function(lambda s: json.loads(s.result).get("results"))
    recorded_by = f.String()
    recorded_at = f.AwareDateTime()


class AuditArgs(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    resource_id = f.String(validate=v.Length(max=64))


class AuditOut(ma.Schema):
    id = f.String()
    actor = f.String()
    role = f.String()
    action = f.String()
    resource_type = f.String()
    resource_id = f.String(allow_none=True)
    detail = f.String(allow_none=True)
    at = f.AwareDateTime()


class IpwlArgs(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    from_ = BoundedDate(data_key="from", required=True)
    to = BoundedDate(required=True)
    format = f.String(load_default="json", validate=v.OneOf(("json", "csv")))

    @ma.validates_schema
    def _ordered(self, data, **kwargs):
        if data.get("from_") and data.get("to") and data["from_"] > data["to"]:
            raise ma.ValidationError(field_error("before_from"), "to")


class ClientListArgs(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    status = f.String(validate=v.OneOf(values(ClientStatus)))
    q = f.String(validate=v.Length(min=1, max=100))


class AdmissionIn(Strict):
    family_agreement = StrictBoolean(required=True)
    admitted_on = BoundedDate(
        metadata={"description": "Default: today in the foundation's calendar."}
    )
