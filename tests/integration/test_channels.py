"""Delivery channels against real endpoints (an SMTP server, an HTTP provider), channel
settings over the API, and the provider's signed inbound webhook."""

from __future__ import annotations

import email
import hashlib
import hmac
import json
import socket
import uuid
from datetime import timedelta
from email import policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select, text

from services.notifications.channel_settings import load_channel_setting
from services.notifications.channels import (
    EmailChannel,
    HttpProviderChannel,
    LogChannel,
    Outgoing,
    PermanentFailure,
    TransientFailure,
    channel_for,
)
from services.notifications.inbound import is_opted_out
from services.notifications.models import Message, OptOut
from shared.db import utcnow
from tests.support.factories import admit, create_foundation, register_client
from tests.support.provider import sign

pytestmark = pytest.mark.integration

PHONE = "+6281234567890"
WEBHOOK_SECRET = "whsec-medan-plus-123"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def outgoing(channel="sms", key=None, address=PHONE, template="family.welcome", body=None):
    return Outgoing(
        idempotency_key=key or str(uuid.uuid4()),
        channel=channel,
        address=address,
        template=template,
        locale="id",
        body=body or "Halo Siti, salam hangat dari Yayasan Medan Plus.",
        sender_name="Yayasan Medan Plus",
    )


def sms_config(provider, **overrides):
    config = {"base_url": provider.url, "api_key": "key-one", "sender_id": "MEDANPLUS"}
    config.update(overrides)
    return config


# -- email over a real SMTP server -------------------------------------------------------------


class Mailbox:
    def __init__(self):
        self.envelopes = []
        self.refuse_with = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.refuse_with:
            return self.refuse_with
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield mailbox, controller.port
    controller.stop()


def email_config(port, **overrides):
    config = {
        "host": "127.0.0.1",
        "port": port,
        "starttls": False,
        "from_address": "kabar@medanplus.example",
    }
    config.update(overrides)
    return config


def test_email_arrives_with_body_sender_and_idempotency_header(smtp):
    mailbox, port = smtp
    message = outgoing("email", address="siti@example.org")
    provider_id = channel_for("email", email_config(port)).send(message)

    (envelope,) = mailbox.envelopes
    assert envelope.mail_from == "kabar@medanplus.example"
    assert envelope.rcpt_tos == ["siti@example.org"]
    received = email.message_from_bytes(envelope.original_content, policy=policy.default)
    assert received["X-Idempotency-Key"] == message.idempotency_key
    assert received["Message-ID"].strip() == provider_id
    assert message.idempotency_key in received["Message-ID"]
    assert "Yayasan Medan Plus" in received["From"]
    assert received["Subject"] == "Pesan dari Yayasan Medan Plus"
    assert received.get_content().strip() == message.body


@pytest.mark.parametrize(
    ("reply", "failure"),
    [("451 4.3.0 Try again later", TransientFailure), ("550 5.1.1 No such user", PermanentFailure)],
)
def test_email_smtp_replies_map_to_failures(smtp, reply, failure):
    mailbox, port = smtp
    mailbox.refuse_with = reply
    with pytest.raises(failure):
        channel_for("email", email_config(port)).send(outgoing("email", address="x@example.org"))
    assert mailbox.envelopes == []


def test_email_unreachable_server_is_transient():
    with pytest.raises(TransientFailure):
        EmailChannel(email_config(free_port()), timeout=2).send(
            outgoing("email", address="x@example.org")
        )


# -- sms and whatsapp through the HTTP provider -------------------------------------------------


def test_sms_success_returns_provider_id(provider):
    message = outgoing("sms")
    assert channel_for("sms", sms_config(provider)).send(message) == "prov-1"

    (request,) = provider.requests
    assert request.path == "/messages"
    assert request.header("Authorization") == "Bearer key-one"
    assert request.header("Idempotency-Key") == message.idempotency_key
    assert request.json == {
        "to": PHONE,
        "from": "MEDANPLUS",
        "channel": "sms",
        "reference": message.idempotency_key,
        "body": message.body,
    }


