"""Event payloads: strict on publish, tolerant on consume, personal fields encrypted."""

from __future__ import annotations

import copy
import datetime as dt
import json

import marshmallow as ma
import pytest
from cryptography.fernet import Fernet

from shared import crypto
from shared.events.catalogue import (
    CATALOGUE,
    UnknownEvent,
    decode_payload,
    encode_payload,
    is_ciphertext,
    map_personal,
    spec_for,
    subscribers_of,
)
from shared.settings import SERVICES

PERSONAL_STRINGS = [
    "Siti Rahmawati",
    "Budi Santoso",
    "+6281234567890",
    "budi@example.org",
    "Dewi Lestari",
    "+6285711112222",
]


@pytest.fixture(autouse=True)
def data_key(monkeypatch):
    monkeypatch.setattr(crypto, "_cipher", crypto._cipher)
    crypto.configure([Fernet.generate_key().decode()])


def client_state() -> dict:
    return {
        "id": "c-1",
        "code": "MP-2026-0007",
        "first_name": "Siti Rahmawati",
        "status": "registered",
        "case_worker_id": "s-1",
        "episode_id": None,
        "admitted_on": None,
        "consent": {"contact_family": True, "share_progress": False, "given_by": "client"},
        "family_contacts": [
            {
                "id": "f-1",
                "name": "Budi Santoso",
                "relationship": "father",
                "phone": "+6281234567890",
                "email": "budi@example.org",
                "channel": "whatsapp",
                "locale": "id",
            },
            {
                "id": "f-2",
                "name": "Dewi Lestari",
                "relationship": None,
                "phone": "+6285711112222",
                "email": None,
                "channel": "sms",
                "locale": "en",
            },
        ],
    }


CLIENT_EVENTS = ["client.registered", "client.updated", "consent.changed", "family_contact.saved"]


@pytest.mark.parametrize("event_type", CLIENT_EVENTS)
def test_personal_fields_are_encrypted_on_the_wire(event_type):
    data = client_state()
    wire = encode_payload(event_type, data)
    assert wire["first_name"] != data["first_name"]
    for sent, original in zip(wire["family_contacts"], data["family_contacts"], strict=True):
        assert sent["name"] != original["name"]
        assert sent["phone"] != original["phone"]
        if original["email"] is not None:
            assert sent["email"] != original["email"]
        else:
            assert sent["email"] is None
        assert sent["id"] == original["id"]
        assert sent["channel"] == original["channel"]
    assert wire["id"] == "c-1"
    assert wire["code"] == "MP-2026-0007"
    text = json.dumps(wire)
    for plaintext in PERSONAL_STRINGS:
        assert plaintext not in text
    assert crypto.cipher().decrypt(wire["first_name"]) == "Siti Rahmawati"


@pytest.mark.parametrize("event_type", CLIENT_EVENTS)
def test_decode_restores_the_payload(event_type):
    data = client_state()
    assert decode_payload(event_type, encode_payload(event_type, data)) == data


def test_dates_travel_as_iso_strings():
    data = client_state()
    data["admitted_on"] = "2026-03-01"
    wire = encode_payload("client.registered", data)
    assert wire["admitted_on"] == "2026-03-01"
    assert decode_payload("client.registered", wire)["admitted_on"] == dt.date(2026, 3, 1)


def test_encode_does_not_change_its_input():
    data = client_state()
    before = copy.deepcopy(data)
    encode_payload("client.registered", data)
    assert data == before


def _with_top_extra(d):
    d["nickname"] = "Sisi"


def _with_contact_extra(d):
    d["family_contacts"][0]["nickname"] = "Pak Budi"


def _with_consent_extra(d):
    d["consent"]["signed_at"] = "2026-03-01"


def _without_first_name(d):
    del d["first_name"]


def _without_contact_name(d):
    del d["family_contacts"][0]["name"]


def _bad_channel(d):
    d["family_contacts"][0]["channel"] = "pigeon"


def _bad_locale(d):
    d["family_contacts"][1]["locale"] = "fr"


@pytest.mark.parametrize(
    "mutate",
    [
        _with_top_extra,
        _with_contact_extra,
        _with_consent_extra,
        _without_first_name,
        _without_contact_name,
        _bad_channel,
        _bad_locale,
    ],
)
def test_encode_is_strict(mutate):
    data = client_state()
    mutate(data)
    with pytest.raises(ma.ValidationError):
        encode_payload("client.registered", data)


@pytest.mark.parametrize(
    ("top", "contact", "consent"),
    [
        ({"nickname": "x", "schema_version": 2}, {}, {}),
        ({}, {"nickname": "Pak Budi", "preferred_hour": 9}, {}),
        ({}, {}, {"signed_at": "2026-03-01"}),
        ({"nickname": "x"}, {"nickname": "Pak Budi"}, {"signed_at": "2026-03-01"}),
    ],
)
def test_decode_is_tolerant_and_drops_unknown_fields(top, contact, consent):
    data = client_state()
    wire = encode_payload("client.registered", data)
    wire.update(top)
    wire["family_contacts"][0].update(contact)
    wire["consent"].update(consent)
    decoded = decode_payload("client.registered", wire)
    assert decoded == data
    for key in top:
        assert key not in decoded
    for key in contact:
        assert key not in decoded["family_contacts"][0]
    for key in consent:
        assert key not in decoded["consent"]


def test_decode_with_another_key_fails():
    wire = encode_payload("client.registered", client_state())
    crypto.configure([Fernet.generate_key().decode()])
    with pytest.raises(crypto.DecryptionError):
        decode_payload("client.registered", wire)


