"""The HTTP contract every service keeps: tokens, roles, tenants, problems, pagination."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from shared.auth import issue_token
from tests.support.factories import admit, create_foundation, register_client

pytestmark = pytest.mark.integration

PROBLEM = "application/problem+json"


@pytest.fixture
def admitted(suite):
    create_foundation(suite)
    client = register_client(suite)
    admit(suite, client["id"])
    suite.pump()
    return client


@pytest.mark.parametrize("service", ["intake", "assessment", "notifications"])
def test_probes_and_docs_need_no_token(suite, service):
    http = suite.client(service)
    assert http.get("/health").status_code == 200
    assert http.get("/ready").get_json()["checks"] == {"database": "ok", "broker": "ok"}
    spec = http.get("/openapi.json").get_json()
    assert spec["openapi"].startswith("3.") and spec["paths"]
    assert http.get("/docs").status_code == 200


def test_ready_needs_the_broker_unless_a_probe_says_it_is_optional(suite, settings):
    from dataclasses import replace

    from ops import devredis
    from services.intake.app import create_app as create_intake

    dead_redis = f"redis://127.0.0.1:{devredis.free_port()}/0"
    offline = create_intake(replace(settings, redis_url=dead_redis))
    http = offline.test_client()
    strict = http.get("/ready")
    assert strict.status_code == 503 and strict.get_json()["status"] == "unavailable"
    assert strict.get_json()["checks"]["database"] == "ok"
    assert strict.get_json()["checks"]["broker"] != "ok"
    # what Kubernetes asks: the API serves (writes keep their events in the outbox)
    serving = http.get("/ready?broker=optional")
    assert serving.status_code == 200 and serving.get_json()["status"] == "ok"
    assert serving.get_json()["checks"] == strict.get_json()["checks"]
    offline.extensions["pendamping"].db.dispose()


@pytest.mark.parametrize(
    ("service", "path"),
    [("intake", "/clients"), ("assessment", "/assessments"), ("notifications", "/messages")],
)
@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Bearer",
        "Bearer not-a-jwt",
        "Basic dXNlcjpwYXNz",
        "Bearer {expired}",
        "Bearer {forged}",
    ],
)
def test_missing_or_invalid_tokens_are_401(suite, service, path, authorization):
    expired = issue_token(
        suite.settings.secret_key, sub="x", role="admin", foundation="medan-plus", ttl_seconds=-5
    )
    forged = issue_token(
        "another-secret-of-sufficient-length", sub="x", role="admin", foundation="medan-plus"
    )
    headers = {}
    if authorization:
        headers["Authorization"] = authorization.format(expired=expired, forged=forged)
    response = suite.client(service).get(path, headers=headers)
    assert response.status_code == 401
    assert response.mimetype == PROBLEM
    assert response.get_json()["status"] == 401


@pytest.mark.parametrize(
    ("service", "path", "body"),
    [
        ("intake", "/partners", {"name": "BLK Medan", "kind": "vocational"}),
        (
            "assessment",
            "/programs",
            {"name": "Rawat inap", "kind": "residential", "capacity": 10, "duration_days": 90},
        ),
    ],
)
@pytest.mark.parametrize(
    "claims", [{"sub": "x" * 80}, {"foundation": "f" * 50}], ids=["long sub", "long foundation"]
)
def test_a_token_naming_more_than_the_records_keep_is_401_not_a_500(
    suite, service, path, body, claims
):
    """PostgreSQL refuses a 65th character of ``created_by`` or an audit entry's actor: the
    token that asks for it is refused first, and nothing is written."""
    create_foundation(suite)
    token = suite.token("admin", **{"sub": "staff-1", "foundation": "medan-plus", **claims})
    http = suite.client(service)
    written = http.post(path, json=body, headers={"Authorization": f"Bearer {token}"})
    assert written.status_code == 401, written.get_data(as_text=True)
    assert written.get_json()["code"] == "token_invalid"
    with suite.runtime(service).db.engine.connect() as db:  # under any foundation
        assert db.execute(text(f"SELECT count(*) FROM {path.strip('/')}")).scalar() == 0


def test_roles(suite):
    intake = suite.client("intake")
    body = {"slug": "yakita", "name": "Yakita"}
    assert intake.post("/foundations", json=body, headers=suite.headers("admin")).status_code == 403
    assert (
        intake.post("/foundations", json=body, headers=suite.headers("operator")).status_code == 201
    )
    create_foundation(suite)
    viewer = intake.post("/clients", json={"full_name": "Ani"}, headers=suite.headers("viewer"))
    assert viewer.status_code == 403 and viewer.mimetype == PROBLEM
    # an operator manages foundations, not clients
    assert intake.get("/clients", headers=suite.headers("operator")).status_code == 403
    assert intake.get("/clients", headers=suite.headers("viewer")).status_code == 200


def test_another_foundation_sees_nothing(suite, admitted):
    other = suite.headers(foundation="yakita")
    client_id = admitted["id"]
    assert suite.client("intake").get(f"/clients/{client_id}", headers=other).status_code == 404
    assert suite.client("intake").get("/clients", headers=other).get_json()["total"] == 0
    assert (
        suite.client("intake")
        .post(f"/clients/{client_id}/admission", json={"family_agreement": True}, headers=other)
        .status_code
        == 404
    )
    assert suite.client("assessment").get(f"/clients/{client_id}", headers=other).status_code == 404
    assert (
        suite.client("assessment")
        .get(f"/assessments?client_id={client_id}", headers=other)
        .get_json()["total"]
        == 0
    )
    messages = suite.client("notifications").get(f"/messages?client_id={client_id}", headers=other)
    assert messages.get_json()["total"] == 0
    own = suite.client("notifications").get(
        f"/messages?client_id={client_id}", headers=suite.headers()
    )
    message_id = own.get_json()["items"][0]["id"]
    assert (
        suite.client("notifications").get(f"/messages/{message_id}", headers=other).status_code
        == 404
    )
    assert suite.client("intake").get("/foundations/medan-plus", headers=other).status_code == 404


@pytest.mark.parametrize(
    "path", ["/clients/not-a-uuid", "/clients/00000000-0000-0000-0000-000000000000"]
)
def test_unknown_ids_are_404(suite, path):
    response = suite.client("intake").get(path, headers=suite.headers())
    assert response.status_code == 404 and response.mimetype == PROBLEM


@pytest.mark.parametrize(
    "raw",
    [b'{"full_name": "Budi"', b"not json", b'{"full_name": "Budi",}', b"\xff\xfe"],
)
def test_malformed_json_is_400_and_stores_nothing(suite, raw):
    create_foundation(suite)
    response = suite.client("intake").post(
        "/clients", data=raw, headers={**suite.headers(), "Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.mimetype == PROBLEM
    assert suite.client("intake").get("/clients", headers=suite.headers()).get_json()["total"] == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"full_name": 5}, "full_name"),
        ({}, "full_name"),
        ({"full_name": "   "}, "full_name"),
        ({"full_name": "x" * 201}, "full_name"),
        ({"full_name": "Budi", "unexpected": 1}, "unexpected"),
        ({"full_name": "Budi", "consent": {"contact_family": "yes"}}, "consent.contact_family"),
        ({"full_name": "Budi", "consent": {"given_by": "guardian"}}, "consent.guardian_name"),
        ({"full_name": "Budi", "family_contacts": "Siti"}, "family_contacts"),
        (
            {
                "full_name": "Budi",
                "family_contacts": [
                    {"name": "Siti", "relationship": "mother", "phone": "12", "channel": "sms"}
                ],
            },
            "family_contacts.0.phone",
        ),
        (
            {
                "full_name": "Budi",
                "family_contacts": [{"name": "Siti", "relationship": "mother", "channel": "sms"}],
            },
            "family_contacts.0.phone",
        ),
        (
            {
                "full_name": "Budi",
                "family_contacts": [
                    {
                        "name": "Siti",
                        "relationship": "mother",
                        "phone": "081234567890",
                        "channel": "pigeon",
                    }
                ],
            },
            "family_contacts.0.channel",
        ),
        ([1, 2], "_body"),
    ],
)
def test_invalid_fields_are_422_naming_the_field(suite, body, field):
    create_foundation(suite)
    response = suite.client("intake").post("/clients", json=body, headers=suite.headers())
    assert response.status_code == 422, response.get_json()
    problem = response.get_json()
    assert response.mimetype == PROBLEM
    assert field in problem["errors"], problem
    assert suite.client("intake").get("/clients", headers=suite.headers()).get_json()["total"] == 0


@pytest.mark.parametrize(
    "body",
    [
        {"family_agreement": "true"},
        {},
        {"family_agreement": True, "admitted_on": "2999-01-01"},
        {"family_agreement": True, "admitted_on": "2026-02-30"},
    ],
)
def test_bad_admissions_are_422_and_change_nothing(suite, body):
    create_foundation(suite)
    client = register_client(suite)
    response = suite.client("intake").post(
        f"/clients/{client['id']}/admission", json=body, headers=suite.headers()
    )
    assert response.status_code == 422
    after = (
        suite.client("intake").get(f"/clients/{client['id']}", headers=suite.headers()).get_json()
    )
    assert after["status"] == "registered" and after["episodes"] == []


def test_foundation_slug_is_unique(suite):
    create_foundation(suite)
    again = suite.client("intake").post(
        "/foundations",
        json={"slug": "medan-plus", "name": "Again"},
        headers=suite.headers("operator"),
    )
    assert again.status_code == 409 and again.mimetype == PROBLEM


@pytest.mark.parametrize("query", ["per_page=0", "per_page=201", "page=0", "page=abc"])
def test_pagination_bounds(suite, query):
    response = suite.client("intake").get(f"/clients?{query}", headers=suite.headers())
    assert response.status_code == 422


def test_pagination_pages(suite):
    create_foundation(suite)
    for _ in range(3):
        register_client(suite)
    page = (
        suite.client("intake").get("/clients?per_page=2&page=2", headers=suite.headers()).get_json()
    )
    assert (page["total"], page["page"], page["per_page"], len(page["items"])) == (3, 2, 2, 1)
    codes = {
        c["code"]
        for c in suite.client("intake").get("/clients", headers=suite.headers()).get_json()["items"]
    }
    assert len(codes) == 3