def test_sms_retries_after_unavailable_and_delivers_once(provider):
    channel = channel_for("sms", sms_config(provider))
    message = outgoing("sms")
    provider.fail_next(2, status=503)
    for _ in range(2):
        with pytest.raises(TransientFailure):
            channel.send(message)
    assert provider.deliveries == []
    assert channel.send(message) == "prov-1"
    assert len(provider.requests) == 3 and len(provider.deliveries) == 1


@pytest.mark.parametrize(
    ("status", "failure"),
    [
        (500, TransientFailure),
        (429, TransientFailure),
        (400, PermanentFailure),
        (401, PermanentFailure),
        (404, PermanentFailure),
    ],
)
def test_provider_status_codes_map_to_failures(provider, status, failure):
    provider.fail_next(1, status=status)
    with pytest.raises(failure):
        channel_for("sms", sms_config(provider)).send(outgoing("sms"))
    assert provider.deliveries == []


def test_a_wrong_api_key_is_permanent(provider):
    provider.expected_token = "the-real-key"
    with pytest.raises(PermanentFailure, match="401"):
        channel_for("sms", sms_config(provider)).send(outgoing("sms"))


def test_a_timeout_is_transient_and_the_retry_is_not_delivered_twice(provider):
    channel = HttpProviderChannel("sms", sms_config(provider), timeout=0.5)
    message = outgoing("sms")
    provider.stall_next(1, seconds=1.5)  # the provider accepts it, but answers too late
    with pytest.raises(TransientFailure):
        channel.send(message)
    assert channel.send(message) == "prov-1"
    assert len(provider.deliveries) == 1
    assert [r.duplicate for r in provider.requests] == [False, True]


def test_unreachable_provider_is_transient():
    config = {"base_url": f"http://127.0.0.1:{free_port()}", "api_key": "k", "sender_id": "S"}
    with pytest.raises(TransientFailure):
        channel_for("sms", config).send(outgoing("sms"))


def test_a_repeated_send_with_the_same_key_is_delivered_once(provider):
    channel = channel_for("sms", sms_config(provider))
    message = outgoing("sms")
    first = channel.send(message)
    again = channel.send(message)
    assert first == again == "prov-1"
    assert len(provider.requests) == 2
    assert len(provider.deliveries) == 1
    assert provider.requests[1].duplicate


def test_whatsapp_sends_the_mapped_template_id(provider):
    config = sms_config(provider, template_ids={"family.welcome": "welcome_v1"})
    message = outgoing("whatsapp")
    assert channel_for("whatsapp", config).send(message) == "prov-1"
    (delivery,) = provider.deliveries
    assert delivery.json == {
        "to": PHONE,
        "from": "MEDANPLUS",
        "channel": "whatsapp",
        "reference": message.idempotency_key,
        "template_id": "welcome_v1",
        "params": [message.body],
    }


def test_whatsapp_without_a_mapped_template_is_permanent(provider):
    config = sms_config(provider, template_ids={"family.welcome": "welcome_v1"})
    with pytest.raises(PermanentFailure, match="family.followup"):
        channel_for("whatsapp", config).send(outgoing("whatsapp", template="family.followup"))
    assert provider.requests == []


def test_no_setting_means_log_and_an_incomplete_one_is_permanent():
    assert isinstance(channel_for("sms", None), LogChannel)
    assert isinstance(channel_for("email", None), LogChannel)
    with pytest.raises(PermanentFailure, match="api_key"):
        channel_for("sms", {"base_url": "https://p.example", "sender_id": "S"})


# -- webhook ------------------------------------------------------------------------------------


def test_webhook_body_is_signed_with_the_secret(provider):
    secret = "a-webhook-secret-of-some-length"
    message = outgoing("webhook")
    channel = channel_for("webhook", {"url": provider.url + "/hooks/pendamping", "secret": secret})
    channel.send(message)

    (delivery,) = provider.deliveries
    assert delivery.path == "/hooks/pendamping"
    expected = hmac.new(secret.encode(), delivery.body, hashlib.sha256).hexdigest()
    assert delivery.header("X-Pendamping-Signature") == f"sha256={expected}"
    assert delivery.header("Idempotency-Key") == message.idempotency_key
    assert delivery.json["idempotency_key"] == message.idempotency_key
    assert delivery.json["body"] == message.body

    provider.fail_next(1, status=502)
    with pytest.raises(TransientFailure):
        channel.send(outgoing("webhook"))