@pytest.mark.parametrize(
    ("event_type", "data", "encrypted"),
    [
        (
            "staff.saved",
            {
                "id": "s-1",
                "name": "Rina Wulandari",
                "role": "counselor",
                "email": "rina@example.org",
                "phone": None,
                "active": True,
            },
            ["name", "email"],
        ),
        (
            "session.scheduled",
            {
                "id": "ses-1",
                "kind": "group",
                "client_ids": ["c-1", "c-2"],
                "starts_at": "2026-03-10T09:00:00+07:00",
                "duration_minutes": 60,
                "location": "Ruang Konseling 2",
                "title": "Group",
                "status": "scheduled",
                "facilitator_id": None,
            },
            ["location", "title"],
        ),
        (
            "foundation.saved",
            {
                "id": "fd-1",
                "slug": "yakita",
                "name": "Yakita",
                "timezone": "Asia/Jakarta",
                "locale": "id",
                "quiet_hours": {"start": "22:00", "end": "07:00"},
                "sender_name": "Yakita",
            },
            [],
        ),
    ],
)
def test_other_events_encrypt_only_personal_fields(event_type, data, encrypted):
    wire = encode_payload(event_type, data)
    for key, value in data.items():
        if key in encrypted:
            assert wire[key] != value
            assert crypto.cipher().decrypt(wire[key]) == value
        elif not key.endswith("_at"):
            assert wire[key] == value
    decoded = decode_payload(event_type, wire)
    for key in encrypted:
        assert decoded[key] == data[key]


def test_client_admitted_round_trip():
    data = client_state()
    data["status"] = "admitted"
    data["episode_id"] = "e-1"
    data["admitted_on"] = "2026-03-01"
    data["admission"] = {
        "episode_id": "e-1",
        "admitted_on": "2026-03-01",
        "admitted_at": "2026-03-01T09:30:00+07:00",
        "family_agreement": True,
    }
    wire = encode_payload("client.admitted", data)
    assert "Siti Rahmawati" not in json.dumps(wire)
    decoded = decode_payload("client.admitted", wire)
    assert decoded["first_name"] == "Siti Rahmawati"
    assert decoded["admission"]["admitted_at"] == dt.datetime(2026, 3, 1, 2, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize("event_type", ["client.nope", "", "CLIENT.REGISTERED"])
def test_unknown_event_types(event_type):
    with pytest.raises(UnknownEvent):
        spec_for(event_type)
    with pytest.raises(UnknownEvent):
        encode_payload(event_type, {})
    with pytest.raises(UnknownEvent):
        subscribers_of(event_type)


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_catalogue_entry_is_well_formed(name):
    spec = CATALOGUE[name]
    assert spec.name == name
    assert spec.producer in SERVICES
    assert spec.producer in ("intake", "assessment", "notifications")
    assert spec.producer not in spec.subscribers
    assert set(spec.subscribers) <= set(SERVICES)
    assert len(set(spec.subscribers)) == len(spec.subscribers)
    assert spec.version >= 1
    assert subscribers_of(name) == spec.subscribers
    assert issubclass(spec.schema, ma.Schema)


def _handled_event_types() -> dict[str, set[str]]:
    from services.assessment.handlers import EVENT_HANDLERS as ASSESSMENT
    from services.intake.handlers import EVENT_HANDLERS as INTAKE
    from services.notifications.handlers import EVENT_HANDLERS as NOTIFICATIONS

    tables = {"intake": INTAKE, "assessment": ASSESSMENT, "notifications": NOTIFICATIONS}
    return {service: set(table) for service, table in tables.items()}


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_is_subscribed_to_exactly_the_events_it_handles(service):
    """A subscription without a handler fills an inbox with "ignored" rows for nothing; a
    handler without a subscription never runs."""
    subscribed = {name for name, spec in CATALOGUE.items() if service in spec.subscribers}
    handled = _handled_event_types()[service]
    assert subscribed - handled == set(), "subscribed, but no handler"
    assert handled - subscribed == set(), "a handler, but not subscribed"
    assert all(CATALOGUE[name].producer != service for name in handled)


def session_state() -> dict:
    return {
        "id": "s-1",
        "kind": "family",
        "client_ids": ["c-1"],
        "starts_at": dt.datetime(2026, 12, 9, 3, 0, tzinfo=dt.UTC),
        "duration_minutes": 60,
        "location": "Rumah orang tua, Jalan Merdeka 57",
        "title": "Kunjungan rumah",
        "status": "scheduled",
        "facilitator_id": "sw-1",
    }


def test_a_title_written_in_clear_before_it_was_personal_reads_as_written():
    """An event queued across the upgrade that made ``title`` personal: its clear title is
    read as it is, not refused, and a key rotation leaves it so; its encrypted place is
    still decrypted and rotated."""
    wire = encode_payload("session.scheduled", session_state())
    wire["title"] = "Kunjungan rumah"
    assert decode_payload("session.scheduled", wire) == session_state()
    seen: list[str] = []
    mapped = map_personal("session.scheduled", wire, lambda v: seen.append(v) or "rotated")
    assert seen == [wire["location"]]
    assert (mapped["title"], mapped["location"]) == ("Kunjungan rumah", "rotated")
    assert is_ciphertext(wire["location"]) and not is_ciphertext("gAAAA is not a token")


def test_only_a_field_once_sent_in_clear_is_read_in_clear():
    """The place was always encrypted: a place in clear is no event this suite wrote."""
    wire = encode_payload("session.scheduled", session_state())
    wire["location"] = "Rumah orang tua"
    with pytest.raises(crypto.DecryptionError):
        decode_payload("session.scheduled", wire)


def test_a_garbled_token_is_still_refused():
    wire = encode_payload("session.scheduled", session_state())
    wire["title"] = wire["title"][:-8] + "AAAAAAAA"
    with pytest.raises(crypto.DecryptionError):
        decode_payload("session.scheduled", wire)
