"""Families answering the messages they get, as the provider's signed webhook brings their
replies: RSVPs and check-ins recorded and passed on, thanks and staff alerts sent, strangers
ignored, redeliveries counted once, and bad input refused, never a 500."""

from __future__ import annotations

import json
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, text, update

from services.notifications.inbound_receipts import receipt_key
from services.notifications.models import InboundReceipt, Message, OptOut, Reply
from shared.db import utcnow
from shared.vocabulary import ReplyIntent
from tests.support.dates import foundation_today
from tests.support.factories import (
    add_staff,
    admit,
    create_foundation,
    register_client,
    schedule_family_session,
)
from tests.support.provider import sign

pytestmark = pytest.mark.integration

SECRET = "whsec-medan-plus-replies"
PHONE = "+6281234567890"  # Siti, the client's mother
AS_TYPED = "0812-3456-7890"  # how the provider may write the same number
STRANGER = "+6281399998888"


# --- the world ---------------------------------------------------------------------------------


@pytest.fixture
def family(suite, provider):
    """A foundation whose SMS provider is the local one, a case worker, and an admitted
    client whose mother is reached by SMS."""
    create_foundation(suite)
    config = {
        "base_url": provider.url,
        "api_key": "key-one",
        "sender_id": "MEDANPLUS",
        "webhook_secret": SECRET,
    }
    answer = suite.client("notifications").put(
        "/channels/sms", json=config, headers=suite.headers("admin")
    )
    assert answer.status_code == 200, answer.get_json()
    worker = add_staff(suite, "Rahmat")
    client = register_client(
        suite,
        case_worker_id=worker["id"],
        family_contacts=[
            {"name": "Siti", "relationship": "mother", "phone": AS_TYPED, "channel": "sms"}
        ],
    )
    admit(suite, client["id"])
    suite.pump()
    return {
        "client": client,
        "contact": client["family_contacts"][0],
        "worker": worker,
        "provider": provider,
    }


def reply(suite, text_, sender=AS_TYPED, *, channel="sms", secret=SECRET, **extra):
    """What the provider posts when someone answers."""
    return post_raw(
        suite,
        json.dumps({"foundation": "medan-plus", "from": sender, "text": text_, **extra}).encode(),
        channel=channel,
        secret=secret,
    )


def post_raw(suite, body: bytes, *, channel="sms", secret=SECRET, content_type="application/json"):
    headers = {"X-Provider-Signature": sign(secret, body)} if secret else {}
    response = suite.client("notifications").post(
        f"/inbound/{channel}", data=body, content_type=content_type, headers=headers
    )
    suite.pump()
    return response


def messages(suite, client_id, template=None):
    query = f"/messages?client_id={client_id}&per_page=200"
    if template:
        query += f"&template={template}"
    answer = suite.client("notifications").get(query, headers=suite.headers())
    return answer.get_json()["items"]


def replies(suite, query="", role="social_worker", foundation="medan-plus"):
    answer = suite.client("notifications").get(
        f"/replies?{query}", headers=suite.headers(role, foundation)
    )
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def counts(suite) -> dict[str, int]:
    """What the notifications service keeps: replies, messages, opt-outs, events out."""
    with suite.runtime("notifications").db.transaction() as db:
        return {
            "replies": db.execute(select(func.count()).select_from(Reply)).scalar(),
            "messages": db.execute(select(func.count()).select_from(Message)).scalar(),
            "opt_outs": db.execute(select(func.count()).select_from(OptOut)).scalar(),
            "events": db.execute(text("SELECT count(*) FROM outbox")).scalar(),
        }


def replied_events(suite) -> list[dict]:
    with suite.runtime("notifications").db.transaction() as db:
        rows = db.execute(
            text("SELECT envelope FROM outbox WHERE type = 'family.replied' ORDER BY created_at")
        ).scalars()
        return [json.loads(row) for row in rows]


def family_deliveries(provider, words: str) -> list:
    return [d for d in provider.deliveries if words in d.json["body"]]


def not_at_the_end_of_a_minute() -> None:
    """Two posts meant to land in the same minute: start early enough in one."""
    if datetime.now(UTC).second >= 55:
        time.sleep(61 - datetime.now(UTC).second)


