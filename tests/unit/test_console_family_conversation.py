"""The family conversation as the console shows it: a contact's thread (sent and received in
order, each reply's meaning, what is new), the WhatsApp window, the caseload's unread replies
and the week's RSVPs. Pure functions, fed what the APIs answer."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask, g
from werkzeug.datastructures import MultiDict

from services.console.caseload import build_caseload, unread_by_client
from services.console.family_thread import RECENT_ITEMS, build_thread
from services.console.forms.conversation import AnswerForm
from services.console.rsvp_week import rsvps_this_week
from services.console.views.threads import window_text, withheld_key

NOW = datetime(2025, 3, 10, 3, 0, tzinfo=UTC)  # 10:00 in Jakarta
CONTACT = {"id": "c-1", "name": "Siti", "channel": "whatsapp", "may_contact": True}
OTHER = {"id": "c-2", "name": "Andi", "channel": "sms", "may_contact": True}


def at(minutes: int) -> str:
    return (NOW + timedelta(minutes=minutes)).isoformat()


def reply(rid: str, minutes: int, text: str, intent: str = "text", read: bool = False, **more):
    return {
        "id": rid,
        "client_id": "k-1",
        "contact_id": CONTACT["id"],
        "channel": "whatsapp",
        "received_at": at(minutes),
        "text": text,
        "intent": intent,
        "in_reply_to": None,
        "read_at": at(minutes + 1) if read else None,
        **more,
    }


def sent(minutes: int, text: str | None, template: str = "family.direct", status: str = "sent"):
    return {"kind": "sent", "at": at(minutes), "text": text, "template": template, "status": status}


def received(minutes: int, text: str, **more):
    return {"kind": "received", "at": at(minutes), "text": text, **more}


def conversation(*items, window: str | None = None, channel: str = "whatsapp") -> dict:
    return {
        "contact_id": CONTACT["id"],
        "client_id": "k-1",
        "channel": channel,
        "window_open_until": window,
        "items": list(items),
    }


# --- a contact's thread ----------------------------------------------------------------------


def test_sent_and_received_in_order_each_reply_with_its_meaning_and_whether_it_is_new():
    thread = build_thread(
        CONTACT,
        conversation(
            sent(0, "Undangan sesi keluarga Kamis 10.00", "family.session_invitation"),
            received(5, "YA"),
            sent(6, "Terima kasih", "family.reply_thanks"),
            received(30, "Apakah boleh membawa adik?"),
        ),
        [
            reply("r-1", 5, "YA", "rsvp_yes", read=True),
            reply("r-2", 30, "Apakah boleh membawa adik?"),
        ],
    )
    assert [(i.kind, i.text) for i in thread.items] == [
        ("sent", "Undangan sesi keluarga Kamis 10.00"),
        ("received", "YA"),
        ("sent", "Terima kasih"),
        ("received", "Apakah boleh membawa adik?"),
    ]
    assert [i.meaning for i in thread.items] == [None, "rsvp_yes", None, None]  # text: no label
    assert [i.unread for i in thread.items] == [False, False, False, True]
    assert thread.unread_reply_ids == ["r-2"]


def test_a_received_item_is_matched_by_the_reply_id_the_conversation_names():
    same_moment = [reply("r-1", 5, "1", "rsvp_yes"), reply("r-2", 5, "1", "checkin_ok", read=True)]
    thread = build_thread(CONTACT, conversation(received(5, "1", id="r-2")), same_moment)
    assert [(i.reply_id, i.meaning, i.unread) for i in thread.items] == [
        ("r-2", "checkin_ok", False),
        ("r-1", "rsvp_yes", True),  # not in the conversation yet: shown in its place in time
    ]


def test_without_the_conversation_the_replies_still_show_and_other_contacts_do_not():
    replies = [reply("r-1", 5, "TIDAK", "rsvp_no"), {**reply("r-9", 1, "hi"), "contact_id": "c-2"}]
    thread = build_thread(CONTACT, None, replies)
    assert [(i.kind, i.reply_id, i.meaning) for i in thread.items] == [
        ("received", "r-1", "rsvp_no")
    ]
    assert thread.channel == "whatsapp"  # the contact's own, when notifications said nothing


def test_earlier_items_fold_away_but_never_a_new_reply():
    many = [sent(n, f"pesan {n}") for n in range(RECENT_ITEMS + 4)]
    thread = build_thread(CONTACT, conversation(*many), [])
    earlier, recent = thread.split()
    assert len(earlier) == 4 and len(recent) == RECENT_ITEMS
    new_early = build_thread(
        CONTACT, conversation(received(-1, "tolong"), *many), [reply("r-1", -1, "tolong")]
    )
    earlier, recent = new_early.split()
    assert earlier == [] and recent[0].unread


# --- the WhatsApp window ---------------------------------------------------------------------


@pytest.fixture
def request_in():
    app = Flask(__name__)
    app.config.update(SECRET_KEY="unit")

    def enter(locale: str):
        context = app.test_request_context()
        context.push()
        g.locale = locale
        return context

    contexts = []
    yield lambda locale: contexts.append(enter(locale))
    for context in contexts:
        context.pop()


@pytest.mark.parametrize(
    ("channel", "until", "locale", "text", "is_open"),
    [
        ("whatsapp", at(270), "id", "Jendela WhatsApp terbuka sampai 14.30", True),
        ("whatsapp", at(270), "en", "WhatsApp window open until 14:30", True),
        ("whatsapp", at(60 * 20), "id", "terbuka sampai besok 06.00", True),
        ("whatsapp", at(-1), "id", "Jendela WhatsApp tertutup", False),
        ("whatsapp", None, "en", "only approved templates can be sent", False),
        ("sms", None, "id", None, True),
    ],
)
def test_the_whatsapp_window(request_in, channel, until, locale, text, is_open):
    request_in(locale)
    thread = build_thread(
        {**CONTACT, "channel": channel}, conversation(window=until, channel=channel), []
    )
    assert thread.window_open(NOW) is is_open
    said = window_text(thread, NOW, "Asia/Jakarta")
    assert (said is None) if text is None else (text in said)


@pytest.mark.parametrize(
    ("contact_family", "may_contact", "why_not"),
    [
        (True, True, None),
        (False, True, "conversation.no_consent"),
        (True, False, "conversation.never_contact"),
        (False, False, "conversation.no_consent"),  # the client's word comes first
    ],
)
def test_an_answer_is_withheld_where_notifications_would_refuse_it(
    contact_family, may_contact, why_not
):
    client = {"id": "k-1", "consent": {"contact_family": contact_family, "share_progress": False}}
    assert withheld_key(client, {**CONTACT, "may_contact": may_contact}) == why_not


# --- the answer box ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "ok", "body"),
    [
        ("  Baik Bu, sampai Kamis.  ", True, {"text": "Baik Bu, sampai Kamis."}),
        ("   ", False, None),
        ("x" * 1001, False, None),
    ],
)
def test_an_answer_is_not_blank_nor_too_long(request_in, typed, ok, body):
    request_in("id")
    form = AnswerForm(
        formdata=MultiDict({"answer-c-1-text": typed}), prefix="answer-c-1", meta={"csrf": False}
    )
    assert form.validate() is ok
    if ok:
        assert form.to_api() == body
    else:
        assert form.text.errors


# --- the caseload ----------------------------------------------------------------------------


def test_unread_replies_are_counted_per_client_and_bring_a_discharged_client_back():
    replies = [
        {"client_id": "k-1", "read_at": None},
        {"client_id": "k-1", "read_at": None},
        {"client_id": "k-2", "read_at": None},
        {"client_id": "k-2", "read_at": at(0)},
    ]
    counts = unread_by_client(replies)
    assert counts == {"k-1": 2, "k-2": 1}
    clients = [
        {"id": "k-1", "code": "A", "status": "admitted", "case_worker_id": "me"},
        {"id": "k-2", "code": "B", "status": "discharged", "case_worker_id": "me"},
        {"id": "k-3", "code": "C", "status": "admitted", "case_worker_id": "me"},
    ]
    rows = build_caseload(
        clients,
        [],
        [],
        [],
        now=NOW,
        today=date(2025, 3, 10),
        case_worker_id="me",
        unread_replies=counts,
    )
    assert [(r.client["id"], r.unread_replies, r.needs_attention) for r in rows] == [
        ("k-1", 2, True),
        ("k-2", 1, True),  # discharged, but the family wrote
        ("k-3", 0, False),
    ]


def family_session(sid: str, hours: float, client_ids, **more) -> dict:
    return {
        "id": sid,
        "kind": "family",
        "status": "scheduled",
        "starts_at": (NOW + timedelta(hours=hours)).isoformat(),
        "client_ids": client_ids,
        **more,
    }


def test_the_weeks_family_sessions_with_each_invited_familys_answer():
    budi = {
        "id": "k-1",
        "full_name": "Budi",
        "consent": {"contact_family": True},
        "family_contacts": [CONTACT, OTHER, {"id": "c-3", "name": "X", "may_contact": False}],
    }
    rina = {"id": "k-2", "full_name": "Rina", "consent": {"contact_family": False}}
    rsvp = [
        {"client_id": "k-1", "contact_id": "c-1", "answer": "later", "answered_at": at(-90)},
        {"client_id": "k-1", "contact_id": "c-1", "answer": "yes", "answered_at": at(-10)},
    ]
    sessions = [
        family_session("s-late", 24 * 7 + 1, ["k-1"]),  # after the week
        family_session("s-2", 48, ["k-1", "k-2", "k-other"], family_rsvp=rsvp),
        family_session("s-1", 2, ["k-1"]),  # assessment without family_rsvp: nobody answered
        family_session("s-cancelled", 3, ["k-1"], status="cancelled"),
        {**family_session("s-group", 4, ["k-1"]), "kind": "group"},
        family_session("s-past", -1, ["k-1"]),
    ]
    found = rsvps_this_week([budi, rina], sessions, now=NOW)
    assert [(r.session["id"], r.client["id"]) for r in found] == [
        ("s-1", "k-1"),
        ("s-2", "k-1"),
        ("s-2", "k-2"),
    ]
    assert [(a.contact["id"], a.answer) for a in found[0].answers] == [("c-1", None), ("c-2", None)]
    assert [(a.contact["id"], a.answer) for a in found[1].answers] == [
        ("c-1", "yes"),
        ("c-2", None),
    ]
    assert found[2].answers == []  # no consent: nobody was invited
