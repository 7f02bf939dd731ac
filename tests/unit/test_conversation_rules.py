"""The family-conversation rules (services/notifications/conversations.py): WhatsApp's
free-text window, which refusal a staff answer meets, and how a thread is ordered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.notifications.conversations import (
    ConversationItem,
    direct_message_refusal,
    in_order,
    message_moment,
    message_text,
    window_open_until,
)
from shared.vocabulary import ConversationItemKind

T0 = datetime(2026, 3, 9, 8, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


@pytest.mark.parametrize(
    ("channel", "last_reply", "expected"),
    [
        ("whatsapp", T0, T0 + 24 * HOUR),
        ("whatsapp", None, None),
        ("sms", T0, None),
        ("email", T0, None),
        ("sms", None, None),
    ],
)
def test_only_whatsapp_has_a_window_opened_by_a_reply(channel, last_reply, expected):
    assert window_open_until(channel, last_reply) == expected


OPEN = T0 + 24 * HOUR


@pytest.mark.parametrize(
    ("consent", "opted_out", "channel", "window", "goes_at", "expected"),
    [
        (None, False, "whatsapp", OPEN, T0, None),
        (None, False, "sms", None, T0, None),
        (None, False, "email", None, T0 + 30 * HOUR, None),
        # consent first: nothing else matters when the family may not be written to
        ("consent_withdrawn", True, "whatsapp", None, T0, "no_consent"),
        ("contact_removed", False, "sms", None, T0, "no_consent"),
        ("client_unknown", False, "sms", None, T0, "no_consent"),
        # then the address's opt-out, before the window
        (None, True, "whatsapp", None, T0, "opted_out"),
        (None, True, "sms", None, T0, "opted_out"),
        # the window: open when the message goes, not only now
        (None, False, "whatsapp", None, T0, "whatsapp_window_closed"),
        (None, False, "whatsapp", OPEN, OPEN - timedelta(seconds=1), None),
        (None, False, "whatsapp", OPEN, OPEN, "whatsapp_window_closed"),
        (None, False, "whatsapp", OPEN, OPEN + 9 * HOUR, "whatsapp_window_closed"),
    ],
)
def test_the_refusal_a_staff_answer_meets(consent, opted_out, channel, window, goes_at, expected):
    assert direct_message_refusal(consent, opted_out, channel, window, goes_at) == expected


SENT_AT, DUE, ENDED = T0, T0 + HOUR, T0 + 2 * HOUR


@pytest.mark.parametrize(
    ("status", "sent_at", "expected"),
    [
        ("sent", SENT_AT, SENT_AT),
        ("scheduled", None, DUE),
        ("queued", None, DUE),
        ("sending", None, DUE),
        ("cancelled", None, ENDED),
        ("suppressed", None, ENDED),
        ("failed", None, ENDED),
    ],
)
def test_where_a_message_stands_in_the_thread(status, sent_at, expected):
    assert message_moment(status, sent_at, DUE, ENDED) == expected


@pytest.mark.parametrize(
    ("template", "body", "direct_text", "expected"),
    [
        ("family.direct", "Halo — Yayasan", "Halo", "Halo — Yayasan"),
        ("family.direct", None, "Halo", "Halo"),
        ("family.welcome", "Halo Siti", None, "Halo Siti"),
        ("family.welcome", None, None, None),
        ("family.welcome", None, "ignored", None),
    ],
)
def test_what_a_message_says(template, body, direct_text, expected):
    assert message_text(template, body, direct_text) == expected


def item(kind, at, item_id):
    return ConversationItem(kind=kind, id=item_id, at=at, channel="whatsapp", text=None)


def test_a_thread_is_oldest_first_and_a_reply_comes_first_at_the_same_moment():
    sent, received = ConversationItemKind.SENT, ConversationItemKind.RECEIVED
    items = [
        item(sent, T0 + 2 * HOUR, "a"),
        item(received, T0 + HOUR, "b"),
        item(sent, T0 + HOUR, "c"),
        item(sent, T0, "d"),
    ]
    assert [i.id for i in in_order(items)] == ["d", "b", "c", "a"]
