"""Outreach as a case worker records it: who may, what it shows, what it never changes, and
the refusals (another foundation's client, bad bodies) that change nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from services.assessment.outreach import latest_outreach
from shared.vocabulary import OutreachOutcome
from tests.support.dates import foundation_today
from tests.support.factories import admit, create_foundation, register_client

pytestmark = pytest.mark.integration

UNKNOWN = "00000000-0000-0000-0000-000000000000"


@pytest.fixture
def admitted(suite):
    create_foundation(suite)
    client = register_client(suite)
    admit(suite, client["id"])
    suite.pump()
    return client["id"]


def calls(suite, role="social_worker", foundation="medan-plus"):
    http = suite.client("assessment")
    headers = suite.headers(role, foundation)

    class Calls:
        def get(self, path):
            return http.get(path, headers=headers)

        def post(self, path, body):
            return http.post(path, json=body, headers=headers)

        def raw(self, path, data):
            return http.post(
                path, data=data, headers={**headers, "Content-Type": "application/json"}
            )

    return Calls()


def outreach_of(suite, client_id):
    return calls(suite).get(f"/clients/{client_id}/outreach").get_json()


def test_outreach_is_recorded_and_listed_newest_first(suite, admitted):
    worker = calls(suite)
    first = worker.post(
        f"/clients/{admitted}/outreach",
        {"method": "phone", "outcome": "not_reached", "notes": "  Tidak diangkat.  "},
    )
    assert first.status_code == 201, first.get_json()
    body = first.get_json()
    assert body == {
        "id": body["id"],
        "client_id": admitted,
        "method": "phone",
        "outcome": "not_reached",
        "notes": "Tidak diangkat.",
        "recorded_by": "staff-1",
        "recorded_at": body["recorded_at"],
    }
    assert datetime.fromisoformat(body["recorded_at"]).utcoffset() is not None
    second = calls(suite, "counselor").post(
        f"/clients/{admitted}/outreach", {"method": "visit", "outcome": "reached"}
    )
    assert second.status_code == 201 and second.get_json()["notes"] is None
    third = calls(suite, "admin").post(
        f"/clients/{admitted}/outreach", {"method": "family", "outcome": "returned", "notes": None}
    )
    assert third.status_code == 201

    listed = calls(suite, "viewer").get(f"/clients/{admitted}/outreach")
    assert listed.status_code == 200
    page = listed.get_json()
    assert (page["page"], page["per_page"], page["total"]) == (1, 50, 3)
    assert [o["id"] for o in page["items"]] == [
        third.get_json()["id"],
        second.get_json()["id"],
        body["id"],
    ]
    paged = worker.get(f"/clients/{admitted}/outreach?page=2&per_page=2").get_json()
    assert [o["id"] for o in paged["items"]] == [body["id"]] and paged["total"] == 3


def test_notes_are_encrypted_at_rest(suite, admitted):
    calls(suite).post(
        f"/clients/{admitted}/outreach",
        {"method": "message", "outcome": "declined", "notes": "Ibu bilang dia di Binjai."},
    )
    with suite.runtime("assessment").db.transaction() as db:
        stored = db.execute(text("SELECT notes FROM outreach")).scalar()
    assert stored and "Binjai" not in stored


def test_outreach_never_changes_the_clients_status(suite, admitted):
    worker = calls(suite)
    for outcome in ("reached", "not_reached", "returned", "declined"):
        recorded = worker.post(
            f"/clients/{admitted}/outreach", {"method": "phone", "outcome": outcome}
        )
        assert recorded.status_code == 201, outcome
        view = worker.get(f"/clients/{admitted}").get_json()
        assert view["status"] == "admitted", outcome
        assert [e["status"] for e in view["episodes"]] == ["admitted"], outcome


def test_a_discharged_client_may_be_reached_and_stays_discharged(suite, admitted):
    worker = calls(suite)
    discharged = worker.post(
        f"/clients/{admitted}/discharge",
        {"reason": "dropped_out", "discharged_on": foundation_today().isoformat()},
    )
    assert discharged.status_code == 200
    returned = worker.post(
        f"/clients/{admitted}/outreach", {"method": "visit", "outcome": "returned"}
    )
    assert returned.status_code == 201
    assert worker.get(f"/clients/{admitted}").get_json()["status"] == "discharged"


def test_viewers_read_but_do_not_record(suite, admitted):
    viewer = calls(suite, "viewer")
    refused = viewer.post(
        f"/clients/{admitted}/outreach", {"method": "phone", "outcome": "reached"}
    )
    assert refused.status_code == 403 and refused.get_json()["code"] == "role_forbidden"
    assert viewer.get(f"/clients/{admitted}/outreach").get_json()["total"] == 0


@pytest.mark.parametrize("client_id", [UNKNOWN, "nope", "x" * 300])
def test_an_unknown_client_is_404(suite, admitted, client_id):
    worker = calls(suite)
    for response in (
        worker.get(f"/clients/{client_id}/outreach"),
        worker.post(f"/clients/{client_id}/outreach", {"method": "phone", "outcome": "reached"}),
    ):
        assert response.status_code == 404, response.get_json()
        assert response.get_json()["code"] == "client_not_found"


def test_another_foundations_client_does_not_exist(suite, admitted):
    calls(suite).post(
        f"/clients/{admitted}/outreach", {"method": "phone", "outcome": "reached", "notes": "Ok."}
    )
    other = calls(suite, "admin", foundation="yakita")
    for response in (
        other.get(f"/clients/{admitted}/outreach"),
        other.post(f"/clients/{admitted}/outreach", {"method": "visit", "outcome": "returned"}),
    ):
        assert response.status_code == 404 and response.get_json()["code"] == "client_not_found"
    assert outreach_of(suite, admitted)["total"] == 1


BAD_BODIES = [
    ({}, "method", "required"),
    ({"method": "phone"}, "outcome", "required"),
    ({"method": "email", "outcome": "reached"}, "method", "not_one_of"),
    ({"method": "phone", "outcome": "discharged"}, "outcome", "not_one_of"),
    ({"method": None, "outcome": "reached"}, "method", "null"),
    ({"method": 1, "outcome": "reached"}, "method", "invalid_string"),
    ({"method": ["phone"], "outcome": "reached"}, "method", "invalid_string"),
    ({"method": "phone", "outcome": "reached", "notes": "x" * 2001}, "notes", "too_long"),
    ({"method": "phone", "outcome": "reached", "notes": "   "}, "notes", "blank"),
    ({"method": "phone", "outcome": "reached", "notes": 5}, "notes", "invalid_string"),
    ({"method": "phone", "outcome": "reached", "notes": {"a": 1}}, "notes", "invalid_string"),
    ({"method": "phone", "outcome": "reached", "status": "discharged"}, "status", None),
]


def test_bad_bodies_name_the_field_and_change_nothing(suite, admitted):
    for body, field, code in BAD_BODIES:
        response = calls(suite).post(f"/clients/{admitted}/outreach", body)
        problem = response.get_json()
        assert response.status_code == 422 and field in problem["errors"], (body, problem)
        assert problem["code"] == "validation_failed" and field in problem["error_codes"]
        if code:
            assert problem["error_codes"][field] == [code], (body, problem)
    assert outreach_of(suite, admitted)["total"] == 0


def test_bodies_of_any_json_type_are_refused_not_crashed(suite, admitted):
    for raw in ("[]", '"phone"', "42", "null", "true", "{", ""):
        response = calls(suite).raw(f"/clients/{admitted}/outreach", raw)
        assert response.status_code in (400, 422), (raw, response.get_data(as_text=True))
        assert response.get_json()["code"] in ("malformed_json", "validation_failed"), raw
    assert outreach_of(suite, admitted)["total"] == 0


def test_notes_of_the_longest_length_are_kept(suite, admitted):
    notes = "a" * 2000
    response = calls(suite).post(
        f"/clients/{admitted}/outreach", {"method": "phone", "outcome": "reached", "notes": notes}
    )
    assert response.status_code == 201 and response.get_json()["notes"] == notes


def test_latest_outreach_since_a_moment(suite, admitted):
    worker = calls(suite)
    ids = {}
    for outcome in ("reached", "not_reached", "returned", "declined"):
        response = worker.post(
            f"/clients/{admitted}/outreach", {"method": "phone", "outcome": outcome}
        )
        ids[outcome] = response.get_json()["id"]
    now = datetime.now(UTC)
    # reached 10 days ago, returned 2 days ago; the others today
    with suite.runtime("assessment").db.transaction() as db:
        for outcome, days_ago in (("reached", 10), ("returned", 2)):
            db.execute(
                text("UPDATE outreach SET recorded_at = :at WHERE id = :id"),
                {"at": now - timedelta(days=days_ago), "id": ids[outcome]},
            )
    with suite.runtime("assessment").db.transaction() as db:

        def latest(since, **kwargs):
            found = latest_outreach(db, "medan-plus", admitted, since, **kwargs)
            return found and found.id

        assert latest(now - timedelta(days=30)) == ids["returned"]
        assert latest(now - timedelta(days=1)) is None  # only not_reached and declined since
        assert (
            latest(now - timedelta(days=30), outcomes=[OutreachOutcome.REACHED]) == ids["reached"]
        )
        assert latest(now - timedelta(days=1), outcomes=["declined"]) == ids["declined"]
        assert latest_outreach(db, "yakita", admitted, now - timedelta(days=30)) is None
