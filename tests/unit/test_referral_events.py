"""What crosses between services about referrals: ``referral.changed`` and
``care_summary.changed`` carry no personal value and are strict on publish; the case
worker's reminder reads in both languages."""

from __future__ import annotations

import datetime as dt
import json

import marshmallow as ma
import pytest
from cryptography.fernet import Fernet

from services.notifications.templates import DEFAULTS, render
from shared import crypto
from shared.events.catalogue import decode_payload, encode_payload, spec_for


@pytest.fixture(autouse=True)
def data_key(monkeypatch):
    monkeypatch.setattr(crypto, "_cipher", crypto._cipher)
    crypto.configure([Fernet.generate_key().decode()])


def referral() -> dict:
    return {
        "referral_id": "r-1",
        "client_id": "c-1",
        "client_code": "MP-2026-0007",
        "case_worker_id": "s-1",
        "partner_id": "p-1",
        "partner_name": "Bengkel Motor Sejahtera",
        "status": "pending",
        "share": ["identity", "plan"],
        "created_at": "2026-12-01T09:30:00+07:00",
        "remind_at": "2026-12-08T09:30:00+07:00",
        "to_foundation": None,
        "received_client_id": None,
    }


def care() -> dict:
    return {
        "client_id": "c-1",
        "attended": 4,
        "absent": 1,
        "excused": 2,
        "last_attended_on": "2026-12-07",
        "placement": {"program_name": "Rawat Inap", "start_on": "2026-11-02", "end_on": None},
        "followups": [
            {"due_on": "2027-01-06", "offset_days": 30, "outcome": "abstinent", "recorded_on": None}
        ],
        "as_of": "2026-12-08T10:00:00+07:00",
    }


@pytest.mark.parametrize(
    ("event_type", "data", "subscribers"),
    [
        ("referral.changed", referral(), ("assessment", "notifications")),
        ("care_summary.changed", care(), ("intake",)),
    ],
)
def test_the_events_travel_whole_with_nothing_to_encrypt(event_type, data, subscribers):
    assert spec_for(event_type).subscribers == subscribers
    wire = encode_payload(event_type, data)
    # no personal field: every value travels as given (the reason and notes stay in intake)
    assert wire == json.loads(json.dumps(wire)) and wire["client_id"] == "c-1"
    if event_type == "referral.changed":
        assert wire["partner_name"] == "Bengkel Motor Sejahtera"
        assert wire["share"] == ["identity", "plan"]
    else:
        assert (wire["attended"], wire["absent"], wire["excused"]) == (4, 1, 2)
    decoded = decode_payload(event_type, wire)
    assert set(decoded) == set(data)


def test_a_referral_event_knows_its_statuses_and_parts():
    decoded = decode_payload("referral.changed", encode_payload("referral.changed", referral()))
    assert decoded["remind_at"] == dt.datetime(2026, 12, 8, 2, 30, tzinfo=dt.UTC)
    for field, value in (("status", "lost"), ("share", ["diary"])):
        with pytest.raises(ma.ValidationError):
            encode_payload("referral.changed", {**referral(), field: value})
    with pytest.raises(ma.ValidationError):
        encode_payload("referral.changed", {**referral(), "reason": "Pelatihan kerja"})


def test_a_care_summary_holds_counts_dates_and_outcomes_only():
    with pytest.raises(ma.ValidationError):
        encode_payload("care_summary.changed", {**care(), "notes": ["Mengaku masih memakai"]})
    bad = care()
    bad["followups"][0]["outcome"] = "cured"
    with pytest.raises(ma.ValidationError):
        encode_payload("care_summary.changed", bad)
    decoded = decode_payload("care_summary.changed", encode_payload("care_summary.changed", care()))
    assert decoded["placement"]["start_on"] == dt.date(2026, 11, 2)


@pytest.mark.parametrize(
    ("locale", "words"),
    [("id", ("belum dijawab", "1 Desember 2026")), ("en", ("no answer", "1 December 2026"))],
)
def test_the_reminder_names_the_client_code_the_partner_and_the_day(locale, words):
    body = render(
        DEFAULTS["staff.referral_pending"][locale],
        {
            "client_code": "MP-2026-0007",
            "partner_name": "Bengkel Motor Sejahtera",
            "referred_at": dt.datetime(2026, 12, 1, 2, 30, tzinfo=dt.UTC),
        },
        locale,
        "Asia/Jakarta",
    )
    assert "MP-2026-0007" in body and "Bengkel Motor Sejahtera" in body
    for word in words:
        assert word in body
