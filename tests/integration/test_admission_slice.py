"""Admission travels intake → assessment and notifications over the real Redis queues."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.support.factories import admit, create_foundation, register_client

pytestmark = pytest.mark.integration


def test_admission_creates_due_assessment_and_one_welcome(suite):
    create_foundation(suite)
    client = register_client(suite)
    admit(suite, client["id"])
    suite.pump()

    headers = suite.headers()
    assessments = (
        suite.client("assessment")
        .get(f"/assessments?client_id={client['id']}", headers=headers)
        .get_json()
    )
    assert [a["status"] for a in assessments["items"]] == ["due"]

    view = suite.client("assessment").get(f"/clients/{client['id']}", headers=headers).get_json()
    assert view["status"] == "admitted" and view["assessment"]["status"] == "due"

    messages = (
        suite.client("notifications")
        .get(f"/messages?client_id={client['id']}", headers=headers)
        .get_json()
    )
    assert messages["total"] == 1
    (message,) = messages["items"]
    assert message["template"] == "family.welcome"
    assert message["status"] == "sent"
    assert message["recipient"]["name"] == "Siti"
    assert "Budi" in message["body"] and "Siti" in message["body"]


def test_redelivered_events_change_nothing(suite):
    create_foundation(suite)
    client = register_client(suite)
    admit(suite, client["id"])
    suite.flush_publishers()
    # Publish every event a second time, as a relay retry after a lost ack would.
    for service in ("intake", "assessment"):
        runtime = suite.runtime(service)
        with runtime.db.transaction() as session:
            session.execute(
                text("UPDATE outbox SET published_at = NULL, created_at = '2000-01-01'")
            )
        runtime.relay.relay_pending()
    suite.pump()

    headers = suite.headers()
    assert (
        suite.client("assessment")
        .get(f"/assessments?client_id={client['id']}", headers=headers)
        .get_json()["total"]
        == 1
    )
    assert (
        suite.client("notifications")
        .get(f"/messages?client_id={client['id']}", headers=headers)
        .get_json()["total"]
        == 1
    )


def test_welcome_goes_only_to_consenting_contactable_family(suite):
    create_foundation(suite)
    no_consent = register_client(suite, consent={"contact_family": False})
    barred = register_client(
        suite,
        family_contacts=[
            {
                "name": "Ayah",
                "relationship": "father",
                "phone": "081234567891",
                "channel": "sms",
                "may_contact": False,
            },
            {
                "name": "Kakak",
                "relationship": "sister",
                "email": "kakak@example.org",
                "channel": "email",
            },
        ],
    )
    admit(suite, no_consent["id"])
    admit(suite, barred["id"])
    suite.pump()
    headers = suite.headers()
    none = suite.client("notifications").get(
        f"/messages?client_id={no_consent['id']}", headers=headers
    )
    assert none.get_json()["total"] == 0
    only_sister = (
        suite.client("notifications")
        .get(f"/messages?client_id={barred['id']}", headers=headers)
        .get_json()
    )
    assert [m["recipient"]["name"] for m in only_sister["items"]] == ["Kakak"]


def test_admitting_an_admitted_client_is_a_conflict(suite):
    create_foundation(suite)
    client = register_client(suite)
    admit(suite, client["id"])
    again = suite.client("intake").post(
        f"/clients/{client['id']}/admission",
        json={"family_agreement": True},
        headers=suite.headers(),
    )
    assert again.status_code == 409
    assert again.mimetype == "application/problem+json"
