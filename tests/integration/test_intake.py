"""Intake as a social worker uses it: staff, identity, duplicates, contacts, consent,
screening, the IPWL recap and the audit log."""

from __future__ import annotations

import sqlite3
import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from tests.support.dates import foundation_today
from tests.support.factories import admit, create_foundation, register_client

pytestmark = pytest.mark.integration

NIK = "3271046504930002"


@pytest.fixture
def foundation(suite):
    return create_foundation(suite)


def add_staff(suite, name="Rahmat", role="social_worker", foundation="medan-plus"):
    response = suite.client("intake").post(
        "/staff",
        json={"name": name, "role": role, "email": "rahmat@example.org", "phone": "0813 1111 2222"},
        headers=suite.headers("admin", foundation),
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


FULL_CLIENT = {
    "full_name": "Andi Wijaya",
    "nik": NIK,
    "date_of_birth": "1993-04-25",
    "sex": "male",
    "phone": "+62 812-7777-8888",
    "address": "Jl. Sei Batang Hari No. 5, Medan",
    "primary_substances": ["methamphetamine", "cannabis"],
    "use_duration_months": 30,
    "route_of_use": "smoked",
    "referral": {"source": "family", "compulsory": False},
    "family_contacts": [
        {"name": "Rosmawati", "relationship": "mother", "phone": "0812-3456-7890", "channel": "sms"}
    ],
    "consent": {"contact_family": True, "share_progress": False, "given_by": "client"},
}


def test_a_client_with_every_field(suite, foundation):
    worker = add_staff(suite)
    body = dict(FULL_CLIENT, case_worker_id=worker["id"])
    response = suite.client("intake").post("/clients", json=body, headers=suite.headers())
    assert response.status_code == 201, response.get_json()
    client = response.get_json()
    assert client["nik"] == "************0002"
    assert client["phone"] == "+6281277778888"
    assert client["family_contacts"][0]["phone"] == "+6281234567890"
    assert client["code"].startswith("MP-")
    assert client["case_worker_id"] == worker["id"]
    assert client["primary_substances"] == ["methamphetamine", "cannabis"]
    assert client["referral"] == {"source": "family", "compulsory": False, "reference_no": None}
    assert client["possible_duplicates"] == []
    fetched = (
        suite.client("intake").get(f"/clients/{client['id']}", headers=suite.headers()).get_json()
    )
    assert NIK not in str(fetched)


def test_single_name_estimated_birth_and_no_nik(suite, foundation):
    response = suite.client("intake").post(
        "/clients",
        headers=suite.headers(),
        json={
            "full_name": "Sukarno",
            "date_of_birth": "1990-01-01",
            "date_of_birth_estimated": True,
        },
    )
    assert response.status_code == 201
    assert response.get_json()["nik"] is None
    assert response.get_json()["date_of_birth_estimated"] is True


def test_same_nik_is_409_with_the_existing_id(suite, foundation):
    first = register_client(suite, nik=NIK)
    again = suite.client("intake").post(
        "/clients", headers=suite.headers(), json={"full_name": "Someone Else", "nik": NIK}
    )
    assert again.status_code == 409
    assert again.get_json()["existing_client_id"] == first["id"]
    # the same NIK in another foundation is another person's record there
    create_foundation(suite, "yakita")
    other = suite.client("intake").post(
        "/clients",
        headers=suite.headers(foundation="yakita"),
        json={"full_name": "Andi", "nik": NIK},
    )
    assert other.status_code == 201


def _register_at_once(suite, bodies: list[dict]) -> list:
    """POST every body at the same moment, one thread and test client each."""
    barrier = threading.Barrier(len(bodies))
    answers: list = [None] * len(bodies)

    def register(i: int) -> None:
        http = suite.client("intake")
        barrier.wait()
        answers[i] = http.post("/clients", headers=suite.headers(), json=bodies[i])

    threads = [threading.Thread(target=register, args=(i,)) for i in range(len(bodies))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return answers


def test_same_nik_registered_concurrently_is_created_once(suite, foundation):
    answers = _register_at_once(suite, [{"full_name": f"Orang {i}", "nik": NIK} for i in range(6)])
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [201, 409, 409, 409, 409, 409], [a.get_json() for a in answers]
    (created,) = [a.get_json() for a in answers if a.status_code == 201]
    refused = [a.get_json() for a in answers if a.status_code == 409]
    assert {r["existing_client_id"] for r in refused} == {created["id"]}
    listed = suite.client("intake").get("/clients", headers=suite.headers()).get_json()
    assert [c["id"] for c in listed["items"]] == [created["id"]]


def test_clients_registered_concurrently_get_distinct_consecutive_codes(suite, foundation):
    answers = _register_at_once(suite, [{"full_name": f"Orang {i}"} for i in range(8)])
    assert {a.status_code for a in answers} == {201}, [a.get_json() for a in answers]
    codes = [a.get_json()["code"] for a in answers]
    assert len(set(codes)) == 8
    assert sorted(int(code.rsplit("-", 1)[1]) for code in codes) == list(range(1, 9))


def test_alike_name_and_same_birth_date_is_flagged_not_refused(suite, foundation):
    first = register_client(suite, full_name="Budi Santoso", date_of_birth="1995-07-01")
    second = suite.client("intake").post(
        "/clients",
        headers=suite.headers(),
        json={"full_name": "Budi S.", "date_of_birth": "1995-07-01"},
    )
    assert second.status_code == 201
    assert second.get_json()["possible_duplicates"] == [
        {"id": first["id"], "code": first["code"], "full_name": "Budi Santoso"}
    ]
    unrelated = suite.client("intake").post(
        "/clients",
        headers=suite.headers(),
        json={"full_name": "Wati", "date_of_birth": "1995-07-01"},
    )
    assert unrelated.get_json()["possible_duplicates"] == []


def test_search_by_name_word_or_code_and_status(suite, foundation):
    budi = register_client(suite, full_name="Budi Santoso")
    register_client(suite, full_name="Siti Aminah")
    admit(suite, budi["id"])
    http, headers = suite.client("intake"), suite.headers()

    def names(q):
        return [
            c["full_name"] for c in http.get(f"/clients?{q}", headers=headers).get_json()["items"]
        ]

    assert names("q=santoso") == ["Budi Santoso"]
    assert names("q=SANTOSO%20budi") == ["Budi Santoso"]
    assert names("q=santos") == []  # whole words only: names are never stored in plaintext
    assert names(f"q={budi['code']}") == ["Budi Santoso"]
    assert names("status=admitted") == ["Budi Santoso"]
    assert names("status=registered") == ["Siti Aminah"]


def test_patch_changes_only_what_is_sent(suite, foundation):
    client = register_client(suite, **{k: FULL_CLIENT[k] for k in ("nik", "address", "sex")})
    http, headers = suite.client("intake"), suite.headers()
    changed = http.patch(
        f"/clients/{client['id']}",
        headers=headers,
        json={"address": "Jl. Baru 1", "route_of_use": "injected"},
    )
    assert changed.status_code == 200
    body = changed.get_json()
    assert (body["address"], body["route_of_use"], body["sex"], body["nik"]) == (
        "Jl. Baru 1",
        "injected",
        "male",
        "************0002",
    )
    bad = http.patch(
        f"/clients/{client['id']}", headers=headers, json={"address": "Jl. Lain", "sex": "other"}
    )
    assert bad.status_code == 422 and "sex" in bad.get_json()["errors"]
    assert (
        http.get(f"/clients/{client['id']}", headers=headers).get_json()["address"] == "Jl. Baru 1"
    )
    assert http.patch(f"/clients/{client['id']}", headers=headers, json={}).status_code == 422


def test_case_worker_must_be_staff_of_this_foundation(suite, foundation):
    create_foundation(suite, "yakita")
    theirs = add_staff(suite, foundation="yakita")
    for case_worker in (theirs["id"], "not-an-id"):
        response = suite.client("intake").post(
            "/clients",
            headers=suite.headers(),
            json={"full_name": "Ani", "case_worker_id": case_worker},
        )
        assert response.status_code == 422
        assert "case_worker_id" in response.get_json()["errors"]
    assert suite.client("intake").get("/clients", headers=suite.headers()).get_json()["total"] == 0


def test_staff_are_admin_managed_and_tenant_scoped(suite, foundation):
    staff = add_staff(suite)
    (created,) = (
        suite.client("intake")
        .get(f"/audit?resource_id={staff['id']}", headers=suite.headers("admin"))
        .get_json()["items"]
    )
    assert (created["action"], created["resource_type"], created["role"]) == (
        "create",
        "staff",
        "admin",
    )
    assert (
        suite.client("intake")
        .post(
            "/staff",
            json={"name": "X", "role": "counselor"},
            headers=suite.headers("social_worker"),
        )
        .status_code
        == 403
    )
    assert suite.client("intake").get("/staff", headers=suite.headers()).get_json()["total"] == 1
    assert (
        suite.client("intake")
        .get("/staff", headers=suite.headers(foundation="yakita"))
        .get_json()["total"]
        == 0
    )


def test_family_contacts_crud(suite, foundation):
    client = register_client(suite)
    http, headers = suite.client("intake"), suite.headers()
    base = f"/clients/{client['id']}/family-contacts"
    added = http.post(
        base,
        headers=headers,
        json={
            "name": "Paman",
            "relationship": "uncle",
            "email": "paman@example.org",
            "channel": "email",
        },
    )
    assert added.status_code == 201
    contact_id = added.get_json()["id"]
    barred = http.patch(f"{base}/{contact_id}", headers=headers, json={"may_contact": False})
    assert barred.status_code == 200 and barred.get_json()["may_contact"] is False
    unreachable = http.patch(f"{base}/{contact_id}", headers=headers, json={"channel": "sms"})
    assert unreachable.status_code == 422 and "phone" in unreachable.get_json()["errors"]
    assert http.delete(f"{base}/{contact_id}", headers=headers).status_code == 204
    assert http.delete(f"{base}/{contact_id}", headers=headers).status_code == 404
    remaining = http.get(f"/clients/{client['id']}", headers=headers).get_json()["family_contacts"]
    assert [c["name"] for c in remaining] == ["Siti"]


def test_consent_history_and_minors(suite, foundation):
    http, headers = suite.client("intake"), suite.headers()
    adult = register_client(suite)
    put = http.put(
        f"/clients/{adult['id']}/consent",
        headers=headers,
        json={"contact_family": False, "share_progress": False},
    )
    assert put.status_code == 200 and put.get_json()["consent"]["contact_family"] is False
    history = http.get(f"/clients/{adult['id']}/consent/history", headers=headers).get_json()
    assert [h["contact_family"] for h in history] == [True, False]
    assert all(h["recorded_by"] == "staff-1" for h in history)

    sixteen = (foundation_today() - timedelta(days=16 * 365)).isoformat()
    minor = http.post(
        "/clients",
        headers=headers,
        json={"full_name": "Riko", "date_of_birth": sixteen, "consent": {"contact_family": True}},
    )
    assert minor.status_code == 422 and "consent.given_by" in minor.get_json()["errors"]
    by_guardian = http.post(
        "/clients",
        headers=headers,
        json={
            "full_name": "Riko",
            "date_of_birth": sixteen,
            "consent": {
                "contact_family": True,
                "given_by": "guardian",
                "guardian_name": "Ibu Riko",
            },
        },
    )
    assert by_guardian.status_code == 201


def test_screenings_are_scored_by_the_server(suite, foundation):
    client = register_client(suite)
    http, headers = suite.client("intake"), suite.headers()
    base = f"/clients/{client['id']}/screenings"
    dast = http.post(base, headers=headers, json={"instrument": "DAST-10", "answers": [True] * 10})
    assert dast.status_code == 201
    assert (dast.get_json()["score"], dast.get_json()["risk"]) == (9, "severe")
    assist = http.post(
        base,
        headers=headers,
        json={
            "instrument": "ASSIST",
            "answers": {
                "amphetamines": {
                    "q2": "weekly",
                    "q3": "weekly",
                    "q4": "monthly",
                    "q5": "monthly",
                    "q6": "yes_past_3_months",
                    "q7": "never",
                },
                "alcohol": {
                    "q2": "monthly",
                    "q3": "never",
                    "q4": "never",
                    "q5": "never",
                    "q6": "never",
                    "q7": "never",
                },
            },
        },
    )
    assert assist.status_code == 201, assist.get_json()
    results = {r["substance"]: (r["score"], r["risk"]) for r in assist.get_json()["results"]}
    assert results == {"amphetamines": (4 + 5 + 5 + 6 + 6 + 0, "moderate"), "alcohol": (3, "low")}
    bad = http.post(base, headers=headers, json={"instrument": "DAST-10", "answers": [True] * 9})
    assert bad.status_code == 422 and "answers" in bad.get_json()["errors"]
    history = http.get(base, headers=headers).get_json()
    assert history["total"] == 2


def test_ipwl_recap_json_and_csv_admin_only_and_audited(suite, foundation):
    client = register_client(
        suite,
        **{
            k: FULL_CLIENT[k]
            for k in (
                "nik",
                "sex",
                "primary_substances",
                "use_duration_months",
                "route_of_use",
                "referral",
            )
        },
    )
    admit(suite, client["id"])
    http = suite.client("intake")
    today = date.today()
    start, end = today - timedelta(days=30), today + timedelta(days=1)
    query = f"from={start.isoformat()}&to={end.isoformat()}"
    assert http.get(f"/reports/ipwl?{query}", headers=suite.headers()).status_code == 403
    recap = http.get(f"/reports/ipwl?{query}", headers=suite.headers("admin")).get_json()
    (row,) = recap["items"]
    assert row["code"] == client["code"] and row["nik"] == "************0002"
    assert row["primary_substances"] == ["methamphetamine", "cannabis"]
    assert row["treatment_status"] == "admitted" and row["referral_source"] == "family"
    csv = http.get(f"/reports/ipwl?{query}&format=csv", headers=suite.headers("admin"))
    assert csv.mimetype == "text/csv"
    lines = csv.get_data(as_text=True).strip().splitlines()
    assert lines[0].startswith("code,full_name,nik") and len(lines) == 2
    assert NIK not in csv.get_data(as_text=True)
    assert (
        http.get(
            "/reports/ipwl?from=2026-02-01&to=2026-01-01", headers=suite.headers("admin")
        ).status_code
        == 422
    )
    log = http.get("/audit", headers=suite.headers("admin")).get_json()["items"]
    assert [e["action"] for e in log if e["resource_type"] == "ipwl_report"] == ["export", "export"]


def test_audit_log_records_reads_and_cannot_be_edited(suite, foundation):
    client = register_client(suite)
    http = suite.client("intake")
    http.get(f"/clients/{client['id']}", headers=suite.headers("viewer"))
    entries = http.get(
        f"/audit?resource_id={client['id']}", headers=suite.headers("admin")
    ).get_json()
    actions = sorted((e["action"], e["role"]) for e in entries["items"])
    assert actions == [("create", "social_worker"), ("read", "viewer")]
    assert http.get("/audit", headers=suite.headers("social_worker")).status_code == 403
    for method in ("post", "put", "patch", "delete"):
        assert (
            getattr(http, method)("/audit", headers=suite.headers("admin"), json={}).status_code
            == 405
        )
    other = http.get(f"/audit?resource_id={client['id']}", headers=suite.headers("admin", "yakita"))
    assert other.get_json()["total"] == 0


def test_no_plaintext_personal_data_in_the_database_file(suite, foundation, settings):
    if not settings.database_url("intake").startswith("sqlite"):
        pytest.skip("reads the SQLite file directly")
    worker = add_staff(suite, name="Rahmat Hidayat")
    register_client(suite, **dict(FULL_CLIENT, case_worker_id=worker["id"]))
    suite.pump()
    needles = [
        "Andi",
        "Wijaya",
        NIK,
        "6281277778888",
        "812-7777",
        "6281234567890",
        "Rosmawati",
        "Sei Batang",
        "methamphetamine",
        "Rahmat",
        "rahmat@example.org",
        "1993-04-25",
    ]
    for service in ("intake", "assessment", "notifications"):
        path = settings.database_url(service).split("///", 1)[1]
        suite.runtime(service).db.dispose()
        with sqlite3.connect(path) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        raw = open(path, "rb").read()
        for needle in needles:
            assert needle.encode() not in raw, f"{needle!r} in plaintext in {service}"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/staff", {"name": "", "role": "social_worker"}),
        ("post", "/staff", {"name": "X", "role": "janitor"}),
        ("post", "/clients", {"full_name": "X", "nik": "12345"}),
        ("post", "/clients", {"full_name": "X", "nik": "32710465049300AB"}),
        ("post", "/clients", {"full_name": "X", "date_of_birth": "2999-01-01"}),
        ("post", "/clients", {"full_name": "X", "date_of_birth": "1990-02-30"}),
        ("post", "/clients", {"full_name": "X", "phone": "+62 12"}),
        ("post", "/clients", {"full_name": "X", "route_of_use": "teleport"}),
        ("post", "/clients", {"full_name": "X", "use_duration_months": "12"}),
        ("post", "/clients", {"full_name": "X", "use_duration_months": -1}),
        ("post", "/clients", {"full_name": "X", "referral": {"source": "aliens"}}),
        ("post", "/clients", {"full_name": "X", "primary_substances": "meth"}),
        ("post", "/clients", {"full_name": "X", "address": "a" * 501}),
        ("post", "/foundations", {"slug": "Bad Slug", "name": "X"}),
        ("post", "/foundations", {"slug": "ok", "name": "X", "timezone": "Mars/Olympus"}),
        (
            "post",
            "/foundations",
            {"slug": "ok", "name": "X", "quiet_hours": {"start": "25:00", "end": "07:00"}},
        ),
    ],
)
def test_bad_input_is_422_and_stores_nothing(suite, foundation, method, path, body):
    role = (
        "operator" if path == "/foundations" else ("admin" if path == "/staff" else "social_worker")
    )
    response = getattr(suite.client("intake"), method)(path, json=body, headers=suite.headers(role))
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["errors"]
    assert suite.client("intake").get("/clients", headers=suite.headers()).get_json()["total"] == 0
    assert suite.client("intake").get("/staff", headers=suite.headers()).get_json()["total"] == 0
    assert (
        suite.client("intake")
        .get("/foundations", headers=suite.headers("operator"))
        .get_json()["total"]
        == 1
    )


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("patch", "", {"nik": "1"}),
        ("put", "/consent", {"contact_family": "no", "share_progress": False}),
        ("put", "/consent", {"contact_family": True}),
        ("post", "/family-contacts", {"name": "X", "relationship": "aunt", "channel": "sms"}),
        ("post", "/screenings", {"instrument": "AUDIT", "answers": []}),
        ("post", "/screenings", {"instrument": "ASSIST", "answers": {"heroin": {}}}),
        ("post", "/screenings", {"instrument": "ASSIST", "answers": [1]}),
        ("post", "/admission", {"family_agreement": None}),
    ],
)
def test_bad_input_on_client_endpoints_changes_nothing(suite, foundation, method, suffix, body):
    client = register_client(suite)
    http, headers = suite.client("intake"), suite.headers()
    before = http.get(f"/clients/{client['id']}", headers=headers).get_json()
    response = getattr(http, method)(f"/clients/{client['id']}{suffix}", json=body, headers=headers)
    assert response.status_code == 422, response.get_json()
    after = http.get(f"/clients/{client['id']}", headers=headers).get_json()
    assert {k: v for k, v in after.items() if k != "updated_at"} == {
        k: v for k, v in before.items() if k != "updated_at"
    }
    assert http.get(f"/clients/{client['id']}/screenings", headers=headers).get_json()["total"] == 0


