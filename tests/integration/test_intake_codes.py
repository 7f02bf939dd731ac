"""Intake's refusals as the console reads them: a stable code per refusal and per field
error (the English words unchanged beside it), and the members a text is filled from."""

from __future__ import annotations

import pytest

from tests.support.factories import admit, create_foundation, register_client

pytestmark = pytest.mark.integration

NIK = "3271046504930002"


@pytest.fixture
def foundation(suite):
    return create_foundation(suite)


def _problem(response, status: int, code: str) -> dict:
    body = response.get_json()
    assert response.status_code == status, body
    assert response.mimetype == "application/problem+json"
    assert body["code"] == code, body
    return body


def test_each_refusal_names_its_code(suite, foundation):
    http = suite.client("intake")
    first = register_client(suite, nik=NIK)
    again = http.post("/clients", headers=suite.headers(), json={"full_name": "X", "nik": NIK})
    taken = _problem(again, 409, "nik_taken")
    assert taken["detail"] == "A client with this NIK exists."
    assert taken["existing_client_id"] == first["id"]

    unknown = http.get("/clients/no-such-id", headers=suite.headers())
    assert _problem(unknown, 404, "client_not_found")["detail"] == "No such client."
    contact = http.patch(
        f"/clients/{first['id']}/family-contacts/no-such-id",
        headers=suite.headers(),
        json={"name": "Siti"},
    )
    assert _problem(contact, 404, "family_contact_not_found")["detail"] == (
        "No such family contact."
    )
    staff = http.patch("/staff/no-such-id", headers=suite.headers("admin"), json={"name": "A"})
    assert _problem(staff, 404, "staff_not_found")["detail"] == "No such staff member."
    other = http.get("/foundations/yakita", headers=suite.headers())
    assert _problem(other, 404, "foundation_not_found")["detail"] == "No such foundation."

    slug = http.post(
        "/foundations",
        headers=suite.headers("operator"),
        json={"slug": "medan-plus", "name": "Again"},
    )
    slug_taken = _problem(slug, 409, "foundation_slug_taken")
    assert slug_taken["detail"] == "A foundation with slug 'medan-plus' exists."
    assert slug_taken["foundation_slug"] == "medan-plus"

    admit(suite, first["id"])
    twice = http.post(
        f"/clients/{first['id']}/admission",
        headers=suite.headers(),
        json={"family_agreement": True},
    )
    admitted = _problem(twice, 409, "client_already_admitted")
    assert admitted["detail"] == "The client is admitted; discharge them before readmitting."
    assert admitted["client_status"] == admitted["status_now"] == "admitted"


def test_a_client_has_at_most_twenty_family_contacts(suite, foundation):
    contact = {"name": "Siti", "relationship": "sister", "email": "s@example.org"}
    client = register_client(suite, family_contacts=[dict(contact, channel="email")] * 20)
    more = suite.client("intake").post(
        f"/clients/{client['id']}/family-contacts",
        headers=suite.headers(),
        json=dict(contact, channel="email"),
    )
    refused = _problem(more, 409, "too_many_family_contacts")
    assert refused["detail"] == "A client has at most 20 family contacts."
    assert refused["limit"] == 20


def test_each_field_error_names_its_code_beside_its_message(suite, foundation):
    http = suite.client("intake")
    body = {
        "full_name": "Andi",
        "nik": "1234",
        "phone": "abc",
        "date_of_birth": "2999-01-01",
        "family_contacts": [{"name": "Rosmawati", "relationship": "mother", "channel": "sms"}],
        "consent": {"contact_family": True, "given_by": "guardian"},
    }
    refused = _problem(
        http.post("/clients", headers=suite.headers(), json=body), 422, "validation_failed"
    )
    assert refused["error_codes"] == {
        "nik": ["nik_format"],
        "phone": ["not_a_phone_number"],
        "date_of_birth": ["not_a_past_date"],
        "family_contacts.0.phone": ["phone_required_for_channel"],
        "consent.guardian_name": ["guardian_name_required"],
    }
    assert refused["errors"]["family_contacts.0.phone"] == ["A phone is needed for sms."]
    assert refused["errors"]["nik"] == ["A NIK is exactly 16 digits."]

    slug = http.post(
        "/foundations", headers=suite.headers("operator"), json={"slug": "Bad Slug", "name": "X"}
    )
    assert _problem(slug, 422, "validation_failed")["error_codes"] == {"slug": ["slug_format"]}
    period = http.get("/reports/ipwl?from=2026-02-01&to=2026-01-01", headers=suite.headers("admin"))
    assert _problem(period, 422, "validation_failed")["error_codes"] == {"to": ["before_from"]}

    client = register_client(suite)
    empty = http.patch(f"/clients/{client['id']}", headers=suite.headers(), json={})
    assert _problem(empty, 422, "validation_failed")["error_codes"] == {
        "_body": ["nothing_to_change"]
    }
    future = http.post(
        f"/clients/{client['id']}/admission",
        headers=suite.headers(),
        json={"family_agreement": True, "admitted_on": "2199-01-01"},
    )
    assert _problem(future, 422, "validation_failed")["error_codes"] == {
        "admitted_on": ["date_in_future"]
    }
    screening = http.post(
        f"/clients/{client['id']}/screenings",
        headers=suite.headers(),
        json={"instrument": "ASSIST", "answers": {"alcohol": {"q2": "never", "q3": "weekly"}}},
    )
    answered = _problem(screening, 422, "validation_failed")
    assert answered["error_codes"] == {"answers.alcohol.q3": ["assist_answered_though_not_used"]}
    assert answered["errors"]["answers.alcohol.q3"] == [
        "Answered 'weekly' although alcohol was not used (q2 never)."
    ]