# --- RSVPs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "intent", "tells_case_worker"),
    [
        ("Ya, kami datang \U0001f64f", "rsvp_yes", False),
        ("tidak bisa, maaf", "rsvp_no", True),
        ("3, tunda dulu ya", "rsvp_later", True),
    ],
)
def test_an_rsvp_is_recorded_linked_published_thanked(
    suite, family, answer, intent, tells_case_worker
):
    client_id, contact = family["client"]["id"], family["contact"]
    starts_at = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
    session = schedule_family_session(suite, client_id, starts_at)
    (invitation,) = messages(suite, client_id, "family.session_invitation")
    assert invitation["status"] == "sent" and "YA (1)" in invitation["body"]

    response = reply(suite, answer)
    assert response.status_code == 200
    assert response.get_json() == {"ok": True, "action": "reply_recorded"}

    (kept,) = replies(suite)["items"]
    assert kept["intent"] == intent and kept["text"] == answer
    assert (kept["client_id"], kept["contact_id"], kept["channel"]) == (
        client_id,
        contact["id"],
        "sms",
    )
    assert kept["in_reply_to"] == invitation["id"] and kept["session_id"] == session["id"]
    assert kept["read_at"] is None

    (event,) = replied_events(suite)
    assert event["foundation"] == "medan-plus"
    assert event["data"]["intent"] == intent
    assert event["data"]["reply_id"] == kept["id"]
    assert event["data"]["session_id"] == session["id"]
    assert event["data"]["contact_id"] == contact["id"]
    assert answer not in json.dumps(event)  # what it means travels, never what they wrote

    (thanks,) = messages(suite, client_id, "family.reply_thanks")
    assert thanks["status"] == "sent" and thanks["recipient"]["id"] == contact["id"]
    (delivered,) = family_deliveries(family["provider"], "Terima kasih")
    assert delivered.json["to"] == PHONE and delivered.json["body"] == thanks["body"]

    alerts = messages(suite, client_id, "staff.family_replied")
    if tells_case_worker:
        (alert,) = alerts
        assert alert["recipient"]["id"] == family["worker"]["id"] and alert["status"] == "sent"
        assert family["client"]["code"] in alert["body"] and answer not in alert["body"]
    else:
        assert alerts == []

    # the answer reached assessment: the session shows it
    (rsvp,) = session_rsvps(suite, session["id"])
    assert (rsvp["client_id"], rsvp["contact_id"]) == (client_id, contact["id"])
    assert rsvp["answer"] == intent.removeprefix("rsvp_")


def session_rsvps(suite, session_id) -> list[dict]:
    response = suite.client("assessment").get(f"/sessions/{session_id}", headers=suite.headers())
    assert response.status_code == 200, response.get_json()
    return response.get_json()["family_rsvp"]


def test_a_family_that_changes_its_answer_shows_its_latest_on_the_session(suite, family):
    client_id = family["client"]["id"]
    starts_at = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
    session = schedule_family_session(suite, client_id, starts_at)
    shown = []
    for answer in ("YA", "Tidak, maaf", "Tunda"):
        assert reply(suite, answer).get_json()["action"] == "reply_recorded"
        shown.append([r["answer"] for r in session_rsvps(suite, session["id"])])
    assert shown == [["yes"], ["no"], ["later"]]
    # the sessions list (the console's calendar) shows the same
    listed = suite.client("assessment").get(
        f"/sessions?client_id={client_id}", headers=suite.headers()
    )
    (item,) = [s for s in listed.get_json()["items"] if s["id"] == session["id"]]
    assert [r["answer"] for r in item["family_rsvp"]] == ["later"]


def test_an_answer_after_the_session_started_is_free_text(suite, family):
    client_id = family["client"]["id"]
    schedule_family_session(suite, client_id, datetime.now(UTC) + timedelta(days=3))
    with suite.runtime("notifications").db.transaction() as db:  # the session is under way
        invitation = db.execute(
            select(Message).where(Message.template == "family.session_invitation")
        ).scalar_one()
        invitation.context = json.dumps(
            {"starts_at": {"$datetime": (datetime.now(UTC) - timedelta(minutes=5)).isoformat()}}
        )
    assert reply(suite, "YA").get_json()["action"] == "reply_recorded"
    (kept,) = replies(suite)["items"]
    assert (kept["intent"], kept["in_reply_to"], kept["session_id"]) == ("text", None, None)
    assert replied_events(suite) == []
    assert messages(suite, client_id, "family.reply_thanks") == []


