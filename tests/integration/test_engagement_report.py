"""The engagement report as a foundation reads it: clients admitted on chosen days, their
attendance recorded through the API, placements in programmes, a discharge, and case workers
of both roles above and below the staffing norm (assessment learns their roles from intake)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.support.dates import foundation_today
from tests.support.factories import create_foundation, register_client

pytestmark = pytest.mark.integration

JAKARTA = ZoneInfo("Asia/Jakarta")


def ago(days: int):
    """A day ``days`` before the foundation's today, read afresh at each call: a module-level
    today would go stale when the run crosses midnight in Jakarta (17:00 UTC)."""
    return foundation_today() - timedelta(days=days)


def assessment(suite, role="social_worker", foundation="medan-plus"):
    http, headers = suite.client("assessment"), suite.headers(role, foundation)

    class Calls:
        def get(self, path):
            return http.get(path, headers=headers)

        def post(self, path, body):
            response = http.post(path, json=body, headers=headers)
            assert response.status_code in (200, 201), response.get_json()
            return response.get_json()

    return Calls()


def staff(suite, role: str, name: str) -> str:
    response = suite.client("intake").post(
        "/staff", headers=suite.headers("admin"), json={"name": name, "role": role}
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def client_admitted(suite, name: str, case_worker: str, days_ago: int) -> str:
    client = register_client(suite, full_name=name, case_worker_id=case_worker)
    response = suite.client("intake").post(
        f"/clients/{client['id']}/admission",
        json={"family_agreement": True, "admitted_on": ago(days_ago).isoformat()},
        headers=suite.headers(),
    )
    assert response.status_code == 200, response.get_json()
    return client["id"]


def session_on(suite, client_id: str, admitted_days_ago: int, day: int, status="attended", at=10):
    """A session ``day`` days after the client's admission at ``at`` o'clock Jakarta time,
    with the client's attendance recorded."""
    local = datetime.combine(ago(admitted_days_ago - day), time(at), tzinfo=JAKARTA)
    calls = assessment(suite)
    session = calls.post(
        "/sessions",
        {
            "kind": "group",
            "client_ids": [client_id],
            "starts_at": local.isoformat(),
            "duration_minutes": 60,
        },
    )
    calls.post(f"/sessions/{session['id']}/attendance", {"client_id": client_id, "status": status})


@pytest.fixture
def foundation(suite):
    create_foundation(suite)
    worker = staff(suite, "social_worker", "Rahmat")
    counsellor = staff(suite, "counselor", "Dewi")
    idle = staff(suite, "counselor", "Putri")
    gone = staff(suite, "social_worker", "Agus")
    staff(suite, "admin", "Kepala")

    # in the period (the last 200 days):
    # A: started day 2, two more by day 30, placed, in care for 120 days
    a = client_admitted(suite, "Andi", worker, 120)
    # B: first attended session on day 15 at 06:00 Jakarta (still day 14 in UTC): too late;
    #    dropped out on day 50
    b = client_admitted(suite, "Bayu", worker, 100)
    # C: admitted 5 days ago, attended on day 1, absent on day 3; placed elsewhere
    c = client_admitted(suite, "Citra", counsellor, 5)
    # before the period, in care: six of the worker's, one of Agus who left
    earlier = [client_admitted(suite, f"Lama {n}", worker, 300) for n in range(6)]
    client_admitted(suite, "Lama Agus", gone, 300)
    left = suite.client("intake").patch(
        f"/staff/{gone}", headers=suite.headers("admin"), json={"active": False}
    )
    assert left.status_code == 200, left.get_json()
    suite.pump()

    for day in (2, 10, 30):
        session_on(suite, a, 120, day)
    session_on(suite, a, 120, 40, status="absent")
    session_on(suite, b, 100, 15, at=6)
    session_on(suite, b, 100, 20)
    session_on(suite, c, 5, 1)
    session_on(suite, c, 5, 3, status="absent")
    session_on(suite, c, 5, 4, status="excused")

    admin = assessment(suite, "admin")
    residential = admin.post(
        "/programs",
        {"name": "Rehabilitasi Sosial", "kind": "residential", "capacity": 9, "duration_days": 180},
    )
    outpatient = admin.post(
        "/programs",
        {"name": "Rawat Jalan", "kind": "outpatient", "capacity": 9, "duration_days": 90},
    )
    calls = assessment(suite)
    calls.post(
        "/placements",
        {"client_id": a, "program_id": residential["id"], "start_on": ago(119).isoformat()},
    )
    calls.post(
        "/placements",
        {"client_id": c, "program_id": outpatient["id"], "start_on": ago(4).isoformat()},
    )
    calls.post(
        f"/clients/{b}/discharge", {"reason": "dropped_out", "discharged_on": ago(50).isoformat()}
    )
    suite.pump()
    return {
        "worker": worker,
        "counsellor": counsellor,
        "idle": idle,
        "programs": (residential["id"], outpatient["id"]),
        "earlier": earlier,
    }


def measure(count, pending, rate):
    return {"count": count, "pending": pending, "rate": rate}