# -- channel settings over the API --------------------------------------------------------------


def put_channel(suite, channel, body, role="admin", foundation="medan-plus"):
    return suite.client("notifications").put(
        f"/channels/{channel}", json=body, headers=suite.headers(role, foundation)
    )


def get_channel(suite, channel, role="viewer", foundation="medan-plus"):
    return suite.client("notifications").get(
        f"/channels/{channel}", headers=suite.headers(role, foundation)
    )


VIEW_KEYS = ("channel", "configured", "enabled", "config", "has_credentials", "updated_at")


def test_admin_configures_sms_and_credentials_never_come_back(suite, provider):
    create_foundation(suite)
    body = {**sms_config(provider), "webhook_secret": WEBHOOK_SECRET}
    response = put_channel(suite, "sms", body)
    assert response.status_code == 200, response.get_json()

    for answer in (response, get_channel(suite, "sms")):
        view = answer.get_json()
        assert view["configured"] and view["enabled"]
        assert view["config"] == {"base_url": provider.url, "sender_id": "MEDANPLUS"}
        assert view["has_credentials"] == {"api_key": True, "webhook_secret": True}
        raw = answer.get_data(as_text=True)
        assert "key-one" not in raw and WEBHOOK_SECRET not in raw
        assert set(view) == set(VIEW_KEYS)

    # encrypted at rest
    with suite.runtime("notifications").db.transaction() as db:
        stored = db.execute(text("SELECT config FROM channel_settings")).scalar()
    assert "key-one" not in stored and "MEDANPLUS" not in stored

    # not configured here, nor for another foundation
    assert get_channel(suite, "whatsapp").get_json()["configured"] is False
    other = get_channel(suite, "sms", foundation="aceh-sehat").get_json()
    assert other["configured"] is False and other["config"] == {}


def test_only_admins_change_channel_settings(suite, provider):
    create_foundation(suite)
    response = put_channel(suite, "sms", sms_config(provider), role="social_worker")
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert get_channel(suite, "sms", role="social_worker").status_code == 200


SMS = {"base_url": "https://sms.example.com", "api_key": "k", "sender_id": "S"}
EMAIL = {"host": "smtp.example.com", "from_address": "kabar@medanplus.example"}


@pytest.mark.parametrize(
    ("channel", "body", "field"),
    [
        ("sms", {**SMS, "base_url": "not a url"}, "base_url"),
        ("sms", {**SMS, "base_url": "http://sms.example.com"}, "base_url"),
        ("sms", {**SMS, "base_url": "https://user:pw@sms.example.com"}, "base_url"),
        ("sms", {"base_url": SMS["base_url"], "sender_id": "S"}, "api_key"),
        ("sms", {**SMS, "sender_id": 42}, "sender_id"),
        ("sms", {**SMS, "unexpected": 1}, "unexpected"),
        ("whatsapp", {**SMS, "template_ids": {"no.such": "t1"}}, "template_ids.no.such.key"),
        ("email", {**EMAIL, "port": 70000}, "port"),
        ("email", {**EMAIL, "host": "smtp://smtp.example.com"}, "host"),
        ("email", {**EMAIL, "from_address": "not-an-email"}, "from_address"),
        ("email", {**EMAIL, "starttls": False}, "starttls"),
        ("email", {**EMAIL, "username": "kabar"}, "password"),
        ("webhook", {"url": "https://hooks.example.com/x", "secret": "short"}, "secret"),
        ("webhook", {"url": "ftp://hooks.example.com/x", "secret": "x" * 20}, "url"),
    ],
)
def test_invalid_settings_are_422_naming_the_field(suite, channel, body, field):
    create_foundation(suite)
    response = put_channel(suite, channel, body)
    assert response.status_code == 422, response.get_json()
    problem = response.get_json()
    assert problem["type"].endswith("/validation-failed")
    assert field in problem["errors"], problem["errors"]
    assert get_channel(suite, channel).get_json()["configured"] is False


def test_unknown_channel_is_404(suite):
    create_foundation(suite)
    for response in (
        get_channel(suite, "pigeon"),
        put_channel(suite, "pigeon", {"enabled": True}),
    ):
        assert response.status_code == 404
        assert response.get_json()["type"].endswith("/not-found")