# --- check-ins ---------------------------------------------------------------------------------


def send_a_checkin(suite, family) -> dict:
    """Discharge the client and send the first post-discharge check-in now."""
    client_id = family["client"]["id"]
    discharged = suite.client("assessment").post(
        f"/clients/{client_id}/discharge",
        headers=suite.headers(),
        json={"reason": "completed", "discharged_on": foundation_today().isoformat()},
    )
    assert discharged.status_code in (200, 201), discharged.get_json()
    suite.pump()
    first = sorted(messages(suite, client_id, "family.followup"), key=lambda m: m["scheduled_for"])[
        0
    ]
    with suite.runtime("notifications").db.transaction() as db:
        db.execute(
            text("UPDATE messages SET scheduled_for = :now WHERE id = :id"),
            {"now": datetime.now(UTC), "id": first["id"]},
        )
    suite.run_task("notifications", "notifications.dispatch_due", [])
    suite.pump()
    (sent,) = [m for m in messages(suite, client_id, "family.followup") if m["id"] == first["id"]]
    assert sent["status"] == "sent" and "2 bila" in sent["body"]
    return sent


def night_falls(suite) -> None:
    """The foundation's quiet hours now cover the present moment."""
    local = datetime.now(ZoneInfo("Asia/Jakarta"))
    with suite.runtime("notifications").db.transaction() as db:
        db.execute(
            text("UPDATE foundations SET quiet_start = :start, quiet_end = :end"),
            {
                "start": (local - timedelta(hours=1)).strftime("%H:%M"),
                "end": (local + timedelta(hours=2)).strftime("%H:%M"),
            },
        )


def test_a_checkin_asking_for_help_alerts_the_case_worker_at_once_even_at_night(suite, family):
    client_id = family["client"]["id"]
    checkin = send_a_checkin(suite, family)
    night_falls(suite)

    assert reply(suite, "2").get_json()["action"] == "reply_recorded"

    (kept,) = replies(suite)["items"]
    assert kept["intent"] == "checkin_help" and kept["in_reply_to"] == checkin["id"]
    (event,) = replied_events(suite)
    assert event["data"]["intent"] == "checkin_help"
    assert event["data"]["followup_id"] == kept["followup_id"] is not None
    (alert,) = messages(suite, client_id, "staff.family_needs_help")
    assert alert["status"] == "sent" and alert["recipient"]["id"] == family["worker"]["id"]
    assert family["client"]["code"] in alert["body"]
    # the family's phone stays silent at night: their thanks waits for the morning
    (thanks,) = messages(suite, client_id, "family.reply_thanks")
    assert thanks["status"] == "scheduled"
    assert thanks["reason_code"] == "deferred_past_quiet_hours"
    # and the follow-up shows the family's answer in assessment
    assert followup_checkins(suite, client_id)[kept["followup_id"]] == "help"


def followup_checkins(suite, client_id) -> dict[str, str | None]:
    response = suite.client("assessment").get(
        f"/followups?client_id={client_id}", headers=suite.headers()
    )
    assert response.status_code == 200, response.get_json()
    return {f["id"]: f["family_checkin"] for f in response.get_json()["items"]}


def test_a_checkin_saying_all_is_well_is_thanked_and_alerts_nobody(suite, family):
    client_id = family["client"]["id"]
    send_a_checkin(suite, family)
    assert reply(suite, "Baik, terima kasih").get_json()["action"] == "reply_recorded"
    assert [e["data"]["intent"] for e in replied_events(suite)] == ["checkin_ok"]
    assert [m["status"] for m in messages(suite, client_id, "family.reply_thanks")] == ["sent"]
    assert messages(suite, client_id, "staff.family_needs_help") == []
    assert messages(suite, client_id, "staff.family_replied") == []
    assert "ok" in followup_checkins(suite, client_id).values()


# --- free text ---------------------------------------------------------------------------------


