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
from shared.fields import StrictBoolean

STATUSES = ("scheduled", "queued", "sending", "sent", "failed", "cancelled", "suppressed")


class RecipientOut(ma.Schema):
    kind = f.String()
    id = f.String()
    name = f.String(allow_none=True)


class MessageOut(ma.Schema):
    id = f.String()
    client_id = f.String(allow_none=True)
    recipient = f.Function(
        lambda m: {"kind": m.recipient_kind, "id": m.recipient_id, "name": m.recipient_name}
    )
    channel = f.String()
    template = f.String()
    locale = f.String()
    status = f.String()
    scheduled_for = f.AwareDateTime()
    sent_at = f.AwareDateTime(allow_none=True)
    attempts = f.Integer()
    body = f.String(allow_none=True)
    reason = f.String(allow_none=True)
    delivery_status = f.String(allow_none=True, metadata={"description": "From the provider."})
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

    locale = f.String(load_default="id", validate=v.OneOf(("id", "en")))


def validate_template_source(source: str) -> None:
    """Refuse a template that uses more than values, conditions and harmless filters (the
    rule is :func:`check_template_source`; it is applied again when a message is rendered)."""
    try:
        check_template_source(source)
    except TemplateError as exc:
        raise ma.ValidationError(str(exc)) from exc


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
