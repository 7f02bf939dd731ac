"""What families wrote back, for the foundation's staff: ``GET /replies`` and
``POST /replies/{id}/read``."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields as f
from marshmallow import validate as v
from sqlalchemy import select

from services.notifications.models import Reply
from shared.auth import FOUNDATION_ROLES, STAFF_WRITERS, current_caller, require_roles, tenant
from shared.db import utcnow
from shared.pagination import PageArgs, page_schema, paginate
from shared.problems import NotFound
from shared.vocabulary import FamilyChannel, ReplyIntent, values
from shared.web import runtime

replies = Blueprint(
    "replies",
    __name__,
    url_prefix="/replies",
    description="Replies from family contacts (text encrypted at rest); staff mark them read.",
)


class ReplyOut(ma.Schema):
    id = f.String()
    client_id = f.String()
    contact_id = f.String()
    channel = f.String(metadata={"enum": values(FamilyChannel)})
    received_at = f.AwareDateTime()
    text = f.String(metadata={"description": "What the family wrote."})
    intent = f.String(
        metadata={
            "enum": values(ReplyIntent),
            "description": "What the reply means, from its first word and the question open "
            "when it came (an RSVP, a check-in answer, STOP/START, or free text).",
        }
    )
    in_reply_to = f.String(
        allow_none=True,
        metadata={
            "description": "The message whose question it answers (an invitation, "
            "reminder or check-in), if one was open."
        },
    )
    session_id = f.String(allow_none=True, metadata={"description": "The session it answers."})
    followup_id = f.String(
        allow_none=True, metadata={"description": "The follow-up whose check-in it answers."}
    )
    read_at = f.AwareDateTime(allow_none=True)


class ReplyListArgs(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    client_id = f.String(validate=v.Length(max=64))
    contact_id = f.String(validate=v.Length(max=64))
    unread = f.Boolean(
        metadata={"description": "true: only replies nobody marked read; false: only read ones."}
    )


ReplyPage = page_schema(ReplyOut, "ReplyPage")


@replies.route("")
class Replies(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @replies.arguments(ReplyListArgs, location="query")
    @replies.arguments(PageArgs, location="query")
    @replies.response(200, ReplyPage)
    def get(self, filters, page):
        """This foundation's replies from families, newest first; filter by client,
        contact, and whether they were read."""
        stmt = (
            select(Reply)
            .where(Reply.foundation == tenant())
            .order_by(Reply.received_at.desc(), Reply.id)
        )
        for name in ("client_id", "contact_id"):
            if filters.get(name):
                stmt = stmt.where(getattr(Reply, name) == filters[name])
        if "unread" in filters:
            read = Reply.read_at.is_(None) if filters["unread"] else Reply.read_at.is_not(None)
            stmt = stmt.where(read)
        with runtime().unit_of_work() as uow:
            return paginate(uow.session, stmt, page)


@replies.route("/<reply_id>/read")
class ReplyRead(MethodView):
    @require_roles(*STAFF_WRITERS)
    @replies.response(200, ReplyOut)
    def post(self, reply_id):
        """Mark a reply read (again: it keeps when it was first read)."""
        with runtime().unit_of_work() as uow:
            reply = uow.session.execute(
                select(Reply).where(Reply.id == reply_id, Reply.foundation == tenant())
            ).scalar()
            if reply is None:
                raise NotFound(code="reply_not_found")
            if reply.read_at is None:
                reply.read_at = utcnow()
                reply.read_by = current_caller().sub[:64]
            return reply


BLUEPRINTS = (replies,)