def test_a_put_without_the_api_key_keeps_the_stored_one(suite, provider):
    create_foundation(suite)
    assert put_channel(suite, "sms", sms_config(provider)).status_code == 200
    changed = {"base_url": provider.url, "sender_id": "NEWSENDER"}
    response = put_channel(suite, "sms", changed)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["has_credentials"]["api_key"] is True

    runtime = suite.runtime("notifications")
    with runtime.db.transaction() as db:
        setting = load_channel_setting(db, "medan-plus", "sms")
    channel_for("sms", setting).send(outgoing("sms"))
    (delivery,) = provider.deliveries
    assert delivery.header("Authorization") == "Bearer key-one"
    assert delivery.json["from"] == "NEWSENDER"

    # disabled: sends fall back to log
    assert put_channel(suite, "sms", {**changed, "enabled": False}).status_code == 200
    with runtime.db.transaction() as db:
        assert load_channel_setting(db, "medan-plus", "sms") is None


def test_a_welcome_goes_through_the_configured_whatsapp_provider(suite, provider):
    create_foundation(suite)
    config = sms_config(provider, template_ids={"family.welcome": "welcome_v1"})
    assert put_channel(suite, "whatsapp", config).status_code == 200
    client = register_client(suite)  # the family contact prefers whatsapp
    admit(suite, client["id"])
    suite.pump()

    (delivery,) = provider.deliveries
    assert delivery.json["template_id"] == "welcome_v1"
    assert delivery.json["to"] == PHONE
    assert "Siti" in delivery.json["params"][0]
    with suite.runtime("notifications").db.transaction() as db:
        message = db.execute(select(Message).where(Message.client_id == client["id"])).scalar()
        assert message.status == "sent"
        assert message.provider_message_id == "prov-1"
        assert delivery.header("Idempotency-Key") == message.id


# -- the provider's inbound webhook -------------------------------------------------------------


@pytest.fixture
def sms_inbound(suite, provider):
    create_foundation(suite)
    body = {**sms_config(provider), "webhook_secret": WEBHOOK_SECRET}
    assert put_channel(suite, "sms", body).status_code == 200
    return suite


def post_inbound(suite, payload, *, secret=WEBHOOK_SECRET, channel="sms", signature=None):
    body = json.dumps(payload).encode()
    headers = {}
    if secret is not None:
        headers["X-Provider-Signature"] = signature or sign(secret, body)
    return suite.client("notifications").post(
        f"/inbound/{channel}", data=body, content_type="application/json", headers=headers
    )


def add_message(suite, address, status="scheduled", foundation="medan-plus", channel="sms"):
    message_id = str(uuid.uuid4())
    with suite.runtime("notifications").db.transaction() as db:
        db.add(
            Message(
                id=message_id,
                foundation=foundation,
                recipient_kind="family",
                recipient_id=str(uuid.uuid4()),
                recipient_name="Siti",
                channel=channel,
                address=address,
                template="family.followup",
                locale="id",
                occurrence=message_id,
                dedupe_key=message_id,
                status=status,
                scheduled_for=utcnow() + timedelta(hours=1),
            )
        )
    return message_id


def message_row(suite, message_id) -> Message:
    with suite.runtime("notifications").db.transaction() as db:
        return db.get(Message, message_id)


def opt_out_count(suite) -> int:
    with suite.runtime("notifications").db.transaction() as db:
        return db.execute(select(func.count()).select_from(OptOut)).scalar()