def test_engagement_of_the_clients_admitted_in_the_period(suite, foundation):
    response = assessment(suite, "viewer").get(
        f"/reports/engagement?from={ago(200)}&to={ago(0).isoformat()}"
    )
    assert response.status_code == 200, response.get_json()
    report = response.get_json()
    assert (report["from"], report["to"], report["as_of"]) == (
        ago(200).isoformat(),
        ago(0).isoformat(),
        ago(0).isoformat(),
    )
    assert report["overall"] == {
        "admitted": 3,
        "started": measure(2, 0, 0.667),  # A and C; B too late
        "engaged": measure(1, 1, 0.5),  # A; C may still
        "retained_90": measure(1, 1, 0.5),  # A; B left on day 50; C too recent to say
    }
    residential, outpatient = foundation["programs"]
    assert report["by_program"] == [
        {
            "program_id": outpatient,
            "program": "Rawat Jalan",
            "admitted": 1,
            "started": measure(1, 0, 1.0),
            "engaged": measure(0, 1, None),
            "retained_90": measure(0, 1, None),
        },
        {
            "program_id": residential,
            "program": "Rehabilitasi Sosial",
            "admitted": 1,
            "started": measure(1, 0, 1.0),
            "engaged": measure(1, 0, 1.0),
            "retained_90": measure(1, 0, 1.0),
        },
        {
            "program_id": None,
            "program": "none",
            "admitted": 1,
            "started": measure(0, 0, 0.0),
            "engaged": measure(0, 0, 0.0),
            "retained_90": measure(0, 0, 0.0),
        },
    ]
    by_worker = {row["case_worker_id"]: row for row in report["by_case_worker"]}
    assert set(by_worker) == {foundation["worker"], foundation["counsellor"]}
    assert by_worker[foundation["worker"]]["admitted"] == 2
    assert by_worker[foundation["worker"]]["started"] == measure(1, 0, 0.5)
    assert by_worker[foundation["counsellor"]]["started"] == measure(1, 0, 1.0)

    # A, and six admitted earlier: 7 in care (B is discharged), at the norm; Agus has left
    # and the admin carries no caseload
    assert report["caseloads"] == [
        {
            "case_worker_id": foundation["worker"],
            "role": "social_worker",
            "clients": 7,
            "norm": 7,
            "over_norm": False,
        },
        {
            "case_worker_id": foundation["counsellor"],
            "role": "counselor",
            "clients": 1,
            "norm": 10,
            "over_norm": False,
        },
        {
            "case_worker_id": foundation["idle"],
            "role": "counselor",
            "clients": 0,
            "norm": 10,
            "over_norm": False,
        },
    ]

    # an eighth client puts the social worker over the norm
    client_admitted(suite, "Baru", foundation["worker"], 0)
    suite.pump()
    heavier = assessment(suite).get(f"/reports/engagement?from={ago(0)}&to={ago(0)}").get_json()
    assert heavier["overall"]["admitted"] == 1
    assert heavier["overall"]["started"] == measure(0, 1, None)
    assert heavier["caseloads"][0] == {
        "case_worker_id": foundation["worker"],
        "role": "social_worker",
        "clients": 8,
        "norm": 7,
        "over_norm": True,
    }


def test_the_period_is_of_admission_days(suite, foundation):
    calls = assessment(suite, "counselor")
    only_b = calls.get(f"/reports/engagement?from={ago(100)}&to={ago(100)}").get_json()
    assert only_b["overall"]["admitted"] == 1
    assert [row["program"] for row in only_b["by_program"]] == ["none"]
    earlier = calls.get(f"/reports/engagement?from={ago(400)}&to={ago(300)}").get_json()
    assert earlier["overall"]["admitted"] == 7


def test_a_role_change_and_a_departure_reach_the_caseloads(suite, foundation):
    intake_admin = suite.client("intake"), suite.headers("admin")
    http, headers = intake_admin
    moved = http.patch(f"/staff/{foundation['idle']}", headers=headers, json={"role": "admin"})
    assert moved.status_code == 200
    left = http.patch(f"/staff/{foundation['counsellor']}", headers=headers, json={"active": False})
    assert left.status_code == 200
    suite.pump()
    report = assessment(suite).get(f"/reports/engagement?from={ago(0)}&to={ago(0)}").get_json()
    assert [row["case_worker_id"] for row in report["caseloads"]] == [foundation["worker"]]


def test_another_foundation_sees_none_of_it(suite, foundation):
    other = assessment(suite, "admin", foundation="yakita").get(
        f"/reports/engagement?from={ago(400)}&to={ago(0)}"
    )
    assert other.status_code == 200
    report = other.get_json()
    assert report["overall"]["admitted"] == 0
    assert report["by_program"] == report["by_case_worker"] == report["caseloads"] == []


def test_staff_saved_for_another_foundations_staff_is_not_applied(suite):
    create_foundation(suite)
    worker = staff(suite, "social_worker", "Rahmat")
    suite.flush_publishers()
    ((name, args),) = [t for t in suite.take("assessment") if t[1][0]["type"] == "staff.saved"]
    suite.run_task("assessment", name, [args[0]])
    forged = dict(args[0], id=args[0]["id"] + "-forged", foundation="yakita", sequence=99)
    suite.run_task("assessment", name, [forged])
    from services.assessment.models import StaffView

    with suite.runtime("assessment").db.transaction() as db:
        view = db.get(StaffView, worker)
        assert (view.foundation, view.role, view.active) == ("medan-plus", "social_worker", True)
    theirs = assessment(suite, "admin", foundation="yakita").get(
        f"/reports/engagement?from={ago(0)}&to={ago(0)}"
    )
    assert theirs.get_json()["caseloads"] == []


@pytest.mark.parametrize(
    ("query", "field", "code"),
    [
        ("to=2026-02-01", "from", "required"),
        ("from=2026-02-01", "to", "required"),
        ("from=2026-02-30&to=2026-03-01", "from", "invalid_date"),
        ("from=2026-03-02&to=2026-03-01", "to", "before_from"),
        ("from=1800-01-01&to=2026-03-01", "from", "date_out_of_range"),
    ],
)
def test_a_bad_period_is_422_naming_the_field(suite, query, field, code):
    response = assessment(suite).get(f"/reports/engagement?{query}")
    problem = response.get_json()
    assert response.status_code == 422, problem
    assert problem["code"] == "validation_failed" and problem["error_codes"][field] == [code]
