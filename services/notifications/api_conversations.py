"""Family conversations over HTTP: a contact's thread (what was sent, what they replied) and
a staff member's answer to them."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields as f
from marshmallow import validate as v
from sqlalchemy import select

from services.notifications.conversation_history import conversation, find_party
from services.notifications.conversations import MAX_DIRECT_TEXT
from services.notifications.direct_messages import write_to_family
from services.notifications.models import Message
from services.notifications.schemas import STATUSES, MessageOut
from shared.auth import FOUNDATION_ROLES, STAFF_WRITERS, require_roles, tenant
from shared.codes import field_error
from shared.fields import Text
from shared.problems import NotFound
from shared.vocabulary import Channel, ConversationItemKind, ReplyIntent, values
from shared.web import runtime

conversations = Blueprint(
    "conversations",
    __name__,
    url_prefix="/conversations",
    description="A family contact's conversation: messages sent, replies received, and "
    "staff answers (under consent, opt-out, quiet hours and WhatsApp's 24-hour window).",
)

# What only one kind of item has: left out of the other kind.
_SENT_ONLY = ("template", "status", "reason_code")
_RECEIVED_ONLY = ("intent",)


class ConversationItemOut(ma.Schema):
    kind = f.String(metadata={"enum": values(ConversationItemKind)})
    id = f.String(metadata={"description": "The message's id (sent) or the reply's (received)."})
    at = f.AwareDateTime(
        metadata={
            "description": "Sent: when it was sent; while it waits, when it is due; ended "
            "unsent (cancelled, suppressed, failed): when it ended. Received: when it came."
        }
    )
    channel = f.String(metadata={"enum": values(Channel)})
    text = f.String(
        allow_none=True,
        metadata={
            "description": "Sent: the rendered message; a staff answer not yet sent: its own "
            "text; another message not yet sent: null (it is worded when it goes). "
            "Received: the reply."
        },
    )
    template = f.String(metadata={"description": "Sent only."})
    status = f.String(metadata={"enum": STATUSES, "description": "Sent only."})
    reason_code = f.String(
        allow_none=True, metadata={"description": "Sent only: why it waits or did not go."}
    )
    intent = f.String(metadata={"enum": values(ReplyIntent), "description": "Received only."})

    @ma.post_dump
    def _only_its_kind(self, data: dict, **kwargs) -> dict:
        other = _RECEIVED_ONLY if data.get("kind") == ConversationItemKind.SENT else _SENT_ONLY
        return {key: value for key, value in data.items() if key not in other}


class ConversationOut(ma.Schema):
    contact_id = f.String()
    client_id = f.String(allow_none=True)
    channel = f.String(
        metadata={
            "enum": values(Channel),
            "description": "How the contact is reached (a removed contact: the channel of "
            "the last message to it).",
        }
    )
    window_open_until = f.AwareDateTime(
        allow_none=True,
        metadata={
            "description": "WhatsApp: 24 hours after the contact's last WhatsApp reply (free "
            "text may go until then; past it, only templates); null when there is no window "
            "(SMS, e-mail) or no reply yet."
        },
    )
    items = f.List(f.Nested(ConversationItemOut), metadata={"description": "Oldest first."})


class DirectMessageIn(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    text = Text(
        max_length=MAX_DIRECT_TEXT,
        required=True,
        metadata={"description": "What to write to the family (trimmed; 1 to 1000 characters)."},
    )

    @ma.pre_load
    def _an_object(self, data, **kwargs):
        # A list, a string or a number has no ``text``: say so beside the field, as for {}.
        if not isinstance(data, dict):
            raise ma.ValidationError(
                {"_schema": [field_error("invalid_input_type")], "text": [field_error("required")]}
            )
        return data


class DirectMessageHeaders(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    idempotency_key = f.String(
        data_key="Idempotency-Key",
        validate=v.Regexp(r"^[A-Za-z0-9_-]{8,64}$"),
        metadata={
            "description": "Optional: a key naming this request (8 to 64 letters, digits, - "
            "or _). The same key again returns the message already written (200) instead of "
            "writing it twice: a double click or a retried request sends one message."
        },
    )


@conversations.route("/<contact_id>")
class ConversationWith(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @conversations.response(200, ConversationOut)
    def get(self, contact_id):
        """The contact's conversation, oldest first: every family message to them (with its
        status) and every reply they sent. A contact removed since still shows its history."""
        with runtime().unit_of_work() as uow:
            party = find_party(uow.session, tenant(), contact_id)
            if party is None:
                raise NotFound(code="contact_not_found")
            return conversation(uow.session, tenant(), party)


@conversations.route("/<contact_id>/messages")
class ConversationMessages(MethodView):
    @require_roles(*STAFF_WRITERS)
    @conversations.arguments(DirectMessageIn)
    @conversations.arguments(DirectMessageHeaders, location="headers")
    @conversations.response(201, MessageOut)
    @conversations.alt_response(200, schema=MessageOut, description="A repeated request")
    def post(self, data, headers, contact_id):
        """Write to the contact (``family.direct``). 409 ``no_consent`` (no consent, or the
        contact was removed), ``opted_out``, ``whatsapp_window_closed`` (WhatsApp free text
        goes only within 24 hours of the contact's last WhatsApp reply, counted to when it
        will go). In quiet hours it is scheduled for their end."""
        with runtime().unit_of_work() as uow:
            message, created = write_to_family(
                uow, tenant(), contact_id, data["text"], headers.get("idempotency_key")
            )
            message_id = message.id
        # read again: right after the commit it was handed to the send queue
        with runtime().unit_of_work() as uow:
            written = uow.session.execute(select(Message).where(Message.id == message_id)).scalar()
        return written, 201 if created else 200


BLUEPRINTS = (conversations,)