def test_stop_opts_the_number_out_and_suppresses_its_pending_messages(sms_inbound):
    suite = sms_inbound
    scheduled = add_message(suite, PHONE)
    queued = add_message(suite, PHONE, status="queued", channel="whatsapp")
    already_sent = add_message(suite, PHONE, status="sent")
    someone_else = add_message(suite, "+6281311112222")
    other_foundation = add_message(suite, PHONE, foundation="aceh-sehat")

    stop = {"foundation": "medan-plus", "from": "+62 812-3456-7890", "text": "  berhenti "}
    response = post_inbound(suite, stop)
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"ok": True, "action": "opted_out", "suppressed": 2}

    for message_id in (scheduled, queued):
        row = message_row(suite, message_id)
        assert (row.status, row.reason) == ("suppressed", "recipient opted out")
        assert row.reason_code == "recipient_opted_out"
    assert message_row(suite, already_sent).status == "sent"
    assert message_row(suite, someone_else).status == "scheduled"
    assert message_row(suite, other_foundation).status == "scheduled"
    with suite.runtime("notifications").db.transaction() as db:
        assert is_opted_out(db, "medan-plus", PHONE)
        assert is_opted_out(db, "medan-plus", "0812-3456-7890")
        assert not is_opted_out(db, "aceh-sehat", PHONE)
        assert not is_opted_out(db, "medan-plus", "+6281311112222")

    # a second STOP changes nothing, however it is punctuated
    for reply in ("STOP", "STOP.", "Berhenti!"):
        again = post_inbound(suite, {**stop, "text": reply})
        assert again.status_code == 200 and again.get_json()["suppressed"] == 0, reply
        assert again.get_json()["action"] == "opted_out", reply
    assert opt_out_count(suite) == 1

    # other words are no opt-out
    hello = post_inbound(
        suite, {"foundation": "medan-plus", "from": "+6281311112222", "text": "ok"}
    )
    assert hello.get_json()["action"] == "ignored"
    assert opt_out_count(suite) == 1


def test_an_opted_out_family_gets_no_welcome(sms_inbound):
    suite = sms_inbound
    stop = {"foundation": "medan-plus", "from": PHONE, "text": "STOP"}
    assert post_inbound(suite, stop).status_code == 200
    client = register_client(suite)
    admit(suite, client["id"])
    suite.pump()
    items = (
        suite.client("notifications")
        .get(f"/messages?client_id={client['id']}", headers=suite.headers())
        .get_json()["items"]
    )
    (welcome,) = [m for m in items if m["template"] == "family.welcome"]
    assert welcome["status"] == "suppressed"


@pytest.mark.parametrize(
    "tamper",
    ["wrong secret", "no signature", "changed body", "unconfigured foundation", "other channel"],
)
def test_an_unsigned_or_wrongly_signed_request_is_401_and_changes_nothing(sms_inbound, tamper):
    suite = sms_inbound
    pending = add_message(suite, PHONE)
    stop = {"foundation": "medan-plus", "from": PHONE, "text": "STOP"}
    if tamper == "wrong secret":
        response = post_inbound(suite, stop, secret="not-the-secret")
    elif tamper == "no signature":
        response = post_inbound(suite, stop, secret=None)
    elif tamper == "changed body":
        signed_for = json.dumps({**stop, "from": "+6281311112222"}).encode()
        response = post_inbound(suite, stop, signature=sign(WEBHOOK_SECRET, signed_for))
    elif tamper == "unconfigured foundation":
        response = post_inbound(suite, {**stop, "foundation": "aceh-sehat"})
    else:
        response = post_inbound(suite, stop, channel="whatsapp")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert opt_out_count(suite) == 0
    assert message_row(suite, pending).status == "scheduled"


