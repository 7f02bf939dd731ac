"""Family conversations and the SMS fallback, against a real (local) messaging provider.

Staff answer a family (``POST /conversations/{contact_id}/messages``) under every rule a
family message goes under, and read the thread (``GET /conversations/{contact_id}``); a
family WhatsApp message that does not arrive goes once more by SMS, and the case worker
hears only when that cannot help. Replies arrive through the provider's signed webhook.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text

from services.notifications.models import Message, Reply
from tests.support.factories import admit, create_foundation, register_client
from tests.support.provider import sign
from tests.support.races import overlap

pytestmark = pytest.mark.integration

FOUNDATION = "medan-plus"
PHONE = "+6281234567890"  # the default contact's 0812-3456-7890, as providers write it
SECRETS = {"whatsapp": "whsec-wa-medan-plus-123", "sms": "whsec-sms-medan-plus-123"}
ANSWER = "Ada, hari Kamis jam 10 di kantor kami."


def configure(suite, channel, provider, foundation=FOUNDATION, **extra):
    body = {
        "base_url": provider.url,
        "api_key": "key-one",
        "sender_id": "MEDANPLUS",
        "webhook_secret": SECRETS[channel],
        **extra,
    }
    response = suite.client("notifications").put(
        f"/channels/{channel}", json=body, headers=suite.headers("admin", foundation)
    )
    assert response.status_code == 200, response.get_json()


def case_worker(suite, foundation=FOUNDATION) -> str:
    response = suite.client("intake").post(
        "/staff",
        headers=suite.headers("admin", foundation),
        json={"name": "Rahmat", "role": "social_worker", "email": "rahmat@example.org"},
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def new_family(suite, channel="whatsapp", foundation=FOUNDATION, phone="0812-3456-7890"):
    client = register_client(
        suite,
        foundation,
        case_worker_id=case_worker(suite, foundation),
        family_contacts=[
            {"name": "Siti", "relationship": "mother", "phone": phone, "channel": channel}
        ],
    )
    suite.pump()
    return {
        "client_id": client["id"],
        "contact_id": client["family_contacts"][0]["id"],
        "case_worker_id": client["case_worker_id"],
    }


@pytest.fixture
def whatsapp(suite, provider):
    """A foundation reaching families over WhatsApp (no quiet hours), and one family."""
    create_foundation(suite, FOUNDATION)
    configure(suite, "whatsapp", provider, template_ids={"family.welcome": "welcome_v1"})
    return new_family(suite)


def reply(suite, words, channel="whatsapp", sender=PHONE, foundation=FOUNDATION) -> dict:
    """The family writes back: the provider's signed webhook."""
    body = json.dumps({"foundation": foundation, "from": sender, "text": words}).encode()
    response = suite.client("notifications").post(
        f"/inbound/{channel}",
        data=body,
        content_type="application/json",
        headers={"X-Provider-Signature": sign(SECRETS[channel], body)},
    )
    assert response.status_code == 200, response.get_json()
    suite.pump()
    return response.get_json()


def report(suite, message_id, status="failed", channel="whatsapp") -> dict:
    """The provider reports what became of a message."""
    payload = {"foundation": FOUNDATION, "type": "status", "message_id": message_id}
    body = json.dumps({**payload, "status": status}).encode()
    response = suite.client("notifications").post(
        f"/inbound/{channel}",
        data=body,
        content_type="application/json",
        headers={"X-Provider-Signature": sign(SECRETS[channel], body)},
    )
    assert response.status_code == 200, response.get_json()
    suite.pump()
    return response.get_json()


def answer(suite, contact_id, body, role="social_worker", foundation=FOUNDATION):
    return suite.client("notifications").post(
        f"/conversations/{contact_id}/messages",
        json=body,
        headers=suite.headers(role, foundation),
    )


def thread(suite, contact_id, role="viewer", foundation=FOUNDATION):
    return suite.client("notifications").get(
        f"/conversations/{contact_id}", headers=suite.headers(role, foundation)
    )