def test_consent_withdrawal_reaches_notifications(suite):
    # quiet hours around the clock keep the welcome pending, so withdrawal has something to stop
    now = datetime.now(ZoneInfo("Asia/Jakarta"))
    start = (now - timedelta(hours=1)).strftime("%H:%M")
    end = (now + timedelta(hours=2)).strftime("%H:%M")
    create_foundation(suite, quiet_hours={"start": start, "end": end})
    client = register_client(suite)
    admit(suite, client["id"])
    suite.pump()
    notifications, headers = suite.client("notifications"), suite.headers()
    (pending,) = notifications.get(
        f"/messages?client_id={client['id']}", headers=headers
    ).get_json()["items"]
    assert (pending["status"], pending["reason"]) == ("scheduled", "deferred past quiet hours")
    suite.client("intake").put(
        f"/clients/{client['id']}/consent",
        headers=headers,
        json={"contact_family": False, "share_progress": False},
    )
    suite.pump()
    (cancelled,) = notifications.get(
        f"/messages?client_id={client['id']}", headers=headers
    ).get_json()["items"]
    assert cancelled["status"] == "cancelled"
    assert "consent" in cancelled["reason"]


def _welcomes(suite, client_id):
    return (
        suite.client("notifications")
        .get(f"/messages?client_id={client_id}&template=family.welcome", headers=suite.headers())
        .get_json()["items"]
    )


