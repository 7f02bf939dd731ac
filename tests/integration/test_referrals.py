"""Referral and partners in intake: a foundation's partners, referrals resting on consent or
an admin's reasoned override, each transition allowed and refused, every change audited, and
the case worker reminded of a referral nobody answered for a week."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update

from services.intake.models import Partner, Referral
from tests.support.factories import add_staff, create_foundation, register_client

pytestmark = pytest.mark.integration

A, B = "medan-plus", "yakita-bali"


def admin(suite, foundation: str = A) -> dict:
    return suite.headers("admin", foundation)


def add_partner(suite, foundation: str = A, **body) -> dict:
    body = {"name": "Bengkel Motor Sejahtera", "kind": "vocational", **body}
    response = suite.client("intake").post("/partners", json=body, headers=admin(suite, foundation))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def refer(suite, client_id: str, partner_id: str, role: str = "social_worker", **body):
    body = {
        "partner_id": partner_id,
        "reason": "Pelatihan kerja setelah program",
        "share": ["identity"],
        "consent": True,
        **body,
    }
    return suite.client("intake").post(
        f"/clients/{client_id}/referrals", json=body, headers=suite.headers(role, A)
    )


def patch(suite, referral_id: str, status: str, headers: dict, **body):
    return suite.client("intake").patch(
        f"/referrals/{referral_id}", json={"status": status, **body}, headers=headers
    )


@pytest.fixture
def world(suite) -> dict:
    create_foundation(suite, A)
    create_foundation(suite, B)
    worker = add_staff(suite, "Rahmat")
    client = register_client(suite, case_worker_id=worker["id"])
    return {"worker": worker, "client": client, "partner": add_partner(suite)}


# --- partners ----------------------------------------------------------------------------------


def test_admins_keep_the_foundations_partners(suite, world):
    intake = suite.client("intake")
    hospital = add_partner(
        suite,
        name="RSJ Prof. Ildrem",
        kind="hospital",
        email="rujukan@rsj.example",
        phone="061-8360405",
    )
    assert hospital["email"] == "rujukan@rsj.example" and hospital["phone"] == "+62618360405"
    assert hospital["active"] is True and hospital["foundation_slug"] is None
    yakita = add_partner(suite, name="Yayasan Yakita Bali", kind="foundation", foundation_slug=B)
    assert yakita["foundation_slug"] == B
    # an organisation's contact, under the deployment keys: never plaintext in the table
    with suite.runtime("intake").db.transaction() as session:
        raw = session.connection().exec_driver_sql("SELECT email FROM partners").scalars().all()
    assert raw and "rujukan@rsj.example" not in str(raw)

    sw = suite.headers("social_worker", A)
    listed = intake.get("/partners", headers=sw).get_json()
    assert [p["name"] for p in listed["items"]] == [
        "Bengkel Motor Sejahtera",
        "RSJ Prof. Ildrem",
        "Yayasan Yakita Bali",
    ]
    assert (
        intake.post("/partners", json={"name": "X", "kind": "other"}, headers=sw).status_code == 403
    )
    assert (
        intake.get(f"/partners/{hospital['id']}", headers=sw).get_json()["name"]
        == "RSJ Prof. Ildrem"
    )

    left = intake.patch(f"/partners/{hospital['id']}", json={"active": False}, headers=admin(suite))
    assert left.status_code == 200 and left.get_json()["active"] is False
    active = intake.get("/partners?active=true", headers=sw).get_json()
    assert hospital["id"] not in [p["id"] for p in active["items"]]
    assert intake.get("/partners?kind=foundation", headers=sw).get_json()["total"] == 1
    renamed = intake.patch(
        f"/partners/{world['partner']['id']}", json={"name": "Bengkel Jaya"}, headers=admin(suite)
    )
    assert renamed.get_json()["name"] == "Bengkel Jaya"
    empty = intake.patch(f"/partners/{hospital['id']}", json={}, headers=admin(suite))
    assert empty.status_code == 422
    # B's admin has no such partner; nor does anyone, for an unknown id
    assert intake.get(f"/partners/{hospital['id']}", headers=admin(suite, B)).status_code == 404
    unknown = intake.patch("/partners/nope", json={"active": False}, headers=admin(suite))
    assert unknown.status_code == 404 and unknown.get_json()["code"] == "partner_not_found"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"kind": "foundation", "foundation_slug": "no-such-foundation"}, "foundation_unknown"),
        ({"kind": "foundation", "foundation_slug": A}, "own_foundation"),
        ({"kind": "hospital", "foundation_slug": B}, "foundation_slug_not_foundation"),
        ({"kind": "foundation", "foundation_slug": "Bad Slug"}, "slug_format"),
    ],
)
def test_a_foundation_partner_names_another_foundation_of_the_deployment(suite, world, body, code):
    refused = suite.client("intake").post(
        "/partners", json={"name": "Yayasan", **body}, headers=admin(suite)
    )
    assert refused.status_code == 422, refused.get_json()
    assert refused.get_json()["error_codes"]["foundation_slug"] == [code]


def test_a_partner_outside_the_deployment_may_still_be_a_foundation(suite, world):
    outside = add_partner(suite, name="Yayasan di Aceh", kind="foundation")
    assert outside["foundation_slug"] is None
    referral = refer(suite, world["client"]["id"], outside["id"])
    assert referral.status_code == 201 and referral.get_json()["to_foundation"] is None


# --- consent and override -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "body"),
    [
        ("social_worker", {"consent": False}),
        ("counselor", {"consent": False, "override_reason": "Perintah pengadilan"}),
        ("social_worker", {"consent": False, "override_reason": "Perintah pengadilan"}),
        ("admin", {"consent": False}),
        ("admin", {"consent": False, "override_reason": None}),
    ],
)
def test_without_consent_only_an_admin_with_a_reason_refers(suite, world, role, body):
    refused = refer(suite, world["client"]["id"], world["partner"]["id"], role, **body)
    assert refused.status_code == 422, refused.get_json()
    problem = refused.get_json()
    assert problem["code"] == "consent_required"
    assert problem["error_codes"]["consent"] == ["consent_required"]
    listed = suite.client("intake").get("/referrals", headers=admin(suite)).get_json()
    assert listed["total"] == 0  # a request that fails changes nothing


def test_consent_or_an_admins_override_and_each_is_audited_as_such(suite, world):
    client_id, partner_id = world["client"]["id"], world["partner"]["id"]
    consented = refer(suite, client_id, partner_id, "counselor", override_reason="ignored")
    assert consented.status_code == 201, consented.get_json()
    body = consented.get_json()
    assert (body["status"], body["consent"], body["override_reason"]) == ("pending", True, None)
    assert body["direction"] == "outgoing" and body["client_code"] == world["client"]["code"]
    assert body["share"] == ["identity"] and body["partner"]["name"] == "Bengkel Motor Sejahtera"
    assert [h["status"] for h in body["history"]] == ["pending"]

    court = add_partner(suite, name="LBH Medan", kind="legal_aid")
    overridden = refer(
        suite,
        client_id,
        court["id"],
        "admin",
        consent=False,
        override_reason="Klien tidak dapat dihubungi; sidang besok",
        share=["plan", "identity", "plan"],
    )
    assert overridden.status_code == 201, overridden.get_json()
    override = overridden.get_json()
    assert override["consent"] is False
    assert override["override_reason"] == "Klien tidak dapat dihubungi; sidang besok"
    assert override["share"] == ["identity", "plan"]  # each once, in order

    audit = suite.client("intake").get(
        f"/audit?resource_id={client_id}&per_page=200", headers=admin(suite)
    )
    entries = [e for e in audit.get_json()["items"] if e["resource_type"] == "referral"]
    assert sorted((e["action"], e["detail"]) for e in entries) == sorted(
        [("refer", body["id"]), ("refer_override", override["id"])]
    )
    # the reasons are under the client's key in the table
    with suite.runtime("intake").db.transaction() as session:
        raw = session.connection().exec_driver_sql("SELECT reason, override_reason FROM referrals")
        stored = [value for row in raw for value in row if value]
    assert all(value.startswith(f"c1:{client_id}:") for value in stored), stored


def test_a_referral_names_an_active_partner_of_the_foundation_once_while_open(suite, world):
    client_id, partner_id = world["client"]["id"], world["partner"]["id"]
    other = add_partner(suite, B, name="Bengkel di Bali")
    for unknown in ("no-such-partner", other["id"]):
        refused = refer(suite, client_id, unknown)
        assert refused.status_code == 422
        assert refused.get_json()["error_codes"]["partner_id"] == ["partner_not_found"]
    assert refer(suite, client_id, partner_id).status_code == 201
    again = refer(suite, client_id, partner_id)
    assert again.status_code == 409 and again.get_json()["code"] == "referral_open"
    suite.client("intake").patch(
        f"/partners/{partner_id}", json={"active": False}, headers=admin(suite)
    )
    retired = add_partner(suite, name="Sanggar Futsal", kind="sports")
    suite.client("intake").patch(
        f"/partners/{retired['id']}", json={"active": False}, headers=admin(suite)
    )
    inactive = refer(suite, client_id, retired["id"])
    assert inactive.get_json()["error_codes"]["partner_id"] == ["partner_inactive"]
    for bad, field in (
        ({"share": ["identity", "diary"]}, "share.1"),
        ({"reason": ""}, "reason"),
        ({"consent": "yes"}, "consent"),
    ):
        assert field in refer(suite, client_id, partner_id, **bad).get_json()["errors"], bad
    viewer = suite.client("intake").post(
        f"/clients/{client_id}/referrals",
        json={"partner_id": partner_id, "reason": "x", "consent": True},
        headers=suite.headers("viewer", A),
    )
    assert viewer.status_code == 403


# --- transitions --------------------------------------------------------------------------------


def _referral(suite, world) -> str:
    made = refer(suite, world["client"]["id"], world["partner"]["id"])
    assert made.status_code == 201, made.get_json()
    return made.get_json()["id"]


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        # for a partner outside the deployment the sender records every answer
        (["accepted", "done"], ["pending", "accepted", "rejected", "revoked"]),
        (["rejected"], ["accepted", "done", "revoked", "rejected"]),
        (["revoked"], ["accepted", "rejected", "done", "revoked"]),
        (["accepted", "revoked"], ["accepted", "done", "rejected"]),
    ],
)
def test_each_transition_is_allowed_once_and_the_rest_refused(suite, world, path, refused):
    referral_id = _referral(suite, world)
    sw = suite.headers("social_worker", A)
    early = patch(suite, referral_id, "done", sw)
    assert early.status_code == 409 and early.get_json()["code"] == "invalid_transition"
    assert early.get_json()["referral_status"] == "pending"
    for status in path:
        moved = patch(suite, referral_id, status, sw, note=f"catatan {status}")
        assert moved.status_code == 200, moved.get_json()
        assert moved.get_json()["status"] == status
    for status in refused:
        answer = patch(suite, referral_id, status, sw)
        expected = 422 if status == "pending" else 409
        assert answer.status_code == expected, (status, answer.get_json())
    history = suite.client("intake").get(f"/referrals/{referral_id}", headers=sw).get_json()
    assert [h["status"] for h in history["history"]] == ["pending", *path]
    assert [h["note"] for h in history["history"]] == [None, *[f"catatan {s}" for s in path]]
    audit = suite.client("intake").get(
        f"/audit?resource_id={world['client']['id']}&per_page=200", headers=admin(suite)
    )
    actions = [e["action"] for e in audit.get_json()["items"] if e["resource_type"] == "referral"]
    names = {"accepted": "accept", "rejected": "reject", "done": "complete", "revoked": "revoke"}
    assert sorted(actions) == sorted(["refer", *[names[s] for s in path]])


def test_the_list_filters_by_status_client_and_partner(suite, world):
    first = _referral(suite, world)
    hospital = add_partner(suite, name="RSUD", kind="hospital")
    second = refer(suite, world["client"]["id"], hospital["id"]).get_json()["id"]
    patch(suite, second, "accepted", suite.headers("social_worker", A))
    intake = suite.client("intake")
    sw = suite.headers("social_worker", A)

    def ids(query: str) -> list[str]:
        answer = intake.get(f"/referrals?{query}", headers=sw)
        assert answer.status_code == 200, answer.get_json()
        return [r["id"] for r in answer.get_json()["items"]]

    assert ids("") == [second, first]  # newest first
    assert ids("status=pending") == [first]
    assert ids(f"partner_id={hospital['id']}") == [second]
    assert ids(f"client_id={world['client']['id']}&status=accepted") == [second]
    assert ids("direction=outgoing&status=done") == []
    clients = intake.get(f"/clients/{world['client']['id']}/referrals", headers=sw).get_json()
    assert [r["id"] for r in clients["items"]] == [second, first]
    assert intake.get("/referrals?direction=sideways", headers=sw).status_code == 422
    # incoming referrals are the admins'
    assert intake.get("/referrals?direction=incoming", headers=sw).status_code == 403
    assert (
        intake.get("/referrals?direction=incoming", headers=admin(suite)).get_json()["total"] == 0
    )


# --- the case worker's reminder -----------------------------------------------------------------


def _reminders(suite, client_id: str) -> list[dict]:
    answer = suite.client("notifications").get(
        f"/messages?client_id={client_id}&template=staff.referral_pending", headers=admin(suite)
    )
    return answer.get_json()["items"]


def test_a_referral_pending_a_week_reminds_the_case_worker_until_it_is_answered(suite, world):
    client_id = world["client"]["id"]
    made = refer(suite, client_id, world["partner"]["id"]).get_json()
    suite.pump()
    (reminder,) = _reminders(suite, client_id)
    assert reminder["status"] == "scheduled"
    assert reminder["recipient"]["id"] == world["worker"]["id"]
    week = datetime.fromisoformat(made["created_at"]) + timedelta(days=7)
    assert abs(datetime.fromisoformat(reminder["scheduled_for"]) - week) < timedelta(seconds=1)

    # a week on, nobody has answered: it goes, in the foundation's language
    with suite.runtime("notifications").db.transaction() as session:
        from services.notifications.models import Message

        session.execute(
            update(Message)
            .where(Message.id == reminder["id"])
            .values(
                scheduled_for=datetime.fromisoformat(reminder["scheduled_for"]) - timedelta(days=8)
            )
        )
    suite.run_task("notifications", "notifications.dispatch_due", [])
    suite.pump()
    (sent,) = _reminders(suite, client_id)
    assert sent["status"] == "sent", sent
    assert "belum dijawab" in sent["body"] and "Bengkel Motor Sejahtera" in sent["body"]
    assert world["client"]["code"] in sent["body"]

    # another referral, answered within the week: its reminder is cancelled
    hospital = add_partner(suite, name="RSUD", kind="hospital")
    answered = refer(suite, client_id, hospital["id"]).get_json()
    suite.pump()
    assert patch(suite, answered["id"], "rejected", suite.headers()).status_code == 200
    suite.pump()
    cancelled = [m for m in _reminders(suite, client_id) if m["status"] == "cancelled"]
    assert len(cancelled) == 1 and cancelled[0]["reason_code"] == "referral_answered"
    assert len(_reminders(suite, client_id)) == 2


def test_a_partners_edit_does_not_move_a_referral_already_made(suite, world):
    yakita = add_partner(suite, name="Yayasan Yakita", kind="foundation", foundation_slug=B)
    made = refer(suite, world["client"]["id"], yakita["id"]).get_json()
    assert made["to_foundation"] == B
    changed = suite.client("intake").patch(
        f"/partners/{yakita['id']}",
        json={"kind": "other", "foundation_slug": None},
        headers=admin(suite),
    )
    assert changed.status_code == 200, changed.get_json()
    with suite.runtime("intake").db.transaction() as session:
        assert session.execute(select(Referral.to_foundation)).scalar() == B
        assert (
            session.execute(select(Partner.kind).where(Partner.id == yakita["id"])).scalar()
            == "other"
        )
