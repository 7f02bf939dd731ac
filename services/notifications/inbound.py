"""What the SMS/WhatsApp provider tells us: replies (``STOP``/``BERHENTI`` opts the sender
out) and delivery-status callbacks.

``POST /inbound/{channel}`` carries no bearer token. The provider signs the raw body with
the foundation's ``webhook_secret`` for that channel (``X-Provider-Signature: sha256=<hex>``)
and the body names the foundation, so a request is believed only for the foundation whose
secret signed it.

Opt-outs are keyed by a blind index of the normalised address, never the address itself.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import string

import marshmallow as ma
import phonenumbers
from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields as f
from marshmallow import validate as v
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from services.notifications.channel_settings import stored_config
from services.notifications.dispatcher import dispatch_after_commit
from services.notifications.failure_alerts import alert_staff_of_failure
from services.notifications.models import Message, OptOut
from shared.crypto import cipher
from shared.db import utcnow
from shared.problems import BadRequest, NotFound, Unauthorized, ValidationFailed, flatten_errors
from shared.vocabulary import (
    PENDING_MESSAGE_STATUSES,
    Channel,
    DeliveryStatus,
    MessageStatus,
    values,
)
from shared.web import runtime

INBOUND_CHANNELS = (Channel.SMS, Channel.WHATSAPP)
SIGNATURE_HEADER = "X-Provider-Signature"
STOP_WORDS = frozenset({"stop", "berhenti"})


def stop_word(text: str) -> str:
    """A reply as compared with the stop words: "STOP.", " Berhenti! " count."""
    return text.strip().strip(string.punctuation + " ").casefold()


OPTED_OUT = "recipient_opted_out"  # the reason code of a message suppressed by an opt-out
DELIVERY_STATUSES = values(DeliveryStatus)
# A late "delivered" must not hide that the message was already read.
_RANK: dict[str, int] = {
    DeliveryStatus.DELIVERED: 1,
    DeliveryStatus.FAILED: 1,
    DeliveryStatus.READ: 2,
}
UNDELIVERED = "the provider reported it undelivered"
DEFAULT_REGION = "ID"

inbound = Blueprint(
    "inbound",
    __name__,
    url_prefix="/inbound",
    description="Replies and delivery reports from the SMS/WhatsApp provider (signed).",
)


def normalise_address(address: str) -> str:
    """An e-mail address lower-cased, a phone number in E.164 (local Indonesian numbers
    like ``0812...`` included); anything else trimmed and lower-cased."""
    value = address.strip()
    if "@" in value:
        return value.lower()
    try:
        number = phonenumbers.parse(value, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return value.lower()
    if not phonenumbers.is_possible_number(number):
        return value.lower()
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def address_index(address: str) -> str:
    return cipher().blind_index("address:" + normalise_address(address))


def is_opted_out(session, foundation: str, address: str) -> bool:
    """Whether ``address`` asked ``foundation`` to send it nothing more."""
    return session.get(OptOut, (foundation, address_index(address))) is not None


def opt_out(session, foundation: str, channel: str, address: str) -> int:
    """Record the opt-out (once) and suppress the address's pending messages; returns how
    many were suppressed."""
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    # Two STOPs at once must not collide: the second insert simply does nothing.
    session.execute(
        insert(OptOut)
        .values(
            foundation=foundation,
            address_index=address_index(address),
            channel=channel,
            opted_out_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["foundation", "address_index"])
    )
    wanted = normalise_address(address)
    pending = session.execute(
        select(Message).where(
            Message.foundation == foundation, Message.status.in_(PENDING_MESSAGE_STATUSES)
        )
    ).scalars()
    suppressed = 0
    for message in pending:
        if message.address and normalise_address(message.address) == wanted:
            message.set_status(MessageStatus.SUPPRESSED, OPTED_OUT)
            suppressed += 1
    return suppressed


def record_delivery_status(
    session, foundation: str, message_id: str, status: str, provider_message_id: str | None
) -> Message | None:
    """Note what the provider reports; the message's own status does not change (a
    ``failed`` report after ``sent`` stays ``sent``: it was handed over). ``None`` for an
    unknown message."""
    message = session.execute(
        select(Message).where(Message.id == message_id, Message.foundation == foundation)
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


def verify_signature(secret: str | None, body: bytes, header: str | None) -> bool:
    if not secret or not header:
        return False
    expected = "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode("ascii"), header.strip().encode("ascii", "replace"))


class InboundText(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    foundation = f.String(required=True)
    from_ = f.String(data_key="from", required=True, validate=v.Length(min=3, max=64))
    text = f.String(required=True, validate=v.Length(max=2000))


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
        metadata={"description": "opted_out, status_recorded, or ignored (nothing to do)."}
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
            "foundation's webhook_secret for this channel>",
            "schema": {"type": "string"},
        }
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
        ``webhook_secret`` (``X-Provider-Signature: sha256=<hex HMAC-SHA256 of the body>``).

        Body: ``{"foundation", "from", "text"}`` (``STOP``/``BERHENTI`` opts the sender out
        and suppresses its pending messages) or ``{"foundation", "type": "status",
        "message_id", "status": "delivered|read|failed", "provider_message_id"}``."""
        if channel not in INBOUND_CHANNELS:
            raise NotFound(code="inbound_channel_not_found")
        raw = request.get_data(cache=True)
        try:
            payload = json.loads(raw)
        except ValueError as exc:
            # answered as it always was: a bad request (type and title), coded malformed_json
            raise BadRequest(code="malformed_json") from exc
        foundation = payload.get("foundation") if isinstance(payload, dict) else None
        header = request.headers.get(SIGNATURE_HEADER)
        with runtime().unit_of_work() as uow:
            config = (
                stored_config(uow.session, foundation, channel)
                if isinstance(foundation, str) and foundation
                else None
            )
            if not verify_signature((config or {}).get("webhook_secret"), raw, header):
                raise Unauthorized(code="provider_signature_invalid")
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
                    # handed over but never delivered: the case worker may phone instead
                    alerts = alert_staff_of_failure(uow, known, UNDELIVERED)
                    dispatch_after_commit(uow, alerts)
                return {"ok": True, "action": "status_recorded" if known else "ignored"}
            reply = _load(InboundText(), payload)
            if stop_word(reply["text"]) not in STOP_WORDS:
                return {"ok": True, "action": "ignored"}
            suppressed = opt_out(uow.session, foundation, channel, reply["from_"])
            return {"ok": True, "action": "opted_out", "suppressed": suppressed}