def test_an_operator_changes_quiet_hours_and_sender_name_for_later_messages(suite):
    now = datetime.now(ZoneInfo("Asia/Jakarta"))
    quiet_now = {
        "start": (now - timedelta(hours=1)).strftime("%H:%M"),
        "end": (now + timedelta(hours=2)).strftime("%H:%M"),
    }
    create_foundation(suite, quiet_hours=quiet_now)
    night = register_client(suite)
    admit(suite, night["id"])
    suite.pump()
    [held] = _welcomes(suite, night["id"])
    assert held["status"] == "scheduled"  # inside the foundation's quiet hours

    changed = suite.client("intake").patch(
        "/foundations/medan-plus",
        json={"quiet_hours": {"start": "00:00", "end": "00:00"}, "sender_name": "Rumah Pulih"},
        headers=suite.headers("operator"),
    )
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["quiet_hours"] == {"start": "00:00", "end": "00:00"}
    assert changed.get_json()["name"] == "Yayasan medan-plus"  # untouched
    suite.pump()

    day = register_client(suite, full_name="Andi")
    admit(suite, day["id"])
    suite.pump()
    [sent] = _welcomes(suite, day["id"])
    assert sent["status"] == "sent" and "Rumah Pulih" in sent["body"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "_body"),
        ({"slug": "other"}, "slug"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"quiet_hours": {"start": "25:00", "end": "07:00"}}, "quiet_hours.start"),
        ({"locale": "fr"}, "locale"),
        ({"name": ""}, "name"),
        ({"sender_name": "x" * 61}, "sender_name"),
    ],
)
def test_a_bad_foundation_change_is_422_and_changes_nothing(suite, body, field):
    before = create_foundation(suite)
    response = suite.client("intake").patch(
        "/foundations/medan-plus", json=body, headers=suite.headers("operator")
    )
    assert response.status_code == 422 and field in response.get_json()["errors"]
    after = suite.client("intake").get("/foundations/medan-plus", headers=suite.headers("operator"))
    assert after.get_json() == before


