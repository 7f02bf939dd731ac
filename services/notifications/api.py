"""Notifications' HTTP routes."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import delete, select

from services.notifications.addresses import address_index
from services.notifications.inbound import is_opted_out, opt_out
from services.notifications.models import (
    FamilyContact,
    Message,
    OptOut,
    StaffMember,
    TemplateOverride,
)
from services.notifications.schemas import (
    MessageListArgs,
    MessageOut,
    RecipientPreferencesIn,
    RecipientPreferencesOut,
    TemplateArgs,
    TemplateIn,
    TemplateOut,
)
from services.notifications.templates import (
    TEMPLATE_KEYS,
    TemplateError,
    check_template,
    default_template,
)
from shared.auth import FOUNDATION_ROLES, STAFF_WRITERS, current_caller, require_roles, tenant
from shared.codes import field_error
from shared.pagination import PageArgs, page_schema, paginate
from shared.problems import NotFound, ValidationFailed
from shared.vocabulary import Channel, Locale, RecipientKind, Role
from shared.web import runtime

recipients = Blueprint(
    "recipients",
    __name__,
    url_prefix="/recipients",
    description="How family contacts and staff are reached; opt-outs.",
)
templates = Blueprint(
    "templates",
    __name__,
    url_prefix="/templates",
    description="Message wording per template key and locale (admins edit).",
)
messages = Blueprint(
    "messages",
    __name__,
    url_prefix="/messages",
    description="Every family and staff message, with its delivery status.",
)

MessagePage = page_schema(MessageOut, "MessagePage")


@messages.route("")
class Messages(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @messages.arguments(MessageListArgs, location="query")
    @messages.arguments(PageArgs, location="query")
    @messages.response(200, MessagePage)
    def get(self, filters, page):
        """This foundation's messages, newest first; filter by client, status, template."""
        stmt = (
            select(Message)
            .where(Message.foundation == tenant())
            .order_by(Message.created_at.desc(), Message.id)
        )
        for name in ("client_id", "status", "template"):
            if filters.get(name):
                stmt = stmt.where(getattr(Message, name) == filters[name])
        with runtime().unit_of_work() as uow:
            return paginate(uow.session, stmt, page)


@messages.route("/<message_id>")
class MessageById(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @messages.response(200, MessageOut)
    def get(self, message_id):
        """One message of this foundation."""
        with runtime().unit_of_work() as uow:
            message = uow.session.execute(
                select(Message).where(Message.id == message_id, Message.foundation == tenant())
            ).scalar()
            if message is None:
                raise NotFound(code="message_not_found")
            return message


@templates.route("/<key>")
class TemplateByKey(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @templates.arguments(TemplateArgs, location="query")
    @templates.response(200, TemplateOut)
    def get(self, args, key):
        """A template's wording in ``locale`` (the foundation's own, else the default)."""
        if key not in TEMPLATE_KEYS:
            raise NotFound(code="template_not_found")
        with runtime().unit_of_work() as uow:
            override = uow.session.get(TemplateOverride, (tenant(), key, args["locale"]))
            return {
                "key": key,
                "locale": args["locale"],
                "body": override.body if override else default_template(key, args["locale"]),
                "customised": override is not None,
            }

    @require_roles(Role.ADMIN)
    @templates.arguments(TemplateArgs, location="query")
    @templates.arguments(TemplateIn)
    @templates.response(200, TemplateOut)
    def put(self, args, data, key):
        """Change a template's wording (admin). It is rendered in a sandbox; it may use
        the documented values only, and family templates should stay discreet."""
        if key not in TEMPLATE_KEYS:
            raise NotFound(code="template_not_found")
        try:
            check_template(data["body"])
        except TemplateError as exc:
            raise ValidationFailed(errors={"body": [exc.message]}) from exc
        caller = current_caller()
        with runtime().unit_of_work() as uow:
            override = uow.session.get(TemplateOverride, (tenant(), key, args["locale"]))
            if override is None:
                override = TemplateOverride(foundation=tenant(), key=key, locale=args["locale"])
                uow.session.add(override)
            override.body = data["body"]
            override.updated_by = caller.sub
        return {"key": key, "locale": args["locale"], "body": data["body"], "customised": True}


def _recipient(session, recipient_id: str):
    contact = session.execute(
        select(FamilyContact).where(
            FamilyContact.id == recipient_id, FamilyContact.foundation == tenant()
        )
    ).scalar()
    if contact is not None:
        address = contact.email if contact.channel == Channel.EMAIL else contact.phone
        return RecipientKind.FAMILY, contact, address
    staff = session.execute(
        select(StaffMember).where(
            StaffMember.id == recipient_id, StaffMember.foundation == tenant()
        )
    ).scalar()
    if staff is not None:
        return RecipientKind.STAFF, staff, staff.email or staff.phone
    raise NotFound(code="recipient_not_found")


def _preferences(kind, recipient, address, opted_out: bool) -> dict:
    return {
        "id": recipient.id,
        "kind": kind,
        "name": recipient.name,
        "channel": recipient.channel
        if kind == RecipientKind.FAMILY
        else (Channel.EMAIL if recipient.email else Channel.SMS),
        "locale": recipient.locale if kind == RecipientKind.FAMILY else Locale.ID,
        "opted_out": opted_out,
    }


@recipients.route("/<recipient_id>/preferences")
class RecipientPreferences(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @recipients.response(200, RecipientPreferencesOut)
    def get(self, recipient_id):
        """How a recipient is reached, and whether they opted out."""
        with runtime().unit_of_work() as uow:
            kind, recipient, address = _recipient(uow.session, recipient_id)
            opted = bool(address) and is_opted_out(uow.session, tenant(), address)
            return _preferences(kind, recipient, address, opted)

    @require_roles(*STAFF_WRITERS)
    @recipients.arguments(RecipientPreferencesIn)
    @recipients.response(200, RecipientPreferencesOut)
    def put(self, data, recipient_id):
        """Record an opt-out a family asked for in person (their pending messages are
        suppressed), or lift it when they ask to receive messages again."""
        with runtime().unit_of_work() as uow:
            kind, recipient, address = _recipient(uow.session, recipient_id)
            if not address:
                raise ValidationFailed(
                    errors={"opted_out": [field_error("recipient_without_address")]}
                )
            channel = recipient.channel if kind == RecipientKind.FAMILY else Channel.SMS
            if data["opted_out"]:
                opt_out(uow.session, tenant(), channel, address)
            else:
                uow.session.execute(
                    delete(OptOut).where(
                        OptOut.foundation == tenant(),
                        OptOut.address_index == address_index(address),
                    )
                )
            return _preferences(kind, recipient, address, data["opted_out"])


BLUEPRINTS = (messages, templates, recipients)