def messages(suite, client_id, template, foundation=FOUNDATION) -> list[dict]:
    response = suite.client("notifications").get(
        "/messages",
        query_string={"client_id": client_id, "template": template},
        headers=suite.headers(foundation=foundation),
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def message(suite, message_id) -> dict:
    response = suite.client("notifications").get(f"/messages/{message_id}", headers=suite.headers())
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def age_replies(suite, contact_id, hours):
    """Let time pass since the family's replies."""
    with suite.runtime("notifications").db.transaction() as db:
        for reply_row in db.execute(select(Reply).where(Reply.contact_id == contact_id)).scalars():
            reply_row.received_at = reply_row.received_at - timedelta(hours=hours)


def refused(response, status, code):
    assert response.status_code == status, response.get_json()
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["code"] == code
    return response.get_json()


# -- staff answer a family ----------------------------------------------------------------------


def test_an_answer_inside_the_whatsapp_window_goes_through_the_provider(
    suite, provider, whatsapp, json_log
):
    assert reply(suite, "Apakah ada jadwal minggu ini?")["action"] == "reply_recorded"

    response = answer(suite, whatsapp["contact_id"], {"text": f"  {ANSWER}\n"})
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["template"] == "family.direct"
    assert created["recipient"]["kind"] == "family"
    assert created["recipient"]["id"] == whatsapp["contact_id"]
    assert created["client_id"] == whatsapp["client_id"]
    assert created["channel"] == "whatsapp"
    assert created["fallback_of"] is None
    assert created["status"] in ("scheduled", "queued")
    suite.pump()

    (delivery,) = [d for d in provider.deliveries if d.header("Idempotency-Key") == created["id"]]
    sent = message(suite, created["id"])
    assert sent["status"] == "sent" and sent["body"].startswith(ANSWER)
    # free text, as WhatsApp allows inside the window: no pre-approved template
    assert delivery.json["channel"] == "whatsapp" and delivery.json["to"] == PHONE
    assert delivery.json["body"] == sent["body"] and "template_id" not in delivery.json

    # personal data: never in a log line, never in an event
    assert ANSWER not in json_log.getvalue()
    with suite.runtime("notifications").db.transaction() as db:
        envelopes = db.execute(text("SELECT envelope FROM outbox")).scalars().all()
    assert not any(ANSWER in envelope for envelope in envelopes)


def test_a_repeated_request_sends_one_message(suite, provider, whatsapp):
    """A double click (the same Idempotency-Key) writes once; another key writes again."""
    reply(suite, "Apakah ada jadwal minggu ini?")
    contact_id = whatsapp["contact_id"]

    def post(key):
        return suite.client("notifications").post(
            f"/conversations/{contact_id}/messages",
            json={"text": ANSWER},
            headers={**suite.headers("social_worker"), "Idempotency-Key": key},
        )

    first, again = post("answer-0001"), post("answer-0001")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["id"] == first.get_json()["id"]
    assert post("answer-0002").status_code == 201
    suite.pump()
    assert len(messages(suite, whatsapp["client_id"], "family.direct")) == 2
    assert len([d for d in provider.deliveries if d.json.get("body", "").startswith(ANSWER)]) == 2

    problem = refused(post("no"), 422, "validation_failed")
    assert "Idempotency-Key" in json.dumps(problem["errors"])


def test_a_double_click_whose_twin_holds_the_row_answers_with_the_twins_message(
    suite, provider, whatsapp
):
    """The twin request inserts the message and has not committed yet when the second one
    writes it: the second waits for the twin, then answers with the twin's message."""
    engine = suite.runtime("notifications").db.engine
    if suite.runtime("notifications").db.is_sqlite:
        pytest.skip("SQLite serialises writers: the overlap needs PostgreSQL")
    reply(suite, "Apakah ada jadwal minggu ini?")
    contact_id = whatsapp["contact_id"]

    def post():
        return suite.client("notifications").post(
            f"/conversations/{contact_id}/messages",
            json={"text": ANSWER},
            headers={**suite.headers("social_worker"), "Idempotency-Key": "answer-0001"},
        )

    first, again = overlap(engine, post, post, pause_after="INSERT INTO messages")
    assert (first.status_code, again.status_code) == (201, 200), again.get_json()
    assert again.get_json()["id"] == first.get_json()["id"]
    suite.pump()
    assert len(messages(suite, whatsapp["client_id"], "family.direct")) == 1
    assert len([d for d in provider.deliveries if d.json.get("body", "").startswith(ANSWER)]) == 1


def test_outside_the_whatsapp_window_nothing_is_created(suite, provider, whatsapp):
    # never replied: no window
    refused(answer(suite, whatsapp["contact_id"], {"text": ANSWER}), 409, "whatsapp_window_closed")

    # replied, but more than 24 hours ago
    reply(suite, "Terima kasih")
    age_replies(suite, whatsapp["contact_id"], hours=25)
    problem = refused(
        answer(suite, whatsapp["contact_id"], {"text": ANSWER}), 409, "whatsapp_window_closed"
    )
    assert "24 hours" in problem["detail"]
    assert messages(suite, whatsapp["client_id"], "family.direct") == []
    assert not [d for d in provider.deliveries if d.json.get("body", "").startswith(ANSWER)]


def test_a_reply_by_sms_opens_no_whatsapp_window(suite, provider, whatsapp):
    configure(suite, "sms", provider)
    assert reply(suite, "Halo", channel="sms")["action"] == "reply_recorded"
    refused(answer(suite, whatsapp["contact_id"], {"text": ANSWER}), 409, "whatsapp_window_closed")
    assert thread(suite, whatsapp["contact_id"]).get_json()["window_open_until"] is None


def test_an_sms_contact_has_no_window(suite, provider):
    create_foundation(suite, FOUNDATION)
    configure(suite, "sms", provider)
    family = new_family(suite, channel="sms")

    response = answer(suite, family["contact_id"], {"text": ANSWER})
    assert response.status_code == 201, response.get_json()
    suite.pump()
    (delivery,) = provider.deliveries
    assert delivery.json["channel"] == "sms" and delivery.json["body"].startswith(ANSWER)
    assert message(suite, response.get_json()["id"])["status"] == "sent"
    assert thread(suite, family["contact_id"]).get_json()["window_open_until"] is None


def test_without_consent_the_answer_is_refused(suite, provider, whatsapp):
    reply(suite, "Halo")
    withdrawn = suite.client("intake").put(
        f"/clients/{whatsapp['client_id']}/consent",
        json={"contact_family": False, "share_progress": False},
        headers=suite.headers(),
    )
    assert withdrawn.status_code == 200, withdrawn.get_json()
    suite.pump()

    refused(answer(suite, whatsapp["contact_id"], {"text": ANSWER}), 409, "no_consent")
    assert messages(suite, whatsapp["client_id"], "family.direct") == []
    # the history stays part of the case
    shown = thread(suite, whatsapp["contact_id"])
    assert shown.status_code == 200, shown.get_json()
    assert [item["kind"] for item in shown.get_json()["items"]] == ["received"]


def test_a_removed_contact_keeps_its_history_and_gets_nothing(suite, provider, whatsapp):
    reply(suite, "Apakah ada jadwal minggu ini?")
    first = answer(suite, whatsapp["contact_id"], {"text": ANSWER})
    assert first.status_code == 201, first.get_json()
    suite.pump()
    removed = suite.client("intake").delete(
        f"/clients/{whatsapp['client_id']}/family-contacts/{whatsapp['contact_id']}",
        headers=suite.headers(),
    )
    assert removed.status_code == 204
    suite.pump()

    shown = thread(suite, whatsapp["contact_id"])
    assert shown.status_code == 200, shown.get_json()
    conversation = shown.get_json()
    assert (conversation["client_id"], conversation["channel"]) == (
        whatsapp["client_id"],
        "whatsapp",
    )
    assert [item["kind"] for item in conversation["items"]] == ["received", "sent"]
    assert conversation["items"][0]["text"] == "Apakah ada jadwal minggu ini?"
    refused(answer(suite, whatsapp["contact_id"], {"text": ANSWER}), 409, "no_consent")
    assert len(messages(suite, whatsapp["client_id"], "family.direct")) == 1


def test_an_opted_out_contact_gets_no_answer(suite, provider, whatsapp):
    reply(suite, "Halo")  # the window is open: only the opt-out stands in the way
    opted = suite.client("notifications").put(
        f"/recipients/{whatsapp['contact_id']}/preferences",
        json={"opted_out": True},
        headers=suite.headers(),
    )
    assert opted.status_code == 200, opted.get_json()
    refused(answer(suite, whatsapp["contact_id"], {"text": ANSWER}), 409, "opted_out")
    assert messages(suite, whatsapp["client_id"], "family.direct") == []


def quiet_now(hours_left: int) -> tuple[dict, datetime]:
    """Quiet hours (Jakarta) that began an hour ago and end in ``hours_left`` hours, and the
    moment they end."""
    now = datetime.now(ZoneInfo("Asia/Jakarta"))
    end = (now + timedelta(hours=hours_left)).replace(second=0, microsecond=0)
    start = now - timedelta(hours=1)
    return {"start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")}, end