def test_only_an_operator_changes_a_foundation(suite, foundation):
    for role in ("admin", "social_worker", "viewer"):
        response = suite.client("intake").patch(
            "/foundations/medan-plus", json={"name": "Mine"}, headers=suite.headers(role)
        )
        assert response.status_code == 403
    missing = suite.client("intake").patch(
        "/foundations/nowhere", json={"name": "X"}, headers=suite.headers("operator")
    )
    assert missing.status_code == 404


def test_a_birth_date_is_a_day_that_has_come_in_the_foundations_calendar(suite):
    create_foundation(suite, timezone="Asia/Jayapura")  # UTC+9: its day starts first
    http = suite.client("intake")
    today = foundation_today("Asia/Jayapura")
    tomorrow = (today + timedelta(days=1)).isoformat()
    born_today = http.post(
        "/clients", headers=suite.headers(), json={"full_name": "Bayi", "date_of_birth": str(today)}
    )
    assert born_today.status_code == 201, born_today.get_json()
    refused = http.post(
        "/clients", headers=suite.headers(), json={"full_name": "Esok", "date_of_birth": tomorrow}
    )
    assert refused.status_code == 422 and "date_of_birth" in refused.get_json()["errors"]
    changed = http.patch(
        f"/clients/{born_today.get_json()['id']}",
        headers=suite.headers(),
        json={"date_of_birth": tomorrow},
    )
    assert changed.status_code == 422 and "date_of_birth" in changed.get_json()["errors"]
    estimated_alone = http.post(
        "/clients",
        headers=suite.headers(),
        json={"full_name": "Tanpa Tanggal", "date_of_birth_estimated": True},
    )
    assert estimated_alone.status_code == 422
    assert "date_of_birth_estimated" in estimated_alone.get_json()["errors"]
    listed = http.get("/clients", headers=suite.headers()).get_json()
    assert [c["full_name"] for c in listed["items"]] == ["Bayi"]
    kept = http.get(f"/clients/{born_today.get_json()['id']}", headers=suite.headers())
    assert kept.get_json()["date_of_birth"] == str(today)


