"""The family's conversations on the client page, and when their replies count as read.

A reply is new until someone responsible for the client has seen it. The client's case worker
opening the page has seen it: the page marks the replies read as it shows them (marked "new"
on that page still, so nothing goes unnoticed). Anyone else who may write (a colleague
standing in, an admin) sees them as new without taking that from the case worker, and marks
them read with a button, or by answering the family. A viewer never changes what is read.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from services.console.api_client import ApiError, ApiUnavailable
from services.console.context import account, api, can_write
from services.console.family_thread import Thread, build_thread
from services.console.forms.conversation import AnswerForm, answer_key
from services.console.i18n import format_clock, t
from services.console.views.common import section
from shared.db import utcnow

log = logging.getLogger(__name__)


def conversation_card(
    client: dict[str, Any], posted: dict[str, Any], notices: list[str], timezone: str
) -> dict[str, Any]:
    """What the client page's conversation card shows: ``threads`` by contact id (``None``
    when notifications does not answer), each WhatsApp window's state (``windows``), why no
    answer may go to a contact (``withheld``: ``None`` where one may), an ``answer_forms``
    box per contact (a refused one as it was posted) and ``now``."""
    threads = family_threads(client, notices)
    now = utcnow()
    contacts = client.get("family_contacts") or []
    return {
        "threads": threads,
        "windows": {cid: window_text(th, now, timezone) for cid, th in (threads or {}).items()},
        "withheld": {c["id"]: withheld_text(client, c) for c in contacts},
        "answer_forms": {
            c["id"]: posted.get(answer_key(c["id"]))
            or AnswerForm(formdata=None, prefix=answer_key(c["id"]))
            for c in contacts
        },
        "now": now,
    }


def family_threads(client: dict[str, Any], notices: list[str]) -> dict[str, Thread] | None:
    """Each family contact's thread, by contact id; ``None`` when notifications does not
    answer (the page says so once). Marks the replies read when the case worker opens it."""
    contacts = client.get("family_contacts") or []
    if not contacts:
        return {}
    replies = section(
        lambda: api().items("notifications", "/replies", client_id=client["id"]),
        notices,
        "notifications",
    )
    if replies is None and "notifications" in notices:
        return None
    threads = {
        c["id"]: build_thread(c, _conversation(c["id"], notices), replies or []) for c in contacts
    }
    if is_case_worker(client):
        for thread in threads.values():
            if thread.unread_reply_ids:
                thread.marked_read = mark_read(thread.unread_reply_ids)
    return threads


def _conversation(contact_id: str, notices: list[str]) -> dict[str, Any] | None:
    return section(
        lambda: api().get("notifications", f"/conversations/{contact_id}"),
        notices,
        "notifications",
    )


def is_case_worker(client: dict[str, Any]) -> bool:
    user = account()
    return can_write() and bool(user.staff_id) and client.get("case_worker_id") == user.staff_id


def mark_read(reply_ids: list[str]) -> bool:
    """Mark the replies read; ``False`` when notifications refused or did not answer (they
    stay new, which is harmless: the page is shown all the same)."""
    try:
        for reply_id in reply_ids:
            api().post("notifications", f"/replies/{reply_id}/read")
    except (ApiError, ApiUnavailable) as exc:
        log.warning("replies not marked read: %s", exc)
        return False
    return True


def mark_contact_read(client_id: str, contact_id: str) -> bool:
    """Mark every reply of one contact of the client read; ``False`` when notifications
    refused or did not answer."""
    try:
        replies = api().items(
            "notifications", "/replies", client_id=client_id, contact_id=contact_id, unread="true"
        )
    except (ApiError, ApiUnavailable) as exc:
        log.warning("unread replies not found: %s", exc)
        return False
    return mark_read([r["id"] for r in replies])


def withheld_key(client: dict[str, Any], contact: dict[str, Any]) -> str | None:
    """Why no answer may go to ``contact`` whatever the channel says (the text's key), as
    notifications would refuse it (409 ``no_consent``): the client has not agreed to
    messages to the family, or this contact is never to be contacted. ``None``: it may."""
    if not (client.get("consent") or {}).get("contact_family"):
        return "conversation.no_consent"
    if not contact.get("may_contact", True):
        return "conversation.never_contact"
    return None


def withheld_text(client: dict[str, Any], contact: dict[str, Any]) -> str | None:
    key = withheld_key(client, contact)
    return t(key) if key else None


def window_text(thread: Thread, now: datetime, timezone: str) -> str | None:
    """What the page says of the WhatsApp window: open until when ("14.30", or tomorrow's),
    or closed; ``None`` for a channel that has no window."""
    if not thread.whatsapp:
        return None
    if not thread.window_open(now) or thread.window_open_until is None:
        return t("conversation.window_closed")
    today = now.astimezone(ZoneInfo(timezone)).date()
    same_day = thread.window_closes_on(timezone) == today
    key = "conversation.window_open" if same_day else "conversation.window_open_tomorrow"
    return t(key, time=format_clock(thread.window_open_until, timezone))
