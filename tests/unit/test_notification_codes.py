"""Notifications' reason codes: every code its source gives a message is registered, and each
code's English ``reason`` is worded exactly as the reason was before codes came (clients that
still read ``reason`` see no change)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from services.notifications.channels import PermanentFailure, TransientFailure
from shared.codes import REASON_CODES, reason_text

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(
    path
    for path in (ROOT / "services" / "notifications").rglob("*.py")
    if "migrations" not in path.parts
)
# calls whose argument at this position is a reason code
REASON_ARGUMENT = {
    "TransientFailure": 0,
    "PermanentFailure": 0,
    "Refuse": 0,
    "Defer": 1,
    "set_status": 1,
    "cancel_pending": 1,
    "cancel_pending_for_contact": 2,
    "cancel_pending_family_messages": 2,
}


def _reason_codes_in_the_source() -> set[tuple[str, str]]:
    found = set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            position = REASON_ARGUMENT.get(name)
            if position is None or len(node.args) <= position:
                continue
            argument = node.args[position]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                found.add((f"{path.relative_to(ROOT)}:{node.lineno}", argument.value))
    return found


def test_every_reason_code_the_source_gives_is_registered():
    named = _reason_codes_in_the_source()
    assert len(named) > 20, "the walk found too few reason codes"
    assert [(where, code) for where, code in named if code not in REASON_CODES] == []


@pytest.mark.parametrize(
    ("code", "params", "reason"),
    [
        ("client_unknown", {}, "client unknown"),
        ("consent_withdrawn", {}, "consent to contact family withdrawn"),
        ("contact_removed", {}, "family contact removed or may not be contacted"),
        ("share_progress_withdrawn", {}, "consent to share progress withdrawn"),
        ("staff_inactive", {}, "staff member unknown or inactive"),
        ("recipient_opted_out", {}, "recipient opted out"),
        ("session_cancelled", {}, "session cancelled"),
        ("assessment_completed", {}, "assessment completed"),
        ("client_discharged", {}, "client discharged"),
        ("client_readmitted", {}, "client readmitted"),
        ("deferred_past_quiet_hours", {}, "deferred past quiet hours"),
        ("held_for_consent_data", {}, "held: waiting for current consent data from intake"),
        (
            "reminder_too_late_at_booking",
            {},
            "reminder time had already passed when the session was booked",
        ),
        ("reminder_after_session_start", {}, "the reminder would arrive after the session starts"),
        (
            "retrying",
            {"error": "sms provider answered 503"},
            "retrying: sms provider answered 503",
        ),
        ("channel_not_configured", {"channel": "sms"}, "the sms channel is not configured"),
    ],
)
def test_a_reason_is_worded_as_before_codes(code, params, reason):
    assert reason_text(code, **params) == reason


@pytest.mark.parametrize(
    ("failure", "reason"),
    [
        (
            PermanentFailure("channel_settings_incomplete", channel="sms", missing="api_key"),
            "sms channel is missing api_key",
        ),
        (PermanentFailure("no_address", channel="email"), "no email address for this recipient"),
        (
            PermanentFailure("whatsapp_template_unmapped", template="family.welcome"),
            "no WhatsApp template id is mapped for family.welcome",
        ),
        (
            TransientFailure("smtp_recipient_deferred", smtp_code=451),
            "SMTP recipient deferred (451)",
        ),
        (PermanentFailure("smtp_recipient_refused", smtp_code="?"), "SMTP recipient refused (?)"),
        (TransientFailure("smtp_server_deferred", smtp_code=421), "SMTP server deferred (421)"),
        (PermanentFailure("smtp_server_refused", smtp_code=554), "SMTP server refused (554)"),
        (
            TransientFailure("smtp_connection_failed", error="ConnectionRefusedError"),
            "SMTP connection failed (ConnectionRefusedError)",
        ),
        (
            TransientFailure("provider_unreachable", channel="whatsapp", error="ReadTimeout"),
            "whatsapp provider unreachable (ReadTimeout)",
        ),
        (
            PermanentFailure("provider_request_impossible", channel="sms", error="InvalidURL"),
            "sms provider request not possible (InvalidURL)",
        ),
        (
            PermanentFailure("provider_answered", channel="sms", http_status=401),
            "sms provider answered 401",
        ),
        (TransientFailure("webhook_answered", http_status=503), "webhook answered 503"),
        (
            TransientFailure("webhook_unreachable", error="ConnectTimeout"),
            "webhook unreachable (ConnectTimeout)",
        ),
        (PermanentFailure("no_such_channel", channel="fax"), "no such channel: fax"),
    ],
)
def test_a_delivery_failure_is_worded_as_before_and_carries_its_code(failure, reason):
    assert str(failure) == reason
    assert failure.code in REASON_CODES
    assert reason_text(failure.code, **failure.params) == reason