def written_in_quiet_hours(suite, provider) -> tuple[dict, datetime, object]:
    """A WhatsApp family who wrote just now, at a foundation in quiet hours for two more
    hours, and a staff answer to them: the family, the end of quiet hours, the answer."""
    quiet, end = quiet_now(hours_left=2)
    create_foundation(suite, FOUNDATION, quiet_hours=quiet)
    configure(suite, "whatsapp", provider)
    family = new_family(suite)
    reply(suite, "Halo, kapan jadwalnya?")
    return family, end, answer(suite, family["contact_id"], {"text": ANSWER})


def test_in_quiet_hours_the_answer_waits_for_their_end(suite, provider):
    family, end, response = written_in_quiet_hours(suite, provider)
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["status"] == "scheduled"
    assert created["reason_code"] == "deferred_past_quiet_hours"
    assert datetime.fromisoformat(created["scheduled_for"]) == end
    suite.pump()
    assert provider.deliveries == []
    # while it waits, the thread shows what staff wrote
    (waiting,) = [
        i for i in thread(suite, family["contact_id"]).get_json()["items"] if i["kind"] == "sent"
    ]
    assert (waiting["status"], waiting["text"]) == ("scheduled", ANSWER)
    assert datetime.fromisoformat(waiting["at"]) == end