def test_a_birth_date_that_makes_the_client_a_minor_needs_a_guardians_consent(suite, foundation):
    client = register_client(suite, date_of_birth="1990-05-01")  # consent given by the client
    http = suite.client("intake")
    minor = (foundation_today() - timedelta(days=365 * 15)).isoformat()
    refused = http.patch(
        f"/clients/{client['id']}", headers=suite.headers(), json={"date_of_birth": minor}
    )
    assert refused.status_code == 422 and "date_of_birth" in refused.get_json()["errors"]
    assert http.get(f"/clients/{client['id']}", headers=suite.headers()).get_json()[
        "date_of_birth"
    ] == ("1990-05-01")
    guardian = http.put(
        f"/clients/{client['id']}/consent",
        headers=suite.headers(),
        json={
            "contact_family": True,
            "share_progress": False,
            "given_by": "guardian",
            "guardian_name": "Ibu Sari",
        },
    )
    assert guardian.status_code == 200
    accepted = http.patch(
        f"/clients/{client['id']}", headers=suite.headers(), json={"date_of_birth": minor}
    )
    assert accepted.status_code == 200 and accepted.get_json()["date_of_birth"] == minor


def test_a_readmission_starts_no_earlier_than_the_last_discharge(suite, foundation):
    client = register_client(suite)
    admit(suite, client["id"])
    suite.pump()
    today = foundation_today()
    discharged = suite.client("assessment").post(
        f"/clients/{client['id']}/discharge",
        headers=suite.headers(),
        json={"reason": "dropped_out", "discharged_on": str(today)},
    )
    assert discharged.status_code == 200, discharged.get_json()
    suite.pump()
    http = suite.client("intake")
    backdated = http.post(
        f"/clients/{client['id']}/admission",
        headers=suite.headers(),
        json={"family_agreement": True, "admitted_on": str(today - timedelta(days=30))},
    )
    assert backdated.status_code == 422 and "admitted_on" in backdated.get_json()["errors"]
    after = http.get(f"/clients/{client['id']}", headers=suite.headers()).get_json()
    assert after["status"] == "discharged" and len(after["episodes"]) == 1
    readmitted = http.post(
        f"/clients/{client['id']}/admission",
        headers=suite.headers(),
        json={"family_agreement": True, "admitted_on": str(today)},
    )
    assert readmitted.status_code == 200 and len(readmitted.get_json()["episodes"]) == 2