def test_free_text_is_kept_and_tells_the_case_worker_once_an_hour(suite, family, json_log):
    client_id = family["client"]["id"]
    words = ["Selamat pagi, bagaimana kabar anak saya?", "Apakah dia sehat?", "\U0001f64f"]
    for line in words:
        assert reply(suite, line).get_json()["action"] == "reply_recorded"

    kept = replies(suite)["items"]
    assert [r["text"] for r in kept] == list(reversed(words))  # newest first
    assert {r["intent"] for r in kept} == {"text"}
    (alert,) = messages(suite, client_id, "staff.family_replied")
    assert alert["status"] == "sent" and alert["recipient"]["id"] == family["worker"]["id"]
    assert not any(line in alert["body"] for line in words)
    assert replied_events(suite) == []
    assert messages(suite, client_id, "family.reply_thanks") == []
    logged = json_log.getvalue()
    assert not any(line in logged for line in words[:2])  # never in a log line


def _age_alerts(suite, minutes: int) -> None:
    with suite.runtime("notifications").db.transaction() as db:
        db.execute(
            update(Message)
            .where(Message.template == "staff.family_replied")
            .values(created_at=utcnow() - timedelta(minutes=minutes))
        )


def test_free_text_alerts_again_only_an_hour_after_the_last_alert(suite, family):
    client_id = family["client"]["id"]
    assert reply(suite, "Halo").get_json()["action"] == "reply_recorded"
    _age_alerts(suite, 59)  # whatever the clock's hour is now
    reply(suite, "Apakah dia sehat?")
    assert len(messages(suite, client_id, "staff.family_replied")) == 1
    _age_alerts(suite, 61)
    reply(suite, "Terima kasih")
    assert len(messages(suite, client_id, "staff.family_replied")) == 2


