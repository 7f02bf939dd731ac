"""Notifications' HTTP routes."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from services.notifications.models import Message
from services.notifications.schemas import MessageListArgs, MessageOut
from shared.auth import FOUNDATION_ROLES, require_roles, tenant
from shared.pagination import PageArgs, page_schema, paginate
from shared.problems import NotFound
from shared.web import runtime

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


BLUEPRINTS = (messages,)