def test_whatsapp_free_text_must_fit_the_window_when_it_will_go(suite, provider):
    quiet, _end = quiet_now(hours_left=3)
    create_foundation(suite, FOUNDATION, quiet_hours=quiet)
    configure(suite, "whatsapp", provider)
    family = new_family(suite)
    reply(suite, "Halo")
    age_replies(suite, family["contact_id"], hours=22)  # open for 2 more hours; quiet for 3
    refused(answer(suite, family["contact_id"], {"text": ANSWER}), 409, "whatsapp_window_closed")


def _quiet_hours_end(suite, message_id: str) -> None:
    """The foundation's quiet hours are lifted and the waiting message falls due."""
    lifted = suite.client("intake").patch(
        f"/foundations/{FOUNDATION}",
        json={"quiet_hours": {"start": "00:00", "end": "00:00"}},
        headers=suite.headers("operator"),
    )
    assert lifted.status_code == 200, lifted.get_json()
    suite.pump()
    with suite.runtime("notifications").db.transaction() as db:
        waiting = db.execute(select(Message).where(Message.id == message_id)).scalar_one()
        waiting.scheduled_for = waiting.scheduled_for - timedelta(days=1)
    suite.run_task("notifications", "notifications.dispatch_due", [])
    suite.pump()


def test_an_answer_written_for_sms_goes_no_way_whatsapp_refuses(suite, provider):
    """Written in quiet hours to a family on SMS, the answer waits; meanwhile the family
    moves to WhatsApp, where they never wrote. When it falls due it is not sent as free
    text outside a window (WhatsApp's rule): it is cancelled, and the thread says why."""
    quiet, _end = quiet_now(hours_left=2)
    create_foundation(suite, FOUNDATION, quiet_hours=quiet)
    configure(suite, "whatsapp", provider)
    configure(suite, "sms", provider)
    family = new_family(suite, channel="sms")
    written = answer(suite, family["contact_id"], {"text": ANSWER})
    assert written.status_code == 201, written.get_json()
    assert written.get_json()["status"] == "scheduled"
    moved = suite.client("intake").patch(
        f"/clients/{family['client_id']}/family-contacts/{family['contact_id']}",
        json={"channel": "whatsapp"},
        headers=suite.headers(),
    )
    assert moved.status_code == 200, moved.get_json()

    _quiet_hours_end(suite, written.get_json()["id"])
    assert provider.deliveries == []
    ended = message(suite, written.get_json()["id"])
    assert (ended["status"], ended["reason_code"]) == ("cancelled", "whatsapp_window_closed")


def test_an_answer_that_waited_goes_while_the_window_is_still_open(suite, provider):
    _family, _end, written = written_in_quiet_hours(suite, provider)
    assert written.status_code == 201, written.get_json()

    _quiet_hours_end(suite, written.get_json()["id"])
    assert message(suite, written.get_json()["id"])["status"] == "sent"
    (delivery,) = provider.deliveries
    assert delivery.json["channel"] == "whatsapp" and "template_id" not in delivery.json


