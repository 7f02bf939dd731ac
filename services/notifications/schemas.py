"""Notifications' HTTP shapes."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields as f
from marshmallow import validate as v

from services.notifications.templates import (
    MAX_TEMPLATE_LENGTH,
    TemplateError,
    check_template_source,
)
from shared.codes.notifications import REASONS
from shared.fields import StrictBoolean
from shared.vocabulary import Channel, DeliveryStatus, Locale, MessageStatus, RecipientKind, values

STATUSES = values(MessageStatus)


class RecipientOut(ma.Schema):
    """Who a message is for."""

    kind = f.String(metadata={"enum": values(RecipientKind)})
    id = f.String()
    name = f.String(
        allow_none=True,
        metadata={"description": "Null once a removed family contact's details are erased."},
    )


class MessageOut(ma.Schema):
    id = f.String()
    client_id = f.String(allow_none=True)
    recipient = f.Nested(RecipientOut)
    channel = f.String(metadata={"enum": values(Channel)})
    template = f.String()
    locale = f.String(metadata={"enum": values(Locale)})
    status = f.String(metadata={"enum": STATUSES})
    scheduled_for = f.AwareDateTime()
    sent_at = f.AwareDateTime(allow_none=True)
    attempts = f.Integer()
    body = f.String(
        allow_none=True,
        metadata={"description": "Rendered when the message is sent: null until then."},
    )
    reason = f.String(
        allow_none=True,
        metadata={"description": "Why it is held, cancelled, suppressed, retried or failed."},
    )
    reason_code = f.String(
        allow_none=True,
        metadata={
            "description": "The reason's stable code (what a client reads), beside ``reason``.",
            "enum": [*sorted(REASONS), None],
        },
    )
    delivery_status = f.String(
        allow_none=True,
        metadata={"description": "From the provider.", "enum": [*values(DeliveryStatus), None]},
    )
    fallback_of = f.String(
        allow_none=True,
        metadata={
            "description": "The family WhatsApp message that did not arrive and that this SMS "
            "sends again; null for any other message."
        },
    )
    created_at = f.AwareDateTime()


class MessageListArgs(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    client_id = f.String(validate=v.Length(max=64))
    status = f.String(validate=v.OneOf(STATUSES))
    template = f.String(validate=v.Length(max=64))


class TemplateArgs(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    locale = f.String(load_default=Locale.ID, validate=v.OneOf(values(Locale)))


def validate_template_source(source: str) -> None:
    """Refuse a template that uses more than values, conditions and harmless filters (the
    rule is :func:`check_template_source`; it is applied again when a message is rendered)."""
    try:
        check_template_source(source)
    except TemplateError as exc:
        raise ma.ValidationError(exc.message) from exc


class TemplateIn(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    body = f.String(
        required=True,
        validate=[v.Length(min=1, max=MAX_TEMPLATE_LENGTH), validate_template_source],
    )


class TemplateOut(ma.Schema):
    key = f.String()
    locale = f.String()
    body = f.String()
    customised = f.Boolean()


class RecipientPreferencesOut(ma.Schema):
    id = f.String()
    kind = f.String()
    name = f.String(allow_none=True)
    channel = f.String()
    locale = f.String()
    opted_out = f.Boolean()


class RecipientPreferencesIn(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    opted_out = StrictBoolean(
        required=True,
        metadata={
            "description": "true: send nothing more (as if they replied STOP); false: they "
            "asked to receive messages again."
        },
    )
