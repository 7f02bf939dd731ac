"""Every refusal of the notifications service names its stable code and says what it has always
said in English; field errors carry their codes; and messages written before reason codes get
the code of their reason when the database is migrated."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from ops.migrations import upgrade
from tests.support.factories import admit, create_foundation, register_client

pytestmark = pytest.mark.integration

UNKNOWN = "00000000-0000-0000-0000-000000000000"


def problem(response, status: int, code: str, detail: str) -> dict:
    body = response.get_json()
    assert (response.status_code, body["code"], body["detail"]) == (status, code, detail), body
    return body


def field_problem(response, field: str, code: str, message: str) -> None:
    body = problem(response, 422, "validation_failed", "Some fields are not valid.")
    assert (body["errors"][field], body["error_codes"][field]) == ([message], [code]), body


@pytest.fixture
def http(suite):
    create_foundation(suite)
    return suite.client("notifications")


def test_what_is_not_there_is_404_with_its_code(suite, http):
    admin = suite.headers("admin")
    problem(
        http.get(f"/messages/{UNKNOWN}", headers=admin),
        404,
        "message_not_found",
        "No such message.",
    )
    problem(
        http.get("/templates/no.such", headers=admin),
        404,
        "template_not_found",
        "No such template.",
    )
    problem(
        http.get(f"/recipients/{UNKNOWN}/preferences", headers=admin),
        404,
        "recipient_not_found",
        "No such recipient (or no consent to message them).",
    )
    body = problem(
        http.get("/channels/fax", headers=admin),
        404,
        "channel_not_configurable",
        "No configurable channel 'fax' (one of email, sms, whatsapp, webhook).",
    )
    assert (body["channel"], body["choices"]) == ("fax", "email, sms, whatsapp, webhook")
    problem(
        http.post("/inbound/email", data=b"{}", content_type="application/json"),
        404,
        "inbound_channel_not_found",
        "No such inbound channel.",
    )


def test_a_bad_body_or_signature_is_refused_with_its_code(suite, http):
    settings = http.put(
        "/channels/sms",
        data=b"null",
        content_type="application/json",
        headers=suite.headers("admin"),
    )
    problem(settings, 400, "settings_not_an_object", "Send the settings as a JSON object.")
    assert settings.get_json()["title"] == "Bad request"
    unsigned = http.post(
        "/inbound/sms",
        data=json.dumps({"foundation": "medan-plus", "from": "+62812", "text": "STOP"}),
        content_type="application/json",
    )
    problem(unsigned, 401, "provider_signature_invalid", "Missing or wrong provider signature.")
    # a provider that labels its body as text: read as JSON all the same, and refused as such
    garbled = http.post("/inbound/sms", data=b"{not json", content_type="text/plain")
    body = problem(garbled, 400, "malformed_json", "The body is not valid JSON.")
    assert body["title"] == "Bad request"  # as it always was answered


@pytest.mark.parametrize(
    ("template", "code", "message"),
    [
        (
            "{% for x in y %}{% endfor %}",
            "template_construct_forbidden",
            "Templates may use values ({{ name }}), conditions ({% if %}) and the filters "
            "capitalize, d, default, lower, title, trim, upper; not for.",
        ),
        (
            "{{ recipient_name|format(1) }}",
            "template_filter_forbidden",
            "The filter 'format' is not available in templates.",
        ),
        (
            "{{ recipient_name is odd }}",
            "template_test_forbidden",
            "The test 'odd' is not available in templates.",
        ),
        (
            "{% if %}",
            "template_syntax_error",
            "Not a valid template: Expected an expression, got 'end of statement block'",
        ),
        ("{{ lipsum }}", "template_invalid", "Not a usable template: 'lipsum' is undefined"),
    ],
)
def test_a_template_refused_names_the_rule(suite, http, template, code, message):
    response = http.put(
        "/templates/family.welcome?locale=en",
        json={"body": template},
        headers=suite.headers("admin"),
    )
    field_problem(response, "body", code, message)


@pytest.mark.parametrize(
    ("channel", "body", "field", "code", "message"),
    [
        (
            "webhook",
            {"url": "http://hooks.example.org/x", "secret": "s" * 16},
            "url",
            "https_required",
            "Use https: messages carry personal data.",
        ),
        (
            "webhook",
            {"url": "https://user:pw@hooks.example.org/x", "secret": "s" * 16},
            "url",
            "credentials_in_url",
            "Put credentials in their own fields, not in the URL.",
        ),
        (
            "email",
            {"host": "smtp.example.org", "from_address": "a@example.org", "starttls": False},
            "starttls",
            "starttls_required",
            "STARTTLS is needed outside a loopback host.",
        ),
        (
            "email",
            {"host": "smtp.example.org", "from_address": "a@example.org", "password": "pw"},
            "username",
            "username_needed_for_password",
            "A password needs a username.",
        ),
        (
            "email",
            {"host": "smtp.example.org", "from_address": "a@example.org", "username": "u"},
            "password",
            "password_needed_with_username",
            "Needed with a username.",
        ),
        (
            "email",
            {"host": "smtp_example", "from_address": "a@example.org"},
            "host",
            "invalid_hostname",
            "Not a valid host name (no scheme or port, e.g. smtp.example.org).",
        ),
        (
            "sms",
            {"base_url": "https://sms.example", "sender_id": "X"},
            "api_key",
            "required",
            "Missing data for required field.",
        ),
    ],
)
def test_a_channel_setting_refused_names_the_rule(suite, http, channel, body, field, code, message):
    response = http.put(f"/channels/{channel}", json=body, headers=suite.headers("admin"))
    field_problem(response, field, code, message)


def test_a_recipient_without_an_address_cannot_be_opted_out(suite, http):
    staff = suite.client("intake").post(
        "/staff", headers=suite.headers("admin"), json={"name": "Tanpa Alamat", "role": "counselor"}
    )
    assert staff.status_code == 201
    suite.pump()
    response = http.put(
        f"/recipients/{staff.get_json()['id']}/preferences",
        json={"opted_out": True},
        headers=suite.headers(),
    )
    field_problem(
        response, "opted_out", "recipient_without_address", "This recipient has no address."
    )


def test_every_message_carries_its_reason_code(suite, http):
    client = register_client(suite)
    admit(suite, client["id"])
    suite.pump()
    withdrawn = suite.client("intake").put(
        f"/clients/{client['id']}/consent",
        headers=suite.headers(),
        json={"contact_family": False, "share_progress": False},
    )
    assert withdrawn.status_code == 200
    suite.pump()
    items = http.get(f"/messages?client_id={client['id']}", headers=suite.headers()).get_json()
    for message in items["items"]:
        assert "reason_code" in message
        assert (message["reason_code"] is None) == (message["reason"] is None), message


# --- rows written before reason codes ---------------------------------------------------------

BEFORE_CODES = [
    ("client unknown", "client_unknown"),
    ("consent to contact family withdrawn", "consent_withdrawn"),
    ("held: waiting for current consent data from intake", "held_for_consent_data"),
    ("client readmitted", "client_readmitted"),
    ("retrying: sms provider answered 503", "retrying"),
    ("sms provider answered 400", "provider_answered"),
    ("whatsapp provider unreachable (ReadTimeout)", "provider_unreachable"),
    ("webhook answered 500", "webhook_answered"),
    ("the sms channel is not configured", "channel_not_configured"),
    ("sms channel is missing api_key", "channel_settings_incomplete"),
    ("SMTP recipient refused (550)", "smtp_recipient_refused"),
    ("a reason from a build nobody remembers", None),
    (None, None),
]


def test_migrating_gives_old_messages_the_code_of_their_reason(tmp_path):
    """A database at revision 0004, rows as the service wrote them before codes, migrated
    (the update is plain SQL LIKE: what SQLite shows, PostgreSQL does)."""
    url = f"sqlite:///{tmp_path / 'before-codes.sqlite'}"
    upgrade("notifications", url, "0004")
    engine = sa.create_engine(url)
    insert = sa.text(
        "INSERT INTO messages (id, foundation, recipient_kind, recipient_id, channel, template,"
        " locale, occurrence, dedupe_key, context, status, scheduled_for, attempts, reason,"
        " created_at, updated_at) VALUES (:id, 'medan-plus', 'family', 'r', 'sms',"
        " 'family.welcome', 'id', 'o', :id, '{}', 'cancelled', CURRENT_TIMESTAMP, 0, :reason,"
        " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
    )
    with engine.begin() as db:
        for number, (reason, _) in enumerate(BEFORE_CODES):
            db.execute(insert, {"id": f"m{number:02}", "reason": reason})
    upgrade("notifications", url)
    with engine.begin() as db:
        rows = db.execute(sa.text("SELECT reason, reason_code FROM messages ORDER BY id")).all()
    engine.dispose()
    assert [tuple(row) for row in rows] == BEFORE_CODES