def test_a_viewer_reads_but_does_not_write(suite, provider, whatsapp):
    reply(suite, "Halo")
    response = answer(suite, whatsapp["contact_id"], {"text": ANSWER}, role="viewer")
    assert response.status_code == 403
    assert thread(suite, whatsapp["contact_id"], role="viewer").status_code == 200
    for role in ("counselor", "admin"):
        assert answer(suite, whatsapp["contact_id"], {"text": ANSWER}, role=role).status_code == 201
    assert len(messages(suite, whatsapp["client_id"], "family.direct")) == 2


def test_another_foundations_contact_does_not_exist(suite, provider, whatsapp):
    reply(suite, "Halo")
    create_foundation(suite, "aceh-sehat")
    unknown = [
        (whatsapp["contact_id"], "aceh-sehat"),  # theirs: not ours to see
        ("not-a-uuid", FOUNDATION),
        ("7d0f3c4e-0000-4000-8000-000000000000", FOUNDATION),
    ]
    for contact_id, foundation in unknown:
        refused(thread(suite, contact_id, foundation=foundation), 404, "contact_not_found")
        for role in ("social_worker", "admin"):
            refused(
                answer(suite, contact_id, {"text": ANSWER}, role=role, foundation=foundation),
                404,
                "contact_not_found",
            )
    assert messages(suite, whatsapp["client_id"], "family.direct") == []


def test_the_thread_shows_sent_and_received_oldest_first(suite, provider, whatsapp):
    admit(suite, whatsapp["client_id"])
    suite.pump()
    reply(suite, "Terima kasih. Apakah saya boleh berkunjung?")
    assert answer(suite, whatsapp["contact_id"], {"text": ANSWER}).status_code == 201
    suite.pump()
    reply(suite, "Baik, sampai jumpa")

    shown = thread(suite, whatsapp["contact_id"])
    assert shown.status_code == 200, shown.get_json()
    conversation = shown.get_json()
    assert conversation["contact_id"] == whatsapp["contact_id"]
    assert conversation["client_id"] == whatsapp["client_id"]
    assert conversation["channel"] == "whatsapp"
    items = conversation["items"]
    assert [(i["kind"], i.get("template")) for i in items] == [
        ("sent", "family.welcome"),
        ("received", None),
        ("sent", "family.direct"),
        ("received", None),
    ]
    welcome, question, answered, thanks = items
    assert welcome["status"] == "sent" and "Siti" in welcome["text"]
    assert question["text"] == "Terima kasih. Apakah saya boleh berkunjung?"
    assert question["intent"] == "text" and "status" not in question
    assert answered["status"] == "sent" and answered["text"].startswith(ANSWER)
    assert "intent" not in answered
    assert thanks["text"] == "Baik, sampai jumpa"
    moments = [datetime.fromisoformat(i["at"]) for i in items]
    assert moments == sorted(moments)
    assert datetime.fromisoformat(conversation["window_open_until"]) == datetime.fromisoformat(
        thanks["at"]
    ) + timedelta(hours=24)


@pytest.mark.parametrize(
    "body",
    [
        [],
        ["text"],
        "text",
        None,
        5,
        {},
        {"text": None},
        {"text": 5},
        {"text": ["a"]},
        {"text": "   "},
        {"text": "x" * 1001},
        {"text": "x\x00y"},
    ],
    ids=repr,
)
def test_a_bad_body_is_refused_naming_text(suite, provider, whatsapp, body):
    reply(suite, "Halo")
    response = suite.client("notifications").post(
        f"/conversations/{whatsapp['contact_id']}/messages",
        data=json.dumps(body),
        content_type="application/json",
        headers=suite.headers(),
    )
    assert response.status_code in (400, 422), response.get_data(as_text=True)
    problem = response.get_json()
    assert response.mimetype == "application/problem+json"
    if response.status_code == 422:
        assert "text" in problem["errors"], problem
        assert problem["error_codes"]["text"], problem
    assert messages(suite, whatsapp["client_id"], "family.direct") == []


def test_a_thousand_characters_go_and_text_is_stored_trimmed(suite, provider, whatsapp):
    reply(suite, "Halo")
    longest = "y" * 1000
    response = answer(suite, whatsapp["contact_id"], {"text": longest})
    assert response.status_code == 201, response.get_json()
    suite.pump()
    assert message(suite, response.get_json()["id"])["body"].startswith(longest)


