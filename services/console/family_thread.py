"""A family contact's conversation as the client page shows it: what was sent and what the
family wrote back, oldest first; each reply with what it means (its intent) and whether it
is new; over WhatsApp, until when free text may go.

Pure. It joins notifications' conversation (``GET /conversations/{contact_id}``) with the
client's replies (``GET /replies?client_id=``): the conversation gives the order and what was
sent, a reply gives what a received item's conversation entry does not (its id, its intent,
whether it was read). A received item is matched to its reply by the reply's id when the
conversation names it, else by the moment it arrived and its text. A reply the conversation
does not show yet (it arrived between the two calls), or every reply when the conversation
could not be read, is shown in its place in time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from shared.vocabulary import ConversationItemKind, FamilyChannel, ReplyIntent

#: the latest items shown open; earlier ones are folded away (never a new reply)
RECENT_ITEMS = 8


@dataclass(frozen=True)
class ThreadItem:
    kind: str  # ConversationItemKind: sent | received
    at: datetime
    text: str | None
    template: str | None = None
    status: str | None = None
    intent: str | None = None
    reply_id: str | None = None
    unread: bool = False

    @property
    def received(self) -> bool:
        return self.kind == ConversationItemKind.RECEIVED

    @property
    def meaning(self) -> str | None:
        """The intent worth a label ("Hadir", "Berhenti"); ``None`` for free text."""
        return self.intent if self.intent and self.intent != ReplyIntent.TEXT else None


@dataclass
class Thread:
    contact: dict[str, Any]
    channel: str
    items: list[ThreadItem]
    window_open_until: datetime | None = None
    #: the unread replies were marked read as this page opened (still shown as new on it)
    marked_read: bool = False

    @property
    def unread_reply_ids(self) -> list[str]:
        return [i.reply_id for i in self.items if i.unread and i.reply_id]

    @property
    def whatsapp(self) -> bool:
        return self.channel == FamilyChannel.WHATSAPP

    def window_open(self, now: datetime) -> bool:
        """Whether free text may go now: always over SMS and email; over WhatsApp only until
        ``window_open_until`` (24 hours after the contact's last reply)."""
        if not self.whatsapp:
            return True
        return self.window_open_until is not None and self.window_open_until > now

    def window_closes_on(self, timezone: str) -> date | None:
        """The foundation's calendar day the WhatsApp window closes on."""
        if self.window_open_until is None:
            return None
        return self.window_open_until.astimezone(ZoneInfo(timezone)).date()

    def split(self) -> tuple[list[ThreadItem], list[ThreadItem]]:
        """``(earlier, recent)``: the latest :data:`RECENT_ITEMS` items open, and never a new
        reply folded away."""
        cut = max(len(self.items) - RECENT_ITEMS, 0)
        first_unread = next((n for n, i in enumerate(self.items) if i.unread), cut)
        cut = min(cut, first_unread)
        return self.items[:cut], self.items[cut:]


def build_thread(
    contact: Mapping[str, Any],
    conversation: Mapping[str, Any] | None,
    replies: Iterable[Mapping[str, Any]],
) -> Thread:
    """The thread of ``contact``: ``conversation`` as notifications answered it (``None``
    when it could not), annotated from ``replies`` (any of the client's: those of another
    contact are left out)."""
    own = [r for r in replies if r.get("contact_id") == contact["id"]]
    by_id = {r["id"]: r for r in own}
    by_moment = {(_moment(r["received_at"]), r.get("text")): r for r in own}
    used: set[str] = set()
    items: list[ThreadItem] = []
    for entry in (conversation or {}).get("items") or []:
        if entry.get("kind") == ConversationItemKind.RECEIVED:
            reply = by_id.get(entry.get("reply_id") or entry.get("id") or "") or by_moment.get(
                (_moment(entry["at"]), entry.get("text"))
            )
            if reply is not None and reply["id"] not in used:
                used.add(reply["id"])
                items.append(_received(reply))
                continue
        items.append(_entry(entry))
    items.extend(_received(r) for r in own if r["id"] not in used)
    items.sort(key=lambda i: i.at)  # stable: the conversation's own order among equals
    until = (conversation or {}).get("window_open_until")
    return Thread(
        contact=dict(contact),
        channel=(conversation or {}).get("channel") or contact.get("channel") or "",
        items=items,
        window_open_until=_moment(until) if until else None,
    )


def _entry(entry: Mapping[str, Any]) -> ThreadItem:
    return ThreadItem(
        kind=entry.get("kind") or ConversationItemKind.SENT,
        at=_moment(entry["at"]),
        text=entry.get("text"),
        template=entry.get("template"),
        status=entry.get("status"),
        intent=entry.get("intent"),
    )


def _received(reply: Mapping[str, Any]) -> ThreadItem:
    return ThreadItem(
        kind=ConversationItemKind.RECEIVED,
        at=_moment(reply["received_at"]),
        text=reply.get("text"),
        intent=reply.get("intent"),
        reply_id=reply["id"],
        unread=reply.get("read_at") is None,
    )


def _moment(value: str | datetime) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)