def test_reading_screenings_or_consent_history_is_audited(suite, foundation):
    client = register_client(suite)
    http = suite.client("intake")
    http.get(f"/clients/{client['id']}/screenings", headers=suite.headers("viewer"))
    http.get(f"/clients/{client['id']}/consent/history", headers=suite.headers("counselor"))
    entries = http.get(
        f"/audit?resource_id={client['id']}", headers=suite.headers("admin")
    ).get_json()["items"]
    reads = sorted((e["action"], e["resource_type"], e["role"]) for e in entries)
    assert ("read", "screenings", "viewer") in reads
    assert ("read", "consent_history", "counselor") in reads


def test_a_phone_with_an_extension_is_refused_not_cut(suite, foundation):
    response = suite.client("intake").post(
        "/clients",
        headers=suite.headers(),
        json={"full_name": "Ext", "phone": "0812-3456-7890 ext. 12"},
    )
    assert response.status_code == 422 and "phone" in response.get_json()["errors"]


def test_the_same_nik_given_to_two_clients_at_once_is_one_409_not_a_500(suite, foundation):
    ids = [register_client(suite, full_name=f"Orang {i}")["id"] for i in range(4)]
    barrier = threading.Barrier(len(ids))
    answers: list = [None] * len(ids)

    def change(i: int) -> None:
        http = suite.client("intake")
        barrier.wait()
        answers[i] = http.patch(f"/clients/{ids[i]}", headers=suite.headers(), json={"nik": NIK})

    threads = [threading.Thread(target=change, args=(i,)) for i in range(len(ids))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200, 409, 409, 409], [a.get_json() for a in answers]
    (winner,) = [ids[i] for i, a in enumerate(answers) if a.status_code == 200]
    assert {a.get_json()["existing_client_id"] for a in answers if a.status_code == 409} == {winner}