def test_the_inbound_webhook_is_documented_as_signed_not_bearer(suite):
    spec = suite.client("notifications").get("/openapi.json").get_json()
    operation = spec["paths"]["/inbound/{channel}"]["post"]
    # a provider holds no token: the document must not ask one for this operation ...
    assert operation["security"] == []
    # ... while every other operation still needs one
    assert spec["security"] == [{"bearer": []}]
    assert all(
        "security" not in op
        for path, item in spec["paths"].items()
        if path != "/inbound/{channel}"
        for op in item.values()
        if isinstance(op, dict) and "responses" in op
    )
    headers = {p["name"]: p for p in operation["parameters"] if p["in"] == "header"}
    assert sorted(headers) == ["X-Provider-Signature", "X-Provider-Timestamp"]
    assert headers["X-Provider-Signature"]["required"] is True
    # the signed time is the provider's choice: without it the body alone is signed
    assert headers["X-Provider-Timestamp"]["required"] is False
    body = operation["requestBody"]
    assert body["required"] is True
    shapes = [
        spec["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]
        for ref in body["content"]["application/json"]["schema"]["oneOf"]
    ]
    assert [set(shape["required"]) for shape in shapes] == [
        {"foundation", "from", "text"},
        {"foundation", "type", "message_id", "status"},
    ]


def test_inbound_is_only_for_sms_and_whatsapp(sms_inbound):
    response = post_inbound(sms_inbound, {"foundation": "medan-plus"}, channel="email")
    assert response.status_code == 404


def test_status_callbacks_record_delivery_status(sms_inbound):
    suite = sms_inbound
    sent = add_message(suite, PHONE, status="sent")

    def report(message_id, status, **extra):
        payload = {"foundation": "medan-plus", "type": "status", "message_id": message_id}
        return post_inbound(suite, {**payload, "status": status, **extra})

    response = report(sent, "delivered", provider_message_id="prov-77")
    assert response.get_json() == {"ok": True, "action": "status_recorded"}
    row = message_row(suite, sent)
    assert (row.status, row.delivery_status, row.provider_message_id) == (
        "sent",
        "delivered",
        "prov-77",
    )

    assert report(sent, "failed").status_code == 200
    row = message_row(suite, sent)
    assert (row.status, row.delivery_status) == ("sent", "failed")

    read = add_message(suite, PHONE, status="sent")
    report(read, "read")
    report(read, "delivered")  # late, out of order
    assert message_row(suite, read).delivery_status == "read"

    elsewhere = add_message(suite, PHONE, status="sent", foundation="aceh-sehat")
    assert report(elsewhere, "delivered").get_json()["action"] == "ignored"
    assert message_row(suite, elsewhere).delivery_status is None
    assert report(str(uuid.uuid4()), "delivered").get_json()["action"] == "ignored"

    bad = report(sent, "exploded")
    assert bad.status_code == 422 and "status" in bad.get_json()["errors"]


def test_a_provider_report_of_non_delivery_alerts_the_case_worker_once(sms_inbound):
    suite = sms_inbound
    worker = suite.client("intake").post(
        "/staff",
        headers=suite.headers("admin"),
        json={"name": "Rahmat", "role": "social_worker", "email": "rahmat@example.org"},
    )
    client = register_client(
        suite,
        case_worker_id=worker.get_json()["id"],
        family_contacts=[
            {"name": "Siti", "relationship": "mother", "phone": PHONE, "channel": "sms"}
        ],
    )
    admit(suite, client["id"])
    suite.pump()
    notifications = suite.client("notifications")
    (welcome,) = notifications.get(
        f"/messages?client_id={client['id']}&template=family.welcome", headers=suite.headers()
    ).get_json()["items"]
    assert welcome["status"] == "sent"

    report = {"foundation": "medan-plus", "type": "status", "message_id": welcome["id"]}
    for _ in range(2):  # providers repeat their callbacks
        answer = post_inbound(suite, {**report, "status": "failed"})
        assert answer.get_json()["action"] == "status_recorded"
        suite.pump()
    alerts = notifications.get(
        f"/messages?client_id={client['id']}&template=staff.delivery_failed",
        headers=suite.headers(),
    ).get_json()["items"]
    assert [(a["recipient"]["id"], a["status"]) for a in alerts] == [
        (worker.get_json()["id"], "sent")
    ]
    assert "undelivered" in alerts[0]["body"]
    row = message_row(suite, welcome["id"])
    assert (row.status, row.delivery_status) == ("sent", "failed")  # it was handed over


def test_a_failure_report_after_a_read_receipt_or_before_the_send_alerts_nobody(sms_inbound):
    suite = sms_inbound
    admin = suite.client("intake").post(  # who would be told
        "/staff",
        headers=suite.headers("admin"),
        json={"name": "Kepala", "role": "admin", "email": "kepala@example.org"},
    )
    assert admin.status_code == 201
    suite.pump()
    read = add_message(suite, PHONE, status="sent")
    waiting = add_message(suite, PHONE, status="scheduled")
    report = {"foundation": "medan-plus", "type": "status"}
    post_inbound(suite, {**report, "message_id": read, "status": "read"})
    for message_id in (read, waiting):
        answer = post_inbound(suite, {**report, "message_id": message_id, "status": "failed"})
        assert answer.get_json()["action"] == "status_recorded"
    suite.pump()
    assert message_row(suite, read).delivery_status == "read"
    with suite.runtime("notifications").db.transaction() as db:
        alerts = db.execute(
            select(func.count()).where(Message.template == "staff.delivery_failed")
        ).scalar()
    assert alerts == 0
