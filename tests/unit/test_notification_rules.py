"""Pure notification rules: session reminder timing, consent freshness, consent gating."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.notifications.consent import family_message_refusal
from services.notifications.freshness import heartbeat_is_fresh
from services.notifications.models import ClientRecord, FamilyContact
from services.notifications.reminder_timing import (
    TOO_LATE_AT_BOOKING,
    lands_after_start,
    session_reminder_time,
)
from shared.codes import reason_text


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# Jakarta is UTC+7; quiet hours 21:00-07:00 local are 14:00-00:00 UTC.
@pytest.mark.parametrize(
    ("starts_at", "booked_at", "expected", "reason"),
    [
        # session 10:00 local (03:00Z): reminder 03:00Z the day before, outside quiet hours
        ("2026-12-03 03:00", "2026-12-01 00:00", "2026-12-02 03:00", None),
        # session 08:00 local (01:00Z): reminder due 08:00 local the day before: fine
        ("2026-12-03 01:00", "2026-12-01 00:00", "2026-12-02 01:00", None),
        # session 06:00 local (23:00Z prev day): reminder due 06:00 local (quiet) -> 07:00 local
        ("2026-12-02 23:00", "2026-12-01 00:00", "2026-12-02 00:00", None),
        # session 22:00 local (15:00Z): reminder due 22:00 local the day before -> 07:00 local
        ("2026-12-03 15:00", "2026-12-01 00:00", "2026-12-03 00:00", None),
        # reminder exactly at quiet start (21:00 local = 14:00Z) is deferred to 07:00 next day
        ("2026-12-03 14:00", "2026-12-01 00:00", "2026-12-03 00:00", None),
        # reminder one minute before quiet start goes as is
        ("2026-12-03 13:59", "2026-12-01 00:00", "2026-12-02 13:59", None),
        # session at 07:30 local the morning after a reminder due at 07:30 local: fine
        ("2026-12-03 00:30", "2026-12-01 00:00", "2026-12-02 00:30", None),
    ],
)
def test_reminder_24h_before_out_of_quiet_hours(starts_at, booked_at, expected, reason):
    send_at, why = session_reminder_time(
        utc(starts_at), utc(booked_at), "Asia/Jakarta", "21:00", "07:00"
    )
    assert (send_at, why) == (utc(expected), reason)


@pytest.mark.parametrize(
    ("send_at", "starts_at", "too_late"),
    [
        ("2026-12-02 02:59", "2026-12-02 03:00", False),
        ("2026-12-02 03:00", "2026-12-02 03:00", True),
        ("2026-12-02 03:01", "2026-12-02 03:00", True),
    ],
)
def test_a_reminder_deferred_to_the_start_is_too_late(send_at, starts_at, too_late):
    assert lands_after_start(utc(send_at), utc(starts_at)) is too_late


@pytest.mark.parametrize("hours_ahead", [1, 23, 23.99])
def test_reminder_time_already_passed_at_booking(hours_ahead):
    booked = utc("2026-12-01 03:00")
    send_at, why = session_reminder_time(
        booked + timedelta(hours=hours_ahead), booked, "Asia/Jakarta", "00:00", "00:00"
    )
    assert (send_at, why) == (None, TOO_LATE_AT_BOOKING)
    assert reason_text(why) == "reminder time had already passed when the session was booked"


def test_reminder_booked_exactly_24h_ahead_goes_at_once():
    booked = utc("2026-12-01 03:00")
    assert session_reminder_time(
        booked + timedelta(hours=24), booked, "Asia/Jakarta", "00:00", "00:00"
    ) == (booked, None)


@pytest.mark.parametrize(
    ("age_seconds", "fresh"), [(None, False), (0, True), (299, True), (300, True), (301, False)]
)
def test_heartbeat_freshness(age_seconds, fresh):
    now = utc("2026-12-01 03:00")
    last = None if age_seconds is None else now - timedelta(seconds=age_seconds)
    assert heartbeat_is_fresh(last, now, 300) is fresh


def _client(consent: bool, share_progress: bool = False) -> ClientRecord:
    return ClientRecord(
        id="c",
        foundation="f",
        code="X",
        first_name="A",
        status="admitted",
        contact_family=consent,
        share_progress=share_progress,
    )


@pytest.mark.parametrize(
    ("client", "contact", "template", "refused", "reason"),
    [
        (_client(True), FamilyContact(id="k"), "family.welcome", None, None),
        (
            _client(False),
            FamilyContact(id="k"),
            "family.welcome",
            "consent_withdrawn",
            "consent to contact family withdrawn",
        ),
        (
            _client(True),
            None,
            "family.welcome",
            "contact_removed",
            "family contact removed or may not be contacted",
        ),
        (None, FamilyContact(id="k"), "family.welcome", "client_unknown", "client unknown"),
        (
            _client(True),
            FamilyContact(id="k"),
            "family.progress_update",
            "share_progress_withdrawn",
            "consent to share progress withdrawn",
        ),
        (
            _client(True, share_progress=True),
            FamilyContact(id="k"),
            "family.progress_update",
            None,
            None,
        ),
    ],
)
def test_consent_gating(client, contact, template, refused, reason):
    code = family_message_refusal(client, contact, template)
    assert code == refused
    assert (reason_text(code) if code else None) == reason