def test_consent_given_later_lets_notifications_reach_the_family(suite, foundation):
    client = register_client(suite, consent={"contact_family": False})
    admit(suite, client["id"])
    suite.pump()
    assert _welcomes(suite, client["id"]) == []  # nobody to welcome without consent
    granted = suite.client("intake").put(
        f"/clients/{client['id']}/consent",
        headers=suite.headers(),
        json={"contact_family": True, "share_progress": False},
    )
    assert granted.status_code == 200
    suite.pump()
    session = suite.client("assessment").post(
        "/sessions",
        headers=suite.headers(),
        json={
            "kind": "family",
            "client_ids": [client["id"]],
            "starts_at": (datetime.now(ZoneInfo("UTC")) + timedelta(days=3)).isoformat(),
            "duration_minutes": 60,
        },
    )
    assert session.status_code == 201
    suite.pump()
    invitations = (
        suite.client("notifications")
        .get(
            f"/messages?client_id={client['id']}&template=family.session_invitation",
            headers=suite.headers(),
        )
        .get_json()["items"]
    )
    assert [(m["recipient"]["name"], m["status"]) for m in invitations] == [("Siti", "sent")]


def test_the_ipwl_recap_counts_registrations_by_the_foundations_calendar(suite, foundation):
    """Registered at 06:30 in Jakarta, which is 23:30 UTC the day before."""
    client = register_client(suite, full_name="Pagi")
    day = foundation_today() - timedelta(days=3)
    at = datetime.combine(day, datetime.min.time(), tzinfo=ZoneInfo("Asia/Jakarta"))
    with suite.runtime("intake").db.transaction() as db:
        db.execute(
            text("UPDATE clients SET created_at = :at WHERE id = :id"),
            {
                "at": (at + timedelta(hours=6, minutes=30)).astimezone(ZoneInfo("UTC")),
                "id": client["id"],
            },
        )

    def recap(on):
        rows = (
            suite.client("intake")
            .get(f"/reports/ipwl?from={on}&to={on}", headers=suite.headers("admin"))
            .get_json()["items"]
        )
        return [r["code"] for r in rows]

    assert recap(day) == [client["code"]]
    assert recap(day - timedelta(days=1)) == []