def test_texts_delivered_at_the_same_moment_are_all_kept_and_alert_once(suite, family):
    bodies = [
        json.dumps({"foundation": "medan-plus", "from": AS_TYPED, "text": f"Pesan {n}"}).encode()
        for n in range(4)
    ]
    start = threading.Barrier(len(bodies))
    answers: list[int] = []

    def deliver(body: bytes) -> None:
        http = suite.client("notifications")
        start.wait()
        answered = http.post(
            "/inbound/sms",
            data=body,
            content_type="application/json",
            headers={"X-Provider-Signature": sign(SECRET, body)},
        )
        answers.append(answered.status_code)

    threads = [threading.Thread(target=deliver, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    suite.pump()
    assert answers == [200] * len(bodies)
    assert replies(suite)["total"] == len(bodies)
    assert len(messages(suite, family["client"]["id"], "staff.family_replied")) == 1


# --- who may write -----------------------------------------------------------------------------


@pytest.mark.parametrize("words", ["YA", "Halo, ini siapa?", "2"])
def test_a_strangers_reply_creates_nothing(suite, family, words):
    schedule_family_session(suite, family["client"]["id"], datetime.now(UTC) + timedelta(days=3))
    before = counts(suite)
    response = reply(suite, words, sender=STRANGER)
    assert response.status_code == 200
    assert response.get_json() == {"ok": True, "action": "ignored"}
    assert counts(suite) == before
    assert replies(suite)["total"] == 0


def test_a_number_two_clients_share_answers_for_the_one_last_written_to(suite, family):
    """A mother of two clients: her reply goes with the contact she was last sent to."""
    brother = register_client(
        suite,
        full_name="Andi Santoso",
        case_worker_id=family["worker"]["id"],
        family_contacts=[
            {"name": "Siti", "relationship": "mother", "phone": PHONE, "channel": "sms"}
        ],
    )
    admit(suite, brother["id"])
    suite.pump()
    schedule_family_session(suite, family["client"]["id"], datetime.now(UTC) + timedelta(days=2))
    time.sleep(0.01)  # the brother's invitation is sent after his sister's
    session = schedule_family_session(suite, brother["id"], datetime.now(UTC) + timedelta(days=3))

    assert reply(suite, "YA").get_json()["action"] == "reply_recorded"
    (kept,) = replies(suite)["items"]
    assert kept["contact_id"] == brother["family_contacts"][0]["id"]
    assert (kept["client_id"], kept["session_id"]) == (brother["id"], session["id"])
    assert kept["intent"] == "rsvp_yes"


def test_a_contact_of_another_foundation_is_a_stranger_here(suite, family):
    create_foundation(suite, "aceh-sehat")
    other = register_client(
        suite,
        foundation="aceh-sehat",
        family_contacts=[
            {"name": "Ani", "relationship": "sister", "phone": STRANGER, "channel": "sms"}
        ],
    )
    admit(suite, other["id"], foundation="aceh-sehat")
    suite.pump()
    before = counts(suite)
    assert reply(suite, "Halo", sender=STRANGER).get_json()["action"] == "ignored"
    assert counts(suite) == before


def test_stop_then_start(suite, family):
    client_id = family["client"]["id"]
    stopped = reply(suite, "BERHENTI")
    assert stopped.status_code == 200 and stopped.get_json()["action"] == "opted_out"
    schedule_family_session(suite, client_id, datetime.now(UTC) + timedelta(days=3))
    (invitation,) = messages(suite, client_id, "family.session_invitation")
    assert invitation["status"] == "suppressed"

    started = reply(suite, "Mulai lagi")
    assert started.get_json() == {"ok": True, "action": "opted_in"}
    schedule_family_session(suite, client_id, datetime.now(UTC) + timedelta(days=4))
    statuses = sorted(m["status"] for m in messages(suite, client_id, "family.session_invitation"))
    assert statuses == ["sent", "suppressed"]
    assert len(family_deliveries(family["provider"], "mengundang")) == 1
    assert [r["intent"] for r in replies(suite)["items"]] == ["start", "stop"]
    assert replied_events(suite) == []


def test_a_stranger_may_opt_out_and_in_and_nothing_readable_is_kept(suite, family):
    assert reply(suite, "STOP", sender=STRANGER).get_json()["action"] == "opted_out"
    assert counts(suite)["opt_outs"] == 1 and counts(suite)["replies"] == 0
    assert reply(suite, "START", sender=STRANGER).get_json()["action"] == "opted_in"
    assert counts(suite)["opt_outs"] == 0 and counts(suite)["replies"] == 0


# --- redelivery --------------------------------------------------------------------------------


@pytest.mark.parametrize("by", ["provider id", "provider id as id", "sender, text and minute"])
def test_a_redelivered_reply_counts_once(suite, family, by):
    client_id = family["client"]["id"]
    schedule_family_session(suite, client_id, datetime.now(UTC) + timedelta(days=3))
    extra = {
        "provider id": {"message_id": "wamid.HBgN-0001"},
        "provider id as id": {"id": "sms-7781"},
        "sender, text and minute": {},
    }[by]
    not_at_the_end_of_a_minute()
    first = reply(suite, "TIDAK", **extra)
    again = reply(suite, "TIDAK", sender=PHONE, **extra)  # written another way, same phone
    assert first.get_json()["action"] == "reply_recorded"
    assert again.status_code == 200 and again.get_json() == {"ok": True, "action": "duplicate"}
    assert replies(suite)["total"] == 1
    assert len(replied_events(suite)) == 1
    assert len(messages(suite, client_id, "family.reply_thanks")) == 1
    assert len(messages(suite, client_id, "staff.family_replied")) == 1
    assert len(family_deliveries(family["provider"], "Terima kasih")) == 1


@pytest.mark.parametrize("sender", ["a stranger", "the family"])
def test_a_stop_replayed_after_a_start_changes_nothing_whoever_sent_it(suite, family, sender):
    """A provider that signs only the body: a captured STOP, replayed after the address
    asked for messages again, is the duplicate of a message id already taken, and the
    address stays opted in. A stranger's words are not kept, so only the receipt tells."""
    number = {"a stranger": STRANGER, "the family": AS_TYPED}[sender]
    body = json.dumps(
        {"foundation": "medan-plus", "from": number, "text": "STOP", "message_id": "wamid.S-1"}
    ).encode()
    assert post_raw(suite, body).get_json()["action"] == "opted_out"
    lifted = reply(suite, "START", sender=number, message_id="wamid.S-2")
    assert lifted.get_json()["action"] == "opted_in"
    before = counts(suite)
    replayed = post_raw(suite, body)  # the same request, its signature still good
    assert replayed.status_code == 200
    assert replayed.get_json() == {"ok": True, "action": "duplicate"}
    assert counts(suite) == before and before["opt_outs"] == 0
    # a STOP the provider brings under a new id is taken
    again = reply(suite, "STOP", sender=number, message_id="wamid.S-3")
    assert again.get_json()["action"] == "opted_out"


def test_the_receipts_of_a_year_ago_are_forgotten(suite, family):
    reply(suite, "Halo", sender=STRANGER, message_id="m-old")
    reply(suite, "Halo", sender=STRANGER, message_id="m-new")
    with suite.runtime("notifications").db.transaction() as db:
        db.execute(
            update(InboundReceipt)
            .where(InboundReceipt.key == receipt_key("medan-plus", "sms", "m-old"))
            .values(received_at=utcnow() - timedelta(days=366))
        )
    assert suite.run_task("notifications", "notifications.prune_inbound_receipts", []) == 1
    with suite.runtime("notifications").db.transaction() as db:
        kept = db.execute(select(InboundReceipt.key)).scalars().all()
    assert kept == [receipt_key("medan-plus", "sms", "m-new")]


def test_another_provider_id_is_another_reply(suite, family):
    assert reply(suite, "Halo", message_id="m-1").get_json()["action"] == "reply_recorded"
    assert reply(suite, "Halo", message_id="m-2").get_json()["action"] == "reply_recorded"
    assert replies(suite)["total"] == 2


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize("tamper", ["unsigned", "wrong secret", "signed for another body"])
def test_an_unsigned_or_wrongly_signed_reply_is_401_and_changes_nothing(suite, family, tamper):
    schedule_family_session(suite, family["client"]["id"], datetime.now(UTC) + timedelta(days=3))
    before = counts(suite)
    body = json.dumps({"foundation": "medan-plus", "from": AS_TYPED, "text": "YA"}).encode()
    headers = {
        "unsigned": {},
        "wrong secret": {"X-Provider-Signature": sign("not-the-secret", body)},
        "signed for another body": {"X-Provider-Signature": sign(SECRET, body + b" ")},
    }[tamper]
    response = suite.client("notifications").post(
        "/inbound/sms", data=body, content_type="application/json", headers=headers
    )
    assert response.status_code == 401
    assert response.get_json()["code"] == "provider_signature_invalid"
    suite.pump()
    assert counts(suite) == before


def signed_at(body: bytes, at: float, secret: str = SECRET) -> dict[str, str]:
    timestamp = str(int(at))
    return {
        "X-Provider-Timestamp": timestamp,
        "X-Provider-Signature": sign(secret, body, timestamp),
    }


def test_a_timestamped_request_goes_through_once_and_its_replay_later_is_refused(suite, family):
    """A provider that signs its time with the body: the request is taken; the same
    request replayed ten minutes later, or with its time left out, changes nothing."""
    body = json.dumps({"foundation": "medan-plus", "from": AS_TYPED, "text": "BERHENTI"}).encode()
    http = suite.client("notifications")

    def post(headers):
        response = http.post(
            "/inbound/sms", data=body, content_type="application/json", headers=headers
        )
        suite.pump()
        return response

    sent = signed_at(body, time.time())
    taken = post(sent)
    assert taken.status_code == 200, taken.get_json()
    assert taken.get_json()["action"] == "opted_out"
    lifted = reply(suite, "MULAI")  # the family asks for messages again
    assert lifted.get_json()["action"] == "opted_in", lifted.get_json()
    before = counts(suite)
    replayed = post(signed_at(body, time.time() - 600))
    assert replayed.status_code == 401
    assert replayed.get_json()["code"] == "provider_signature_expired"
    without_time = post({"X-Provider-Signature": sent["X-Provider-Signature"]})
    assert without_time.status_code == 401
    assert without_time.get_json()["code"] == "provider_signature_invalid"
    ahead = post(signed_at(body, time.time() + 600))
    assert ahead.get_json()["code"] == "provider_signature_expired"
    garbled = post({**sent, "X-Provider-Timestamp": "soon"})
    assert garbled.get_json()["code"] == "provider_signature_invalid"
    assert counts(suite) == before  # still opted in: no replay opted the family out again


ANY_JSON = [b"[]", b'"STOP"', b"5", b"null", b"true", b"{}", b'{"foundation": 5}', b"[{}]"]


@pytest.mark.parametrize("body", ANY_JSON)
def test_json_of_any_type_is_refused_without_a_500(suite, family, body):
    before = counts(suite)
    for secret in (SECRET, None):
        response = post_raw(suite, body, secret=secret)
        assert response.status_code == 401, response.get_data(as_text=True)
        assert response.get_json()["code"] == "provider_signature_invalid"
    assert counts(suite) == before


@pytest.mark.parametrize(
    ("payload", "field", "code"),
    [
        ({"from": AS_TYPED}, "text", "required"),
        ({"from": AS_TYPED, "text": ""}, "text", "blank"),
        ({"from": AS_TYPED, "text": "   \n "}, "text", "blank"),
        ({"from": AS_TYPED, "text": "x" * 5001}, "text", "too_long"),
        ({"from": AS_TYPED, "text": 5}, "text", "invalid_string"),
        ({"from": AS_TYPED, "text": ["YA"]}, "text", "invalid_string"),
        ({"from": AS_TYPED, "text": None}, "text", "null"),
        ({"from": AS_TYPED, "text": {"body": "YA"}}, "text", "invalid_string"),
        ({"from": AS_TYPED, "text": "a\u0000b"}, "text", "nul_character"),
        ({"text": "YA"}, "from", "required"),
        ({"from": 812, "text": "YA"}, "from", "invalid_string"),
        ({"from": "", "text": "YA"}, "from", "length_between"),
        ({"from": AS_TYPED, "text": "YA", "message_id": 7}, "message_id", "invalid_string"),
        ({"from": AS_TYPED, "text": "YA", "message_id": "x" * 201}, "message_id", "length_between"),
    ],
)
def test_a_signed_reply_with_bad_fields_is_422_naming_the_field(
    suite, family, payload, field, code
):
    before = counts(suite)
    body = json.dumps({"foundation": "medan-plus", **payload}).encode()
    response = post_raw(suite, body)
    assert response.status_code == 422, response.get_data(as_text=True)
    problem = response.get_json()
    assert problem["code"] == "validation_failed" and field in problem["errors"]
    assert code in problem["error_codes"][field]
    assert counts(suite) == before


def test_a_reply_is_kept_under_the_clients_own_key(suite, family):
    """What the family writes is the client's personal data: stored under the client's key
    (``c1:<client id>:``), so the client's erasure leaves no backup that reads it."""
    response = reply(suite, "Anak saya kambuh lagi")
    assert response.get_json()["action"] == "reply_recorded", response.get_json()
    with suite.runtime("notifications").db.engine.connect() as conn:
        (stored,) = conn.execute(text("SELECT text FROM replies")).scalars()
    assert stored.startswith(f"c1:{family['client']['id']}:"), stored[:40]
    (kept,) = replies(suite)["items"]
    assert kept["text"] == "Anak saya kambuh lagi"


@pytest.mark.parametrize("content_type", ["application/json", "text/plain"])
def test_a_broken_emoji_is_422_however_the_body_is_labelled(suite, family, content_type):
    body = (
        b'{"foundation": "medan-plus", "from": "' + AS_TYPED.encode() + b'", "text": "ya \\ud83d"}'
    )
    before = counts(suite)
    response = post_raw(suite, body, content_type=content_type)
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.get_json()["error_codes"]["text"] == ["lone_surrogate"]
    assert counts(suite) == before


@pytest.mark.parametrize("signed", [False, True], ids=["unsigned", "signed"])
@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        (b"[" * 100_000, "_body", "nested_too_deep"),
        (
            b'{"foundation": "\\ud800", "from": "0812", "text": "STOP"}',
            "foundation",
            "lone_surrogate",
        ),
        (
            b'{"foundation": "a\\u0000b", "from": "0812", "text": "STOP"}',
            "foundation",
            "nul_character",
        ),
        (
            b'{"foundation": "medan-plus", "type": "status", "message_id": "m\\u0000",'
            b' "status": "delivered"}',
            "message_id",
            "nul_character",
        ),
    ],
    ids=["nested", "broken-emoji-foundation", "nul-foundation", "nul-message-id"],
)
def test_a_webhook_body_no_database_takes_is_422_before_anything_is_looked_up(
    suite, family, body, field, code, signed
):
    """Read as JSON whatever its label, a provider's body is checked as every JSON body is,
    signed or not, before its foundation is looked up: never a 500."""
    before = counts(suite)
    response = post_raw(suite, body, secret=SECRET if signed else None, content_type="text/plain")
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.get_json()["error_codes"][field] == [code]
    assert counts(suite) == before


