"""Every refusal of the assessment service names its stable code, says what it has always said
in English, and carries the client's status when its text names it: what the console reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared.vocabulary import Dimension, values
from tests.support.dates import foundation_today
from tests.support.factories import admit, create_foundation, register_client

pytestmark = pytest.mark.integration

UNKNOWN = "00000000-0000-0000-0000-000000000000"
DIMENSIONS = dict.fromkeys(values(Dimension), 1)


class Calls:
    def __init__(self, suite, role: str = "social_worker") -> None:
        self.http = suite.client("assessment")
        self.headers = suite.headers(role, "medan-plus")

    def __getattr__(self, method: str):
        def call(path: str, body: dict | None = None):
            return getattr(self.http, method)(path, json=body, headers=self.headers)

        return call


def problem(response, status: int, code: str, detail: str) -> dict:
    body = response.get_json()
    assert (response.status_code, body["code"], body["detail"]) == (status, code, detail), body
    return body


def field_problem(response, field: str, code: str, message: str) -> None:
    body = problem(response, 422, "validation_failed", "Some fields are not valid.")
    assert (body["errors"][field], body["error_codes"][field]) == ([message], [code]), body


@pytest.fixture
def world(suite):
    create_foundation(suite)
    admitted = register_client(suite)
    admit(suite, admitted["id"])
    registered = register_client(suite, full_name="Belum Masuk")
    suite.pump()
    calls = Calls(suite)
    program = Calls(suite, "admin").post(
        "/programs",
        {"name": "Rumah Damai", "kind": "residential", "capacity": 1, "duration_days": 90},
    )
    assert program.status_code == 201, program.get_json()
    return {
        "calls": calls,
        "admitted": admitted["id"],
        "registered": registered["id"],
        "program": program.get_json()["id"],
    }


def test_records_not_found_name_what_was_not_found(world):
    calls = world["calls"]
    problem(calls.get(f"/clients/{UNKNOWN}"), 404, "client_not_found", "No such client.")
    problem(
        calls.get(f"/assessments/{UNKNOWN}"), 404, "assessment_not_found", "No such assessment."
    )
    problem(
        calls.get(f"/sessions/{UNKNOWN}"),
        404,
        "session_not_found",
        "No such counsellingsession.",
    )
    problem(
        calls.put(f"/followups/{UNKNOWN}", {"outcome": "abstinent"}),
        404,
        "followup_not_found",
        "No such followup.",
    )
    problem(calls.patch(f"/goals/{UNKNOWN}", {"text": "x"}), 404, "goal_not_found", "No such goal.")


def test_assessment_refusals(world):
    calls, client = world["calls"], world["admitted"]
    (due,) = calls.get(f"/assessments?client_id={client}&status=due").get_json()["items"]
    problem(
        calls.post("/assessments", {"client_id": client}),
        409,
        "assessment_already_due",
        "An assessment is already due for this episode.",
    )
    body = problem(
        calls.post("/assessments", {"client_id": world["registered"]}),
        409,
        "client_not_in_care",
        "The client is registered; only clients in care are reassessed.",
    )
    assert body["client_status"] == "registered"
    field_problem(
        calls.post("/assessments", {"client_id": UNKNOWN}),
        "client_id",
        "record_not_in_foundation",
        "No such record in this foundation.",
    )
    field_problem(
        calls.put(
            f"/assessments/{due['id']}", {"dimensions": DIMENSIONS, "level_override": "residential"}
        ),
        "override_reason",
        "override_reason_required",
        "An override needs a reason.",
    )
    field_problem(
        calls.put(f"/assessments/{due['id']}", {"dimensions": DIMENSIONS, "override_reason": "x"}),
        "override_reason",
        "override_reason_without_override",
        "Give a reason only with an override.",
    )
    assert calls.put(f"/assessments/{due['id']}", {"dimensions": DIMENSIONS}).status_code == 200
    problem(
        calls.put(f"/assessments/{due['id']}", {"dimensions": DIMENSIONS}),
        409,
        "assessment_completed",
        "This assessment is completed; request a reassessment instead.",
    )
    again = calls.post("/assessments", {"client_id": client}).get_json()
    today = foundation_today().isoformat()
    discharged = calls.post(
        f"/clients/{client}/discharge", {"reason": "dropped_out", "discharged_on": today}
    )
    assert discharged.status_code == 200, discharged.get_json()
    problem(
        calls.put(f"/assessments/{again['id']}", {"dimensions": DIMENSIONS}),
        409,
        "assessment_closed",
        "This assessment was closed when the client was discharged.",
    )


def test_placement_refusals(suite, world):
    calls, client, program = world["calls"], world["admitted"], world["program"]
    today = foundation_today()
    body = {"client_id": client, "program_id": program, "start_on": today.isoformat()}
    field_problem(
        calls.post("/placements", dict(body, start_on=(today - timedelta(days=1)).isoformat())),
        "start_on",
        "start_before_admission",
        f"May not be before admission ({today.isoformat()}).",
    )
    field_problem(
        calls.post("/placements", dict(body, program_id=UNKNOWN)),
        "program_id",
        "record_not_in_foundation",
        "No such record in this foundation.",
    )
    body_registered = dict(body, client_id=world["registered"])
    refused = problem(
        calls.post("/placements", body_registered),
        409,
        "client_not_admitted",
        "The client is registered; only admitted clients are placed.",
    )
    assert refused["client_status"] == "registered"
    assert calls.post("/placements", body).status_code == 201
    problem(
        calls.post("/placements", body),
        409,
        "already_placed",
        "The client already has an active placement.",
    )
    other = register_client(suite, full_name="Rudi")
    admit(suite, other["id"])
    suite.pump()
    problem(
        calls.post("/placements", dict(body, client_id=other["id"])),
        409,
        "programme_full",
        "The programme is at capacity.",
    )


def test_session_refusals(world):
    calls, client = world["calls"], world["admitted"]
    soon = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    past = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    session = {"kind": "group", "client_ids": [client], "starts_at": soon, "duration_minutes": 60}
    field_problem(
        calls.post("/sessions", dict(session, client_ids=[client, UNKNOWN])),
        "client_ids.1",
        "client_unknown_here",
        "No such client in this foundation.",
    )
    field_problem(
        calls.post("/sessions", dict(session, kind="individual", client_ids=[client, UNKNOWN])),
        "client_ids",
        "individual_session_one_client",
        "An individual session has one client.",
    )
    future = calls.post("/sessions", session).get_json()["id"]
    field_problem(
        calls.patch(f"/sessions/{future}", {}),
        "_body",
        "nothing_to_change",
        "Send at least one field to change.",
    )
    problem(
        calls.post(f"/sessions/{future}/attendance", {"client_id": client, "status": "attended"}),
        409,
        "attendance_before_start",
        "Attendance is recorded once the session has started.",
    )
    started = calls.post("/sessions", dict(session, starts_at=past)).get_json()["id"]
    problem(
        calls.patch(f"/sessions/{started}", {"duration_minutes": 30}),
        409,
        "session_started",
        "The session has already started.",
    )
    field_problem(
        calls.post(f"/sessions/{started}/attendance", {"client_id": UNKNOWN, "status": "absent"}),
        "client_id",
        "client_not_in_session",
        "This client is not in the session.",
    )
    field_problem(
        calls.post(
            f"/sessions/{started}/attendance",
            {"client_id": client, "status": "attended", "family_attended": True},
        ),
        "family_attended",
        "family_sessions_only",
        "Only for family sessions.",
    )
    assert calls.post(f"/sessions/{future}/cancel").status_code == 200
    problem(
        calls.post(f"/sessions/{future}/cancel"),
        409,
        "session_cancelled",
        "The session is cancelled.",
    )


def test_discharge_and_report_refusals(world):
    calls, client = world["calls"], world["admitted"]
    today = foundation_today()
    path = f"/clients/{client}/discharge"
    field_problem(
        calls.post(
            path,
            {"reason": "completed", "discharged_on": (today + timedelta(days=2)).isoformat()},
        ),
        "discharged_on",
        "date_in_future",
        "May not be in the future.",
    )
    field_problem(
        calls.post(
            path,
            {"reason": "completed", "discharged_on": (today - timedelta(days=1)).isoformat()},
        ),
        "discharged_on",
        "before_admission",
        "May not be before admission.",
    )
    body = problem(
        calls.post(
            f"/clients/{world['registered']}/discharge",
            {"reason": "completed", "discharged_on": today.isoformat()},
        ),
        409,
        "client_not_dischargeable",
        "The client is registered; only admitted or placed clients are discharged.",
    )
    assert body["client_status"] == "registered"
    field_problem(
        calls.get("/reports/obstacles?from=2026-02-02&to=2026-02-01"),
        "to",
        "before_from",
        "Must not be before 'from'.",
    )