def test_an_admin_changes_a_staff_member_and_the_others_learn_it(suite, foundation):
    staff = add_staff(suite)
    http = suite.client("intake")
    left = http.patch(
        f"/staff/{staff['id']}", json={"active": False}, headers=suite.headers("admin")
    )
    assert left.status_code == 200 and left.get_json()["active"] is False
    suite.pump()
    with suite.runtime("notifications").db.transaction() as db:
        active = db.execute(
            text("SELECT active FROM staff WHERE id = :id"), {"id": staff["id"]}
        ).scalar()
    assert active in (False, 0)  # no more reminders or alerts
    assigned = http.post(
        "/clients",
        json={"full_name": "Baru", "case_worker_id": staff["id"]},
        headers=suite.headers(),
    )
    assert assigned.status_code == 422 and "case_worker_id" in assigned.get_json()["errors"]

    for body, field in (
        ({}, "_body"),
        ({"role": "boss"}, "role"),
        ({"active": "no"}, "active"),
        ({"email": "not-an-email"}, "email"),
        ({"id": "x"}, "id"),
    ):
        refused = http.patch(f"/staff/{staff['id']}", json=body, headers=suite.headers("admin"))
        assert refused.status_code == 422 and field in refused.get_json()["errors"], body
    for role in ("social_worker", "viewer"):
        assert (
            http.patch(
                f"/staff/{staff['id']}", json={"active": True}, headers=suite.headers(role)
            ).status_code
            == 403
        )
    foreign = http.patch(
        f"/staff/{staff['id']}", json={"active": True}, headers=suite.headers("admin", "yakita")
    )
    assert foreign.status_code == 404
    listed = http.get("/staff", headers=suite.headers()).get_json()["items"]
    assert [s["active"] for s in listed] == [False]  # nothing else changed it
