"""A family contact's conversation: what its thread shows, and whether staff may write into it.

Pure: plain values in, plain values out.

- WhatsApp lets a business send free text only inside the 24-hour window that the person's
  own last WhatsApp message opened; outside it only pre-approved templates go. A reply by SMS
  opens no WhatsApp window. SMS and e-mail have no window at all.
- A staff answer (``family.direct``) goes under every rule a family message goes under: the
  client's consent and a contact that may still be contacted, then the address's opt-out,
  then (over WhatsApp) the window, which must still be open when the message will actually
  go: a message written in quiet hours waits for their end, and so must fit the window then.
- In the thread every message stands at the moment that matters for it: when it was sent;
  while it waits, when it is due; once it ended unsent (cancelled, suppressed, failed), when
  that happened.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from shared.vocabulary import PENDING_MESSAGE_STATUSES, Channel, ConversationItemKind, MessageStatus

DIRECT_TEMPLATE: Final = "family.direct"
WHATSAPP_WINDOW: Final = timedelta(hours=24)
MAX_DIRECT_TEXT: Final = 1000


def window_open_until(channel: str, last_whatsapp_reply_at: datetime | None) -> datetime | None:
    """Until when free text may go to a contact reached by ``channel``: 24 hours after their
    last WhatsApp reply; ``None`` when there is no window (not WhatsApp, or no reply yet)."""
    if channel != Channel.WHATSAPP or last_whatsapp_reply_at is None:
        return None
    return last_whatsapp_reply_at + WHATSAPP_WINDOW


def free_text_window_closed(channel: str, window_until: datetime | None, goes_at: datetime) -> bool:
    """Whether WhatsApp would refuse free text to a contact reached by ``channel`` at
    ``goes_at``: the window their last WhatsApp reply opened is closed by then, or was
    never opened. Asked when staff write, and again when the message goes: the contact's
    channel may have changed, or the message waited, since."""
    return channel == Channel.WHATSAPP and (window_until is None or goes_at >= window_until)


def direct_message_refusal(
    consent_refusal: str | None,
    opted_out: bool,
    channel: str,
    window_until: datetime | None,
    goes_at: datetime,
) -> str | None:
    """``None`` when a staff answer may be scheduled; else the refusal's problem code.

    ``consent_refusal``: why no family message may go to the contact now (the reason code
    :func:`services.notifications.consent.family_message_refusal` gives, a contact that is
    gone included); ``goes_at``: when the message would go (now, or the end of quiet hours).
    """
    if consent_refusal is not None:
        return "no_consent"
    if opted_out:
        return "opted_out"
    if free_text_window_closed(channel, window_until, goes_at):
        return "whatsapp_window_closed"
    return None


@dataclass(frozen=True)
class ConversationItem:
    """One line of the thread: a message sent (or to be sent) to the contact, or a reply."""

    kind: ConversationItemKind
    id: str
    at: datetime
    channel: str
    text: str | None
    template: str | None = None
    status: str | None = None
    reason_code: str | None = None
    intent: str | None = None


def message_moment(
    status: str, sent_at: datetime | None, scheduled_for: datetime, updated_at: datetime
) -> datetime:
    """Where a message stands in the thread (see the module)."""
    if status == MessageStatus.SENT and sent_at is not None:
        return sent_at
    if status in PENDING_MESSAGE_STATUSES or status == MessageStatus.SENDING:
        return scheduled_for
    return updated_at


def message_text(template: str, body: str | None, direct_text: str | None) -> str | None:
    """What a message says: its rendered body once it has one; until then a staff answer's
    own text (other templates are only worded when they are sent, so ``None``)."""
    if body is not None:
        return body
    return direct_text if template == DIRECT_TEMPLATE else None


def in_order(items: Iterable[ConversationItem]) -> list[ConversationItem]:
    """The thread oldest first (at the same moment, what the family wrote comes first)."""
    return sorted(
        items, key=lambda item: (item.at, item.kind != ConversationItemKind.RECEIVED, item.id)
    )
