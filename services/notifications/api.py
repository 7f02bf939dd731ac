"""Notifications' HTTP routes."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from services.notifications.models import Message, TemplateOverride
from services.notifications.schemas import (
    MessageListArgs,
    MessageOut,
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
from shared.auth import FOUNDATION_ROLES, current_caller, require_roles, tenant
from shared.pagination import PageArgs, page_schema, paginate
from shared.problems import NotFound, ValidationFailed
from shared.web import runtime

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
                raise NotFound("No such message.")
            return message


@templates.route("/<key>")
class TemplateByKey(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @templates.arguments(TemplateArgs, location="query")
    @templates.response(200, TemplateOut)
    def get(self, args, key):
        """A template's wording in ``locale`` (the foundation's own, else the default)."""
        if key not in TEMPLATE_KEYS:
            raise NotFound("No such template.")
        with runtime().unit_of_work() as uow:
            override = uow.session.get(TemplateOverride, (tenant(), key, args["locale"]))
            return {
                "key": key,
                "locale": args["locale"],
                "body": override.body if override else default_template(key, args["locale"]),
                "customised": override is not None,
            }

    @require_roles("admin")
    @templates.arguments(TemplateArgs, location="query")
    @templates.arguments(TemplateIn)
    @templates.response(200, TemplateOut)
    def put(self, args, data, key):
        """Change a template's wording (admin). It is rendered in a sandbox; it may use
        the documented values only, and family templates should stay discreet."""
        if key not in TEMPLATE_KEYS:
            raise NotFound("No such template.")
        try:
            check_template(data["body"], key, args["locale"])
        except TemplateError as exc:
            raise ValidationFailed(errors={"body": [str(exc)]}) from exc
        caller = current_caller()
        with runtime().unit_of_work() as uow:
            override = uow.session.get(TemplateOverride, (tenant(), key, args["locale"]))
            if override is None:
                override = TemplateOverride(foundation=tenant(), key=key, locale=args["locale"])
                uow.session.add(override)
            override.body = data["body"]
            override.updated_by = caller.sub
        return {"key": key, "locale": args["locale"], "body": data["body"], "customised": True}


BLUEPRINTS = (messages, templates)
