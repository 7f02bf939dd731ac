"""What the SMS/WhatsApp provider tells us: replies (what they do: :mod:`.replies`) and
delivery-status callbacks.

``POST /inbound/{channel}`` carries no bearer token. The provider signs the raw body with
the foundation's ``webhook_secret`` for that channel (``X-Provider-Signature: sha256=<hex>``)
and the body names the foundation, so a request is believed only for the foundation whose
secret signed it.

A reply is answered 200 whatever becomes of it (``action`` says what did), so a provider
never retries one that was understood; a redelivered reply is recognised and answered
``duplicate``.
"""

from __future__ import annotations

import hashlib
import hmac
import time

import marshmallow as ma
from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields as f
from marshmallow import validate as v
from sqlalchemy import select

from services.notifications.channel_settings import stored_config
from services.notifications.dispatcher import dispatch_after_commit
from services.notifications.fallback import fall_back_or_alert
from services.notifications.models import Message

# opt-outs were first kept here; their home is opt_outs.py (imported from here still)
from services.notifications.opt_outs import OPTED_OUT as OPTED_OUT
from services.notifications.opt_outs import is_opted_out as is_opted_out
from services.notifications.opt_outs import opt_out as opt_out
from services.notifications.replies import receive_reply
from shared.db import utcnow
from shared.fields import Text
from shared.problems import BadRequest, NotFound, Unauthorized, ValidationFailed, flatten_errors
from shared.vocabulary import (
    Channel,
    DeliveryStatus,
    MessageStatus,
    values,
)
from shared.web import load_storable_json, runtime


class _MalformedWebhook(BadRequest):
    code = "malformed_json"


INBOUND_CHANNELS = (Channel.SMS, Channel.WHATSAPP)
SIGNATURE_HEADER = "X-Provider-Signature"
# A provider that sends its time signs it with the body: a request older (or newer) than
# this is refused, so a captured request cannot be replayed (a STOP, an old "YA").
TIMESTAMP_HEADER = "X-Provider-Timestamp"
SIGNATURE_TOLERANCE_SECONDS = 300
MAX_REPLY_LENGTH = 5000  # a long WhatsApp message; SMS concatenates far fewer characters
DELIVERY_STATUSES = values(DeliveryStatus)
# A late "delivered" must not hide that the message was already read.
_RANK: dict[str, int] = {
    DeliveryStatus.DELIVERED: 1,
    DeliveryStatus.FAILED: 1,
    DeliveryStatus.READ: 2,
}
UNDELIVERED = "the provider reported it undelivered"

inbound = Blueprint(
    "inbound",
    __name__,
    url_prefix="/inbound",
    description="Replies and delivery reports from the SMS/WhatsApp provider (signed).",
)


def record_delivery_status(
    session, foundation: str, message_id: str, status: str, provider_message_id: str | None
) -> Message | None:
    """Note what the provider reports; the message's own status does not change (a
    ``failed`` report after ``sent`` stays ``sent``: it was handed over). ``None`` for an
    unknown message. The message is locked: two reports of it at once take turns, so a
    second ``failed`` finds the first one's fallback rather than scheduling its own."""
    message = session.execute(
        select(Message)
        .where(Message.id == message_id, Message.foundation == foundation)
        .with_for_update()
    ).scalar()
    if message is None:
        return None
    current = message.delivery_status
    if current is None or _RANK.get(status, 0) >= _RANK.get(current, 0):
        message.delivery_status = status
    if provider_message_id and not message.provider_message_id:
        message.provider_message_id = provider_message_id[:120]
    message.updated_at = utcnow()
    return message


def signed_content(body: bytes, timestamp: str | None) -> bytes:
    """What the provider signs: the raw body, or ``<timestamp>.<body>`` when it sends
    ``X-Provider-Timestamp`` (Unix seconds)."""
    if timestamp is None:
        return body
    return timestamp.encode("ascii", "replace") + b"." + body


def verify_signature(
    secret: str | None, body: bytes, header: str | None, timestamp: str | None = None
) -> bool:
    if not secret or not header:
        return False
    content = signed_content(body, timestamp)
    expected = "sha256=" + hmac.new(secret.encode("utf-8"), content, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode("ascii"), header.strip().encode("ascii", "replace"))


def timestamp_fresh(timestamp: str, now: float) -> bool:
    """Whether a signed timestamp is within ``SIGNATURE_TOLERANCE_SECONDS`` of ``now``: a
    request captured once cannot be replayed later, as the signature covers its time."""
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
        return False
    return abs(now - int(timestamp)) <= SIGNATURE_TOLERANCE_SECONDS


class InboundText(ma.Schema):
    """A reply from a recipient. Emoji and any script are welcome; the text is kept
    trimmed, encrypted, and only when the sender is a family contact of the foundation."""

    class Meta:
        unknown = ma.EXCLUDE

    foundation = f.String(required=True)
    from_ = f.String(data_key="from", required=True, validate=v.Length(min=3, max=64))
    text = Text(
        max_length=MAX_REPLY_LENGTH,
        required=True,
        metadata={"description": "The reply as written (not blank; up to 5,000 characters)."},
    )
    message_id = f.String(
        validate=v.Length(min=1, max=200),
        metadata={
            "description": "The provider's id of this reply, when it gives one: a reply "
            "delivered again with the same id is recorded once."
        },
    )
    id = f.String(
        validate=v.Length(min=1, max=200),
        metadata={"description": "Read as ``message_id`` when a provider calls it ``id``."},
    )


