"""Assessment as a social worker uses it: assessment, level of care, programmes, placement
(capacity under concurrency), sessions, notes, discharge, follow-ups and reports."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from tests.support.dates import foundation_today
from tests.support.factories import admit, create_foundation, register_client

pytestmark = pytest.mark.integration

DIMENSIONS = {
    "withdrawal": 1,
    "biomedical": 1,
    "emotional_behavioral": 2,
    "readiness_to_change": 2,
    "relapse_potential": 2,
    "recovery_environment": 1,
}


@pytest.fixture
def admitted(suite):
    create_foundation(suite)
    client = register_client(suite)
    admit(suite, client["id"])
    suite.pump()
    return client


def api(suite, role="social_worker", foundation="medan-plus"):
    http = suite.client("assessment")
    headers = suite.headers(role, foundation)

    class Calls:
        def get(self, path):
            return http.get(path, headers=headers)

        def post(self, path, body=None):
            return http.post(path, json=body if body is not None else {}, headers=headers)

        def put(self, path, body):
            return http.put(path, json=body, headers=headers)

        def patch(self, path, body):
            return http.patch(path, json=body, headers=headers)

    return Calls()


def create_program(suite, capacity=10, name="Rehabilitasi Sosial"):
    response = api(suite, "admin").post(
        "/programs",
        {"name": name, "kind": "residential", "capacity": capacity, "duration_days": 180},
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def due_assessment(suite, client_id):
    (assessment,) = (
        api(suite).get(f"/assessments?client_id={client_id}&status=due").get_json()["items"]
    )
    return assessment


def test_complete_assessment_recommends_a_level_and_keeps_history(suite, admitted):
    calls = api(suite)
    assessment = due_assessment(suite, admitted["id"])
    assert assessment["due_at"] > datetime.now(UTC).isoformat()
    done = calls.put(
        f"/assessments/{assessment['id']}",
        {
            "dimensions": DIMENSIONS,
            "strengths": ["supportive mother", "wants to work"],
            "limitations": ["unemployed"],
            "family_background": "lives with parents",
        },
    )
    assert done.status_code == 200, done.get_json()
    body = done.get_json()
    assert (body["status"], body["recommended_level"], body["level"]) == (
        "completed",
        "intensive_outpatient",
        "intensive_outpatient",
    )
    assert body["findings"]["strengths"] == ["supportive mother", "wants to work"]
    assert (
        calls.put(f"/assessments/{assessment['id']}", {"dimensions": DIMENSIONS}).status_code == 409
    )

    re = calls.post("/assessments", {"client_id": admitted["id"]})
    assert re.status_code == 201 and re.get_json()["sequence_no"] == 2
    overridden = calls.put(
        f"/assessments/{re.get_json()['id']}",
        {
            "dimensions": DIMENSIONS,
            "level_override": "residential",
            "override_reason": "relapse risk at home",
        },
    )
    assert overridden.get_json()["level"] == "residential"
    assert overridden.get_json()["recommended_level"] == "intensive_outpatient"
    history = calls.get(f"/assessments?client_id={admitted['id']}").get_json()
    assert history["total"] == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"dimensions": {**DIMENSIONS, "withdrawal": 5}}, "dimensions.withdrawal"),
        ({"dimensions": {**DIMENSIONS, "biomedical": "2"}}, "dimensions.biomedical"),
        (
            {"dimensions": {k: v for k, v in DIMENSIONS.items() if k != "relapse_potential"}},
            "dimensions.relapse_potential",
        ),
        ({"dimensions": DIMENSIONS, "level_override": "residential"}, "override_reason"),
        ({"dimensions": DIMENSIONS, "level_override": "spa"}, "level_override"),
        ({"dimensions": DIMENSIONS, "strengths": "brave"}, "strengths"),
    ],
)
def test_bad_assessments_are_422_and_change_nothing(suite, admitted, body, field):
    assessment = due_assessment(suite, admitted["id"])
    response = api(suite).put(f"/assessments/{assessment['id']}", body)
    assert response.status_code == 422 and field in response.get_json()["errors"], (
        response.get_json()
    )
    assert api(suite).get(f"/assessments/{assessment['id']}").get_json()["status"] == "due"


def test_placement_rules(suite, admitted):
    calls = api(suite)
    program = create_program(suite, capacity=1)
    assert (
        calls.post(
            "/programs", {"name": "x", "kind": "outpatient", "capacity": 1, "duration_days": 1}
        ).status_code
        == 403
    )
    body = {
        "client_id": admitted["id"],
        "program_id": program["id"],
        "start_on": foundation_today().isoformat(),
    }
    placed = calls.post("/placements", body)
    assert placed.status_code == 201, placed.get_json()
    assert calls.get(f"/clients/{admitted['id']}").get_json()["status"] == "placed"
    assert calls.post("/placements", body).status_code == 409  # already placed
    other = register_client(suite, full_name="Rudi")
    admit(suite, other["id"])
    suite.pump()
    full = calls.post("/placements", dict(body, client_id=other["id"]))
    assert full.status_code == 409 and "capacity" in full.get_json()["detail"]
    (listed,) = calls.get("/programs").get_json()["items"]
    assert (listed["occupied"], listed["available"]) == (1, 0)
    registered = register_client(suite, full_name="Belum Masuk")
    suite.pump()
    second = create_program(suite, name="Rawat Jalan")
    not_admitted = calls.post(
        "/placements", dict(body, client_id=registered["id"], program_id=second["id"])
    )
    assert not_admitted.status_code == 409
    for field, value in (
        ("client_id", "00000000-0000-0000-0000-000000000000"),
        ("program_id", "nope"),
    ):
        response = calls.post("/placements", dict(body, **{field: value}))
        assert response.status_code == 422 and field in response.get_json()["errors"]
    # intake mirrors the treatment status from assessment's event
    suite.pump()
    assert (
        suite.client("intake")
        .get(f"/clients/{admitted['id']}", headers=suite.headers())
        .get_json()["status"]
        == "placed"
    )


@pytest.mark.postgres
def test_two_placements_racing_for_the_last_bed(suite, settings):
    if not settings.database_url("assessment").startswith("postgresql"):
        pytest.skip("SQLite serialises writers: the race needs PostgreSQL")
    create_foundation(suite)
    clients = []
    for name in ("Satu", "Dua"):
        client = register_client(suite, full_name=name)
        admit(suite, client["id"])
        clients.append(client)
    suite.pump()
    for attempt in range(5):
        program = create_program(suite, capacity=1, name=f"Last bed {attempt}")
        barrier = threading.Barrier(2)
        statuses = []

        def place(client_id, program=program, barrier=barrier, statuses=statuses):
            http = suite.assessment.test_client()
            barrier.wait()
            response = http.post(
                "/placements",
                headers=suite.headers(),
                json={
                    "client_id": client_id,
                    "program_id": program["id"],
                    "start_on": foundation_today().isoformat(),
                },
            )
            statuses.append(response.status_code)

        threads = [threading.Thread(target=place, args=(c["id"],)) for c in clients]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert sorted(statuses) == [201, 409], statuses
        (winner,) = [
            p
            for p in api(suite).get("/placements").get_json()["items"]
            if p["program_id"] == program["id"]
        ]
        # free both clients for the next round
        runtime = suite.runtime("assessment")
        with runtime.db.transaction() as db:
            from services.assessment.models import ClientView, Placement

            db.query(Placement).filter(Placement.id == winner["id"]).update({"active": False})
            db.query(ClientView).filter(ClientView.id.in_([c["id"] for c in clients])).update(
                {"status": "admitted"}
            )


def test_sessions_notes_goals(suite, admitted):
    calls = api(suite)
    starts = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
    session = calls.post(
        "/sessions",
        {
            "kind": "family",
            "client_ids": [admitted["id"]],
            "starts_at": starts.isoformat(),
            "duration_minutes": 60,
            "location": "Ruang konseling 2",
            "title": "Konseling keluarga",
        },
    )
    assert session.status_code == 201, session.get_json()
    session_id = session.get_json()["id"]
    moved = calls.patch(
        f"/sessions/{session_id}", {"starts_at": (starts + timedelta(hours=2)).isoformat()}
    )
    assert moved.status_code == 200
    too_early = calls.post(
        f"/sessions/{session_id}/attendance", {"client_id": admitted["id"], "status": "attended"}
    )
    assert too_early.status_code == 409
    assert calls.post(f"/sessions/{session_id}/cancel").get_json()["status"] == "cancelled"
    assert calls.patch(f"/sessions/{session_id}", {"duration_minutes": 30}).status_code == 409

    past = calls.post(
        "/sessions",
        {
            "kind": "group",
            "client_ids": [admitted["id"]],
            "starts_at": (datetime.now(UTC) - timedelta(hours=1)).isoformat(),
            "duration_minutes": 90,
        },
    )
    attended = calls.post(
        f"/sessions/{past.get_json()['id']}/attendance",
        {"client_id": admitted["id"], "status": "attended"},
    )
    assert attended.get_json()["participants"][0]["attendance"] == "attended"

    for body, field in (
        (
            {
                "kind": "group",
                "client_ids": ["nope"],
                "starts_at": starts.isoformat(),
                "duration_minutes": 60,
            },
            "client_ids.0",
        ),
        (  # named where it was sent, though the list repeats a client before it
            {
                "kind": "group",
                "client_ids": [admitted["id"], admitted["id"], "nope"],
                "starts_at": starts.isoformat(),
                "duration_minutes": 60,
            },
            "client_ids.2",
        ),
        (
            {
                "kind": "individual",
                "client_ids": [admitted["id"], admitted["id"] + "x"],
                "starts_at": starts.isoformat(),
                "duration_minutes": 60,
            },
            "client_ids",
        ),
        (
            {
                "kind": "family",
                "client_ids": [admitted["id"]],
                "starts_at": "2026-12-01T10:00:00",
                "duration_minutes": 60,
            },
            "starts_at",
        ),
        (
            {
                "kind": "family",
                "client_ids": [],
                "starts_at": starts.isoformat(),
                "duration_minutes": 60,
            },
            "client_ids",
        ),
    ):
        response = calls.post("/sessions", body)
        assert response.status_code == 422 and field in response.get_json()["errors"], (
            response.get_json()
        )

    note = calls.post(
        f"/clients/{admitted['id']}/notes",
        {
            "kind": "behaviour",
            "text": "Menarik diri saat sesi kelompok.",
            "obstacles": ["closed_attitude", "family_communication"],
        },
    )
    assert note.status_code == 201
    assert note.get_json()["obstacles"] == ["closed_attitude", "family_communication"]
    assert (
        calls.post(f"/clients/{admitted['id']}/notes", {"kind": "gossip", "text": "x"}).status_code
        == 422
    )
    assert (
        api(suite, "viewer")
        .post(f"/clients/{admitted['id']}/notes", {"kind": "progress", "text": "x"})
        .status_code
        == 403
    )
    goal = calls.post(
        f"/clients/{admitted['id']}/goals", {"text": "Kembali bekerja", "target_date": "2027-06-01"}
    )
    assert goal.status_code == 201
    updated = calls.patch(f"/goals/{goal.get_json()['id']}", {"status": "in_progress"})
    assert updated.get_json()["status"] == "in_progress"


def test_discharge_followups_and_outcomes(suite, admitted):
    calls = api(suite)
    program = create_program(suite, capacity=2)
    calls.post(
        "/placements",
        {
            "client_id": admitted["id"],
            "program_id": program["id"],
            "start_on": foundation_today().isoformat(),
        },
    )
    tomorrow = (foundation_today() + timedelta(days=2)).isoformat()
    assert (
        calls.post(
            f"/clients/{admitted['id']}/discharge",
            {"reason": "completed", "discharged_on": tomorrow},
        ).status_code
        == 422
    )
    today = foundation_today()
    discharged = calls.post(
        f"/clients/{admitted['id']}/discharge",
        {"reason": "completed", "discharged_on": today.isoformat()},
    )
    assert discharged.status_code == 200, discharged.get_json()
    assert [f["due_on"] for f in discharged.get_json()] == [
        (today + timedelta(days=d)).isoformat() for d in (30, 90, 180)
    ]
    assert (
        calls.post(
            f"/clients/{admitted['id']}/discharge",
            {"reason": "completed", "discharged_on": today.isoformat()},
        ).status_code
        == 409
    )
    assert calls.get("/programs").get_json()["items"][0]["occupied"] == 0
    due_soon = calls.get(
        f"/followups?due_before={(today + timedelta(days=31)).isoformat()}"
    ).get_json()
    assert due_soon["total"] == 1
    recorded = calls.put(f"/followups/{due_soon['items'][0]['id']}", {"outcome": "abstinent"})
    assert recorded.get_json()["outcome"] == "abstinent"
    assert (
        calls.put(f"/followups/{due_soon['items'][0]['id']}", {"outcome": "cured"}).status_code
        == 422
    )
    suite.pump()
    intake_view = (
        suite.client("intake").get(f"/clients/{admitted['id']}", headers=suite.headers()).get_json()
    )
    assert intake_view["status"] == "discharged"
    assert intake_view["episodes"][0]["treatment_status"] == "discharged"

    # readmission after relapse: a new episode, a new due assessment
    admit(suite, admitted["id"])
    suite.pump()
    view = calls.get(f"/clients/{admitted['id']}").get_json()
    assert view["status"] == "admitted" and len(view["episodes"]) == 2
    assert view["assessment"]["status"] == "due"

    outcomes = calls.get("/reports/outcomes").get_json()
    assert outcomes["discharged"] == 1 and outcomes["completion_rate"] == 1.0


def test_a_client_who_leaves_before_the_booked_bed_frees_it_without_a_reversed_stay(
    suite, admitted
):
    """A bed booked for two months ahead; the client drops out today. The stay never began:
    the booking is withdrawn (no placement ending before it starts), and the bed is free."""
    calls = api(suite)
    program = create_program(suite, capacity=2)
    starts = foundation_today() + timedelta(days=60)
    booked = calls.post(
        "/placements",
        {"client_id": admitted["id"], "program_id": program["id"], "start_on": str(starts)},
    )
    assert booked.status_code == 201, booked.get_json()
    left = calls.post(
        f"/clients/{admitted['id']}/discharge",
        {"reason": "dropped_out", "discharged_on": foundation_today().isoformat()},
    )
    assert left.status_code == 200, left.get_json()
    assert calls.get(f"/placements?client_id={admitted['id']}").get_json()["items"] == []
    suite.pump()
    summary = (
        suite.client("intake").get(f"/clients/{admitted['id']}", headers=suite.headers()).get_json()
    )
    assert summary["status"] == "discharged"
    assert calls.get("/programs").get_json()["items"][0]["occupied"] == 0


def test_discharging_an_unknown_client_is_404_whatever_the_date(suite, admitted):
    ahead = (foundation_today() + timedelta(days=3)).isoformat()
    unknown = api(suite).post(
        "/clients/00000000-0000-0000-0000-000000000000/discharge",
        {"reason": "completed", "discharged_on": ahead},
    )
    assert unknown.status_code == 404 and unknown.get_json()["code"] == "client_not_found"


def test_reports(suite, admitted):
    calls = api(suite)
    calls.post(
        f"/clients/{admitted['id']}/notes",
        {"kind": "progress", "text": "Baik.", "obstacles": ["staff_capacity"]},
    )
    caseload = calls.get("/reports/caseload").get_json()
    assert caseload["case_workers"][0]["admitted"] == 1
    today = foundation_today().isoformat()
    obstacles = calls.get(f"/reports/obstacles?from={today}&to={today}").get_json()
    assert obstacles["by_obstacle"]["staff_capacity"] == 1
    assert calls.get("/reports/obstacles?from=2026-02-01").status_code == 422


def test_another_foundations_records_are_404(suite, admitted):
    calls, other = api(suite), api(suite, foundation="yakita")
    program = create_program(suite)
    assessment = due_assessment(suite, admitted["id"])
    assert other.get(f"/clients/{admitted['id']}").status_code == 404
    assert other.get(f"/assessments/{assessment['id']}").status_code == 404
    assert (
        other.put(f"/assessments/{assessment['id']}", {"dimensions": DIMENSIONS}).status_code == 404
    )
    assert (
        other.post(
            f"/clients/{admitted['id']}/notes", {"kind": "progress", "text": "x"}
        ).status_code
        == 404
    )
    assert (
        other.post(
            f"/clients/{admitted['id']}/discharge",
            {"reason": "completed", "discharged_on": foundation_today().isoformat()},
        ).status_code
        == 404
    )
    assert other.get("/programs").get_json()["total"] == 0
    foreign = other.post(
        "/placements",
        {
            "client_id": admitted["id"],
            "program_id": program["id"],
            "start_on": foundation_today().isoformat(),
        },
    )
    assert foreign.status_code == 422
    assert other.get("/reports/caseload").get_json()["case_workers"] == []
    session = calls.post(
        "/sessions",
        {
            "kind": "individual",
            "client_ids": [admitted["id"]],
            "starts_at": (datetime.now(UTC) + timedelta(days=1)).isoformat(),
            "duration_minutes": 60,
        },
    )
    assert other.get(f"/sessions/{session.get_json()['id']}").status_code == 404
    assert other.post(f"/sessions/{session.get_json()['id']}/cancel").status_code == 404


def test_discharge_closes_the_due_assessment_and_its_reminders(suite):
    create_foundation(suite)
    worker = suite.client("intake").post(
        "/staff",
        headers=suite.headers("admin"),
        json={"name": "Rahmat", "role": "social_worker", "email": "rahmat@example.org"},
    )
    client = register_client(suite, case_worker_id=worker.get_json()["id"])
    admit(suite, client["id"])
    suite.pump()
    calls = api(suite)
    assessment = due_assessment(suite, client["id"])
    reminders = (
        suite.client("notifications")
        .get(
            f"/messages?client_id={client['id']}&template=staff.assessment_due",
            headers=suite.headers(),
        )
        .get_json()["items"]
    )
    assert len(reminders) == 2 and {m["status"] for m in reminders} == {"scheduled"}

    discharged = calls.post(  # dropped out before placement
        f"/clients/{client['id']}/discharge",
        {"reason": "dropped_out", "discharged_on": foundation_today().isoformat()},
    )
    assert discharged.status_code == 200, discharged.get_json()
    suite.pump()
    assert calls.get(f"/assessments/{assessment['id']}").get_json()["status"] == "closed"
    late = calls.put(f"/assessments/{assessment['id']}", {"dimensions": DIMENSIONS})
    assert late.status_code == 409
    assert calls.get(f"/assessments/{assessment['id']}").get_json()["status"] == "closed"
    reminders = (
        suite.client("notifications")
        .get(
            f"/messages?client_id={client['id']}&template=staff.assessment_due",
            headers=suite.headers(),
        )
        .get_json()["items"]
    )
    assert {(m["status"], m["reason"]) for m in reminders} == {("cancelled", "client discharged")}
    closed = calls.get(f"/assessments?client_id={client['id']}&status=closed").get_json()
    assert [a["id"] for a in closed["items"]] == [assessment["id"]]


def test_a_placement_starts_no_earlier_than_admission(suite, admitted):
    program = create_program(suite)
    calls = api(suite)
    early = calls.post(
        "/placements",
        {
            "client_id": admitted["id"],
            "program_id": program["id"],
            "start_on": (foundation_today() - timedelta(days=400)).isoformat(),
        },
    )
    assert early.status_code == 422 and "start_on" in early.get_json()["errors"]
    assert calls.get("/programs").get_json()["items"][0]["occupied"] == 0
    assert calls.get(f"/clients/{admitted['id']}").get_json()["status"] == "admitted"


def test_the_obstacles_of_a_day_are_counted_by_the_foundations_calendar(suite, admitted):
    """A note written at 06:30 in Jakarta is 23:30 UTC the day before: it belongs to the
    Jakarta day."""
    calls = api(suite, "counselor")  # counsellors write notes as social workers do
    program = create_program(suite)
    placed = calls.post(
        "/placements",
        {
            "client_id": admitted["id"],
            "program_id": program["id"],
            "start_on": foundation_today().isoformat(),
        },
    )
    assert placed.status_code == 201
    note = calls.post(
        f"/clients/{admitted['id']}/notes",
        {"kind": "behaviour", "text": "Menyendiri.", "obstacles": ["closed_attitude"]},
    )
    assert note.status_code == 201
    day = foundation_today() - timedelta(days=2)
    early_morning = datetime.combine(day, datetime.min.time(), tzinfo=ZoneInfo("Asia/Jakarta"))
    with suite.runtime("assessment").db.transaction() as db:
        db.execute(
            text("UPDATE notes SET recorded_at = :at"),
            {"at": (early_morning + timedelta(hours=6, minutes=30)).astimezone(UTC)},
        )
    that_day = calls.get(f"/reports/obstacles?from={day}&to={day}").get_json()
    assert that_day["by_obstacle"]["closed_attitude"] == 1
    assert that_day["by_program"] == [
        {"program": "Rehabilitasi Sosial", "counts": {"closed_attitude": 1}}
    ]
    day_before = day - timedelta(days=1)
    earlier = calls.get(f"/reports/obstacles?from={day_before}&to={day_before}").get_json()
    assert earlier["by_obstacle"]["closed_attitude"] == 0


def test_counsellors_write_sessions_and_notes_and_viewers_write_nothing(suite, admitted):
    counselor, viewer = api(suite, "counselor"), api(suite, "viewer")
    session = {
        "kind": "individual",
        "client_ids": [admitted["id"]],
        "starts_at": (datetime.now(UTC) + timedelta(days=1)).isoformat(),
        "duration_minutes": 45,
    }
    note = {"kind": "motivation", "text": "Semangat.", "obstacles": []}
    assert counselor.post("/sessions", session).status_code == 201
    assert counselor.post(f"/clients/{admitted['id']}/notes", note).status_code == 201
    assert viewer.post("/sessions", session).status_code == 403
    assert viewer.post(f"/clients/{admitted['id']}/notes", note).status_code == 403
    assert (
        viewer.post(
            f"/clients/{admitted['id']}/discharge",
            {"reason": "other", "discharged_on": foundation_today().isoformat()},
        ).status_code
        == 403
    )
    assert len(counselor.get("/sessions").get_json()["items"]) == 1
