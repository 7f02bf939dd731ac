"""The HTTP shapes of partners, referrals and the referrer report."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields as f
from marshmallow import validate as v

from services.intake.schemas import ChangesSomething, Phone, Strict
from shared.codes import field_error
from shared.fields import StrictBoolean, Text
from shared.vocabulary import (
    AgeBand,
    Locale,
    PartnerKind,
    ReferralDirection,
    ReferralShare,
    ReferralStatus,
    values,
)

FOUNDATION_SLUG = v.Regexp(
    r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$", error=field_error("slug_format")
)
#: the statuses a PATCH may ask for (``pending`` is where every referral starts)
TARGETS = tuple(s for s in values(ReferralStatus) if s != ReferralStatus.PENDING)


# --- partners -----------------------------------------------------------------------------


class PartnerIn(Strict):
    name = Text(200, required=True)
    kind = f.String(required=True, validate=v.OneOf(values(PartnerKind)))
    email = f.Email(allow_none=True, load_default=None, validate=v.Length(max=254))
    phone = Phone(allow_none=True, load_default=None)
    foundation_slug = f.String(
        allow_none=True,
        load_default=None,
        validate=FOUNDATION_SLUG,
        metadata={"description": "Another foundation of this deployment (kind foundation)."},
    )


class PartnerPatch(ChangesSomething, Strict):
    """What changes about a partner; ``active: false`` when the foundation stops referring
    to it (its referrals keep naming it)."""

    name = Text(200)
    kind = f.String(validate=v.OneOf(values(PartnerKind)))
    email = f.Email(allow_none=True, validate=v.Length(max=254))
    phone = Phone(allow_none=True)
    foundation_slug = f.String(allow_none=True, validate=FOUNDATION_SLUG)
    active = StrictBoolean()


class PartnerListArgs(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    active = f.Boolean(metadata={"description": "true: active partners only."})
    kind = f.String(validate=v.OneOf(values(PartnerKind)))


class PartnerOut(ma.Schema):
    id = f.String()
    name = f.String()
    kind = f.String()
    email = f.String(allow_none=True)
    phone = f.String(allow_none=True)
    foundation_slug = f.String(allow_none=True)
    active = f.Boolean()
    created_at = f.AwareDateTime()
    updated_at = f.AwareDateTime()


# --- referrals ----------------------------------------------------------------------------


class PartnerReferralIn(Strict):
    partner_id = f.String(required=True, validate=v.Length(max=64))
    reason = Text(
        2000,
        required=True,
        metadata={"description": "Why: a receiving foundation reads it before it accepts."},
    )
    share = f.List(
        f.String(validate=v.OneOf(values(ReferralShare))),
        load_default=list,
        validate=v.Length(max=len(ReferralShare) * 2),
        metadata={"description": "The parts of the record shared (each once)."},
    )
    consent = StrictBoolean(required=True, metadata={"description": "The client agreed."})
    override_reason = Text(
        1000,
        allow_none=True,
        load_default=None,
        metadata={"description": "Without consent (admins only): why it is referred anyway."},
    )


class PartnerReferralPatch(Strict):
    status = f.String(required=True, validate=v.OneOf(TARGETS))
    note = Text(1000, allow_none=True, load_default=None)


class PartnerReferralListArgs(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    direction = f.String(
        load_default=ReferralDirection.OUTGOING.value,
        validate=v.OneOf(values(ReferralDirection)),
        metadata={"description": "incoming: referrals other foundations made to this one."},
    )
    status = f.String(validate=v.OneOf(values(ReferralStatus)))
    client_id = f.String(validate=v.Length(max=64))
    partner_id = f.String(validate=v.Length(max=64))


class ReferralPartnerOut(ma.Schema):
    id = f.String()
    name = f.String()
    kind = f.String()
    foundation_slug = f.String(allow_none=True)
    active = f.Boolean()


class ReferralChangeOut(ma.Schema):
    status = f.String()
    side = f.String()
    note = f.String(allow_none=True)
    changed_by = f.String()
    changed_at = f.AwareDateTime()


class TransferLinkOut(ma.Schema):
    foundation = f.String()
    client_id = f.String()


class PartnerReferralOut(ma.Schema):
    """A referral as the caller's side sees it (``direction``): the sending foundation
    whole; a receiving foundation only ``id``, ``from_foundation``, ``reason``,
    ``age_band``, ``sex``, ``substances``, ``shared``, ``status`` and dates (and, once
    accepted, ``client_id``: the client it registered)."""

    id = f.String()
    direction = f.String(validate=v.OneOf(values(ReferralDirection)))
    status = f.String(validate=v.OneOf(values(ReferralStatus)))
    reason = f.String()
    created_at = f.AwareDateTime()
    updated_at = f.AwareDateTime()
    client_id = f.String()
    # outgoing
    client_code = f.String(allow_none=True)
    partner = f.Nested(ReferralPartnerOut)
    to_foundation = f.String(allow_none=True)
    share = f.List(f.String())
    consent = f.Boolean()
    override_reason = f.String(allow_none=True)
    created_by = f.String()
    history = f.List(f.Nested(ReferralChangeOut))
    transferred_to = f.Nested(TransferLinkOut, allow_none=True)
    # incoming
    from_foundation = f.String()
    from_foundation_name = f.String()
    age_band = f.String(validate=v.OneOf(values(AgeBand)))
    sex = f.String(allow_none=True)
    substances = f.List(f.String())
    shared = f.List(f.String())


# --- the referrer report ------------------------------------------------------------------


class ReferrerReportArgs(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    format = f.String(load_default="json", validate=v.OneOf(("json", "html", "pdf")))
    lang = f.String(
        validate=v.OneOf(values(Locale)),
        metadata={"description": "The HTML or PDF's language; default: the foundation's."},
    )