class StatusReport(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    foundation = f.String(required=True)
    type = f.String(required=True, validate=v.Equal("status"))
    message_id = f.String(required=True, validate=v.Length(min=1, max=64))
    status = f.String(required=True, validate=v.OneOf(DELIVERY_STATUSES))
    provider_message_id = f.String(allow_none=True, validate=v.Length(max=200))


class InboundOut(ma.Schema):
    ok = f.Boolean()
    action = f.String(
        metadata={
            "description": "What became of it: opted_out (STOP/BERHENTI), opted_in "
            "(START/MULAI), reply_recorded (a family contact's reply, kept), duplicate (that "
            "reply was received already), status_recorded, or ignored (nothing to do: a "
            "reply from an address that is no family contact, an unknown message's status).",
            "enum": [
                "opted_out",
                "opted_in",
                "reply_recorded",
                "duplicate",
                "status_recorded",
                "ignored",
            ],
        }
    )
    suppressed = f.Integer(metadata={"description": "Pending messages suppressed (opt-out)."})


def _load(schema: ma.Schema, payload: dict) -> dict:
    try:
        return schema.load(payload)
    except ma.ValidationError as exc:
        raise ValidationFailed(errors=flatten_errors(exc.messages)) from exc


# Documented, not parsed by flask-smorest: the signature is checked on the raw body before
# anything in it is believed, and which shape applies depends on "type".
INBOUND_DOC = {
    "security": [],
    "parameters": [
        {
            "in": "header",
            "name": SIGNATURE_HEADER,
            "required": True,
            "description": "sha256=<hex HMAC-SHA256 of the raw body, keyed with the "
            "foundation's webhook_secret for this channel>; with X-Provider-Timestamp, of "
            "'<timestamp>.<raw body>'",
            "schema": {"type": "string"},
        },
        {
            "in": "header",
            "name": TIMESTAMP_HEADER,
            "required": False,
            "description": "The provider's time of sending, in Unix seconds, signed with the "
            f"body: a request more than {SIGNATURE_TOLERANCE_SECONDS} s from the service's "
            "time is refused (401 provider_signature_expired), so a captured request cannot "
            "be replayed. Without it the body alone is signed, as before.",
            "schema": {"type": "string", "pattern": "^[0-9]{1,12}$"},
        },
    ],
    "requestBody": {
        "required": True,
        "description": "A reply from a recipient, or a delivery report.",
        "content": {"application/json": {"schema": {"oneOf": [InboundText, StatusReport]}}},
    },
}


@inbound.route("/<channel>")
class Inbound(MethodView):
    @inbound.doc(**INBOUND_DOC)
    @inbound.response(200, InboundOut)
    def post(self, channel):
        """A reply or delivery report from the provider, signed with the foundation's
        ``webhook_secret`` (``X-Provider-Signature: sha256=<hex HMAC-SHA256 of the body>``,
        or of ``<timestamp>.<body>`` with ``X-Provider-Timestamp``, which must be within
        five minutes of now).

        Body: ``{"foundation", "from", "text", "message_id"?}`` (``STOP``/``BERHENTI`` opts
        the sender out and suppresses its pending messages, ``START``/``MULAI`` lifts that;
        a family contact's reply is kept, and an answer to an invitation, reminder or
        check-in reaches assessment) or ``{"foundation", "type": "status",
        "message_id", "status": "delivered|read|failed", "provider_message_id"}``."""
        if channel not in INBOUND_CHANNELS:
            raise NotFound(code="inbound_channel_not_found")
        raw = request.get_data(cache=True)
        # Read as JSON whatever its content type says, and checked as every JSON body is
        # (depth, NUL characters, broken emoji) before anything is looked up with it. Not
        # JSON: answered as it always was, a bad request (type and title) coded malformed_json.
        payload = load_storable_json(raw, malformed=_MalformedWebhook)
        foundation = payload.get("foundation") if isinstance(payload, dict) else None
        header = request.headers.get(SIGNATURE_HEADER)
        timestamp = request.headers.get(TIMESTAMP_HEADER)
        with runtime().unit_of_work() as uow:
            config = (
                stored_config(uow.session, foundation, channel)
                if isinstance(foundation, str) and foundation
                else None
            )
            secret = (config or {}).get("webhook_secret")
            if not verify_signature(secret, raw, header, timestamp):
                raise Unauthorized(code="provider_signature_invalid")
            if timestamp is not None and not timestamp_fresh(timestamp, time.time()):
                raise Unauthorized(code="provider_signature_expired")
            if payload.get("type") == "status":
                report = _load(StatusReport(), payload)
                known = record_delivery_status(
                    uow.session,
                    foundation,
                    report["message_id"],
                    report["status"],
                    report.get("provider_message_id"),
                )
                if known is not None and (known.status, known.delivery_status) == (
                    MessageStatus.SENT,
                    DeliveryStatus.FAILED,
                ):
                    # handed over but never delivered: an SMS goes instead where it can, else
                    # the case worker hears (and may phone)
                    dispatch_after_commit(uow, fall_back_or_alert(uow, known, UNDELIVERED))
                return {"ok": True, "action": "status_recorded" if known else "ignored"}
            reply = _load(InboundText(), payload)
            return receive_reply(
                uow,
                foundation,
                channel,
                reply["from_"],
                reply["text"],
                reply.get("message_id") or reply.get("id"),
            )