@pytest.mark.parametrize(
    "words",
    [
        "x" * 5000,
        " " * 10 + "y" * 4990,
        "\U0001f600" * 5000,  # 5,000 emoji
        "Ya \U0001f64f\U0001f3fd\u200d\u2642\ufe0f kami datang \u2764\ufe0f",
        "\u0645\u0631\u062d\u0628\u0627 \u4f60\u597d \u0928\u092e\u0938\u094d\u0924\u0947",
        "STOP" + "!" * 4996,
    ],
)
def test_long_texts_and_emoji_are_kept_as_written(suite, family, words):
    response = reply(suite, words)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["action"] in ("reply_recorded", "opted_out")
    (kept,) = replies(suite)["items"]
    assert kept["text"] == words.strip()


# --- reading replies ---------------------------------------------------------------------------


def test_replies_are_the_foundations_own_and_staff_mark_them_read(suite, family):
    create_foundation(suite, "aceh-sehat")
    for line in ("Halo", "Terima kasih"):
        reply(suite, line)
    page = replies(suite, "per_page=1")
    assert (page["total"], page["page"], page["per_page"], len(page["items"])) == (2, 1, 1, 1)
    newest = page["items"][0]
    assert newest["text"] == "Terima kasih"

    viewer = replies(suite, role="viewer")
    assert viewer["total"] == 2
    by_client = replies(suite, f"client_id={family['client']['id']}")
    by_contact = replies(suite, f"contact_id={family['contact']['id']}")
    assert by_client["total"] == by_contact["total"] == 2
    assert replies(suite, f"client_id={uuid.uuid4()}")["total"] == 0

    http = suite.client("notifications")
    marked = http.post(f"/replies/{newest['id']}/read", headers=suite.headers())
    assert marked.status_code == 200
    read_at = marked.get_json()["read_at"]
    assert read_at is not None and marked.get_json()["id"] == newest["id"]
    again = http.post(f"/replies/{newest['id']}/read", headers=suite.headers("counselor"))
    assert again.status_code == 200 and again.get_json()["read_at"] == read_at  # idempotent
    assert [r["text"] for r in replies(suite, "unread=true")["items"]] == ["Halo"]
    assert [r["text"] for r in replies(suite, "unread=false")["items"]] == ["Terima kasih"]

    # viewers read only
    refused = http.post(f"/replies/{newest['id']}/read", headers=suite.headers("viewer"))
    assert refused.status_code == 403

    # another foundation sees none of it, and its ids do not exist there
    elsewhere = replies(suite, foundation="aceh-sehat")
    assert (elsewhere["total"], elsewhere["items"]) == (0, [])
    assert (
        replies(suite, f"client_id={family['client']['id']}", foundation="aceh-sehat")["total"] == 0
    )
    for reply_id in (newest["id"], str(uuid.uuid4()), "not-a-uuid", "x" * 300):
        missing = http.post(
            f"/replies/{reply_id}/read", headers=suite.headers("admin", "aceh-sehat")
        )
        assert missing.status_code == 404
        assert missing.get_json()["code"] == "reply_not_found"
    assert replies(suite, "unread=true")["total"] == 1  # nothing they did marked A's reply


def test_replies_are_documented(suite):
    spec = suite.client("notifications").get("/openapi.json").get_json()
    listing = spec["paths"]["/replies"]["get"]
    names = {p["name"] for p in listing["parameters"]}
    assert {"client_id", "contact_id", "unread", "page", "per_page"} <= names
    assert "post" in spec["paths"]["/replies/{reply_id}/read"]
    item = spec["components"]["schemas"]["ReplyOut"]["properties"]
    assert {
        "id",
        "client_id",
        "contact_id",
        "channel",
        "received_at",
        "text",
        "intent",
        "in_reply_to",
        "read_at",
    } <= set(item)
    assert set(item["intent"]["enum"]) == {i.value for i in ReplyIntent}
    inbound = spec["paths"]["/inbound/{channel}"]["post"]["requestBody"]["content"]
    shapes = [
        spec["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]
        for ref in inbound["application/json"]["schema"]["oneOf"]
    ]
    assert "message_id" in shapes[0]["properties"] and "id" in shapes[0]["properties"]
