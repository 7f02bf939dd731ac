"""Answering a family contact, and marking their replies read, from the client page.

An answer goes through notifications (``POST /conversations/{contact_id}/messages``) under
every rule a family message follows; a refusal (no consent, opted out, WhatsApp's window
closed, a contact notifications does not know) comes back on the page by its code, with
what was typed kept. Answering the family marks their replies read: whoever answered has
read them (:mod:`.threads` says when else a reply counts as read).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import Blueprint, flash, redirect, url_for

from services.console.context import api, timezone_name
from services.console.forms.conversation import AnswerForm, answer_key
from services.console.i18n import format_moment
from services.console.views.client_page import client_action, writers_only
from services.console.views.threads import mark_contact_read
from shared.db import utcnow
from shared.vocabulary import MessageStatus

bp = Blueprint("conversations", __name__, url_prefix="/clients")

#: an answer due later than this is held (quiet hours), and the notice says until when
HELD_AFTER = timedelta(minutes=1)


@bp.post("/<client_id>/family-contacts/<contact_id>/messages")
def answer(client_id: str, contact_id: str):
    key = answer_key(contact_id)
    form = AnswerForm(prefix=key)

    def send() -> dict[str, Any]:
        message = api().post(
            "notifications",
            f"/conversations/{contact_id}/messages",
            form.to_api(),
            headers=form.request_headers(),
        )
        mark_contact_read(client_id, contact_id)  # whoever answered has read them
        return message

    return client_action(
        client_id,
        form,
        key,
        send,
        _answered,
        anchor=f"thread-{contact_id}",
        # a contact notifications does not know (yet): said beside the box like a refusal
        refusals=(404, 409, 422),
    )


def _answered(message: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Sent, or held until quiet hours end: the notice says which."""
    name = (message.get("recipient") or {}).get("name") or ""
    due = message.get("scheduled_for")
    if message.get("status") == MessageStatus.SCHEDULED and due:
        if datetime.fromisoformat(due) > utcnow() + HELD_AFTER:
            return "flash.answer_held", {
                "name": name,
                "moment": format_moment(due, timezone_name()),
            }
    return "flash.answer_sent", {"name": name}


@bp.post("/<client_id>/family-contacts/<contact_id>/read")
def mark_replies_read(client_id: str, contact_id: str):
    """The "mark as read" button of a thread (for writers who are not the case worker)."""
    writers_only()
    client = api().get("intake", f"/clients/{client_id}")
    contacts = {c["id"]: c for c in client.get("family_contacts") or []}
    if contact_id in contacts and mark_contact_read(client_id, contact_id):
        name = contacts[contact_id]["name"]
        # the session keeps any JSON value: base.html renders the key with its parameters
        flash({"key": "flash.replies_read", "params": {"name": name}})  # type: ignore[arg-type]
    return redirect(url_for("clients.show", client_id=client_id) + f"#thread-{contact_id}")