def test_the_conversation_endpoints_are_documented(suite):
    spec = suite.client("notifications").get("/openapi.json").get_json()
    assert "get" in spec["paths"]["/conversations/{contact_id}"]
    operation = spec["paths"]["/conversations/{contact_id}/messages"]["post"]
    assert "201" in operation["responses"]
    codes = spec["components"]["schemas"]["Problem"]["properties"]["code"]["enum"]
    assert {"contact_not_found", "no_consent", "opted_out", "whatsapp_window_closed"} <= set(codes)
    created = operation["responses"]["201"]["content"]["application/json"]["schema"]["$ref"]
    assert "fallback_of" in spec["components"]["schemas"][created.rsplit("/", 1)[1]]["properties"]


# -- the SMS fallback ---------------------------------------------------------------------------


@pytest.fixture
def welcomed(suite, provider, whatsapp):
    """The family's welcome went out over WhatsApp; the foundation has SMS too."""
    configure(suite, "sms", provider)
    admit(suite, whatsapp["client_id"])
    suite.pump()
    (welcome,) = messages(suite, whatsapp["client_id"], "family.welcome")
    assert (welcome["status"], welcome["channel"]) == ("sent", "whatsapp")
    return {**whatsapp, "welcome_id": welcome["id"]}


def test_a_whatsapp_message_reported_failed_goes_once_more_by_sms(suite, provider, welcomed):
    assert report(suite, welcomed["welcome_id"])["action"] == "status_recorded"
    assert report(suite, welcomed["welcome_id"])["action"] == "status_recorded"  # redelivered

    welcomes = messages(suite, welcomed["client_id"], "family.welcome")
    (fallback,) = [m for m in welcomes if m["fallback_of"] == welcomed["welcome_id"]]
    assert len(welcomes) == 2
    assert (fallback["channel"], fallback["status"]) == ("sms", "sent")
    assert fallback["recipient"]["id"] == welcomed["contact_id"]
    (original,) = [m for m in welcomes if m["id"] == welcomed["welcome_id"]]
    assert original["fallback_of"] is None and original["delivery_status"] == "failed"
    (sms,) = [d for d in provider.deliveries if d.json["channel"] == "sms"]
    assert sms.json["to"] == PHONE and sms.header("Idempotency-Key") == fallback["id"]
    assert sms.json["body"] == fallback["body"] == original["body"]
    # a fallback on its way: the case worker need not phone
    assert messages(suite, welcomed["client_id"], "staff.delivery_failed") == []


def test_two_failure_reports_at_once_fall_back_once(suite, provider, welcomed):
    """The provider reports the same failure twice at the same moment (PostgreSQL: both
    requests run at once): both are answered, and one SMS goes."""
    if suite.runtime("notifications").db.is_sqlite:
        pytest.skip("SQLite serialises writers: the overlap needs PostgreSQL")
    body = json.dumps(
        {
            "foundation": FOUNDATION,
            "type": "status",
            "message_id": welcomed["welcome_id"],
            "status": "failed",
        }
    ).encode()

    def reported():
        return suite.client("notifications").post(
            "/inbound/whatsapp",
            data=body,
            content_type="application/json",
            headers={"X-Provider-Signature": sign(SECRETS["whatsapp"], body)},
        )

    first, second = overlap(
        suite.runtime("notifications").db.engine,
        reported,
        reported,
        pause_after="messages.fallback_of",  # the first has looked for a fallback: none yet
    )
    assert (first.status_code, second.status_code) == (200, 200), second.get_json()
    suite.pump()
    fallbacks = [
        m for m in messages(suite, welcomed["client_id"], "family.welcome") if m["fallback_of"]
    ]
    assert len(fallbacks) == 1 and fallbacks[0]["channel"] == "sms"
    # and the case worker is not told that nothing could go: the SMS did
    assert messages(suite, welcomed["client_id"], "staff.delivery_failed") == []


def test_a_staff_answer_falls_back_with_its_own_words(suite, provider, welcomed):
    reply(suite, "Halo")
    created = answer(suite, welcomed["contact_id"], {"text": ANSWER}).get_json()
    suite.pump()
    report(suite, created["id"])
    (fallback,) = [
        m
        for m in messages(suite, welcomed["client_id"], "family.direct")
        if m["fallback_of"] == created["id"]
    ]
    assert fallback["channel"] == "sms" and fallback["body"].startswith(ANSWER)


def test_without_sms_the_case_worker_is_alerted_instead(suite, provider, whatsapp):
    admit(suite, whatsapp["client_id"])
    suite.pump()
    (welcome,) = messages(suite, whatsapp["client_id"], "family.welcome")
    report(suite, welcome["id"])
    report(suite, welcome["id"])

    assert messages(suite, whatsapp["client_id"], "family.welcome") == [
        message(suite, welcome["id"])
    ]
    (alert,) = messages(suite, whatsapp["client_id"], "staff.delivery_failed")
    assert alert["recipient"]["id"] == whatsapp["case_worker_id"]
    assert alert["status"] == "sent"
    assert [d.json["channel"] for d in provider.deliveries] == ["whatsapp"]


def test_a_disabled_sms_channel_is_no_fallback(suite, provider, welcomed):
    configure(suite, "sms", provider, enabled=False)
    report(suite, welcomed["welcome_id"])
    assert len(messages(suite, welcomed["client_id"], "family.welcome")) == 1
    assert len(messages(suite, welcomed["client_id"], "staff.delivery_failed")) == 1


def test_a_fallback_that_fails_too_alerts_the_case_worker(suite, provider, welcomed):
    provider.reject_next(1, status=400)  # the SMS provider refuses the fallback
    report(suite, welcomed["welcome_id"])

    (fallback,) = [
        m
        for m in messages(suite, welcomed["client_id"], "family.welcome")
        if m["fallback_of"] == welcomed["welcome_id"]
    ]
    assert (fallback["channel"], fallback["status"]) == ("sms", "failed")
    (alert,) = messages(suite, welcomed["client_id"], "staff.delivery_failed")
    assert alert["recipient"]["id"] == welcomed["case_worker_id"]
    with suite.runtime("notifications").db.transaction() as db:
        subject = db.execute(select(Message.subject_id).where(Message.id == alert["id"])).scalar()
    assert subject == fallback["id"]


def test_a_fallback_reported_failed_alerts_the_case_worker(suite, provider, welcomed):
    report(suite, welcomed["welcome_id"])
    (fallback,) = [
        m
        for m in messages(suite, welcomed["client_id"], "family.welcome")
        if m["fallback_of"] == welcomed["welcome_id"]
    ]
    report(suite, fallback["id"], channel="sms")
    assert len(messages(suite, welcomed["client_id"], "family.welcome")) == 2  # no third try
    assert len(messages(suite, welcomed["client_id"], "staff.delivery_failed")) == 1


def test_a_whatsapp_send_that_finally_fails_goes_by_sms(suite, provider, whatsapp):
    configure(suite, "sms", provider)
    provider.reject_next(1, status=400)  # WhatsApp refuses the welcome outright
    admit(suite, whatsapp["client_id"])
    suite.pump()

    welcomes = {m["channel"]: m for m in messages(suite, whatsapp["client_id"], "family.welcome")}
    assert welcomes["whatsapp"]["status"] == "failed"
    assert welcomes["sms"]["status"] == "sent"
    assert welcomes["sms"]["fallback_of"] == welcomes["whatsapp"]["id"]
    assert messages(suite, whatsapp["client_id"], "staff.delivery_failed") == []


def test_no_fallback_once_consent_is_withdrawn(suite, provider, welcomed):
    withdrawn = suite.client("intake").put(
        f"/clients/{welcomed['client_id']}/consent",
        json={"contact_family": False, "share_progress": False},
        headers=suite.headers(),
    )
    assert withdrawn.status_code == 200
    suite.pump()
    report(suite, welcomed["welcome_id"])
    assert len(messages(suite, welcomed["client_id"], "family.welcome")) == 1
    assert len(messages(suite, welcomed["client_id"], "staff.delivery_failed")) == 1


def test_a_fallback_follows_the_contacts_current_phone(suite, provider, welcomed):
    changed = suite.client("intake").patch(
        f"/clients/{welcomed['client_id']}/family-contacts/{welcomed['contact_id']}",
        json={"phone": "0813-1111-2222"},
        headers=suite.headers(),
    )
    assert changed.status_code == 200, changed.get_json()
    suite.pump()
    report(suite, welcomed["welcome_id"])
    (sms,) = [d for d in provider.deliveries if d.json["channel"] == "sms"]
    assert sms.json["to"] == "+6281311112222"
    with suite.runtime("notifications").db.transaction() as db:
        channel = db.execute(
            select(Message.channel).where(Message.fallback_of == welcomed["welcome_id"])
        ).scalar()
    assert channel == "sms"
