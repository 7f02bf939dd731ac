"""A transfer to another foundation of the deployment: the receiving foundation's admins see a
pseudonymised summary until they accept (not one identity value anywhere in it), and on
acceptance the client is registered there with the shared parts and nothing more, both
records linked; the family hears nothing. Only the receiving admins answer it."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text as sql

from tests.support.dates import foundation_today
from tests.support.factories import add_staff, admit, create_foundation, register_client

pytestmark = pytest.mark.integration

A, B, C = "medan-plus", "yakita-bali", "kasih-ibu"
BUDI = {
    "full_name": "Budi Santoso",
    "nik": "3271046504930002",
    "date_of_birth": "1993-04-25",
    "sex": "male",
    "phone": "0812-7391-4628",
    "address": "Jalan Merdeka 57, Medan",
    "primary_substances": ["methamphetamine", "cannabis"],
    "use_duration_months": 30,
    "route_of_use": "smoked",
    "family_contacts": [
        {
            "name": "Siti Aminah",
            "relationship": "mother",
            "phone": "0813-5572-9901",
            "channel": "sms",
        }
    ],
    "consent": {"contact_family": True, "share_progress": True},
}
#: every identity value of Budi's, in each form it could be written
IDENTITY = (
    "Budi",
    "Santoso",
    "3271046504930002",
    "0002",
    "1993-04-25",
    "1993",
    "81273914628",
    "0812-7391-4628",
    "Merdeka",
    "Siti",
    "Aminah",
    "81355729901",
)
NOTE = "Cerita tentang ayahnya yang keras."
REASON = "Pindah ke Bali bersama keluarga; lanjut rawat jalan"


def headers(suite, role: str = "social_worker", foundation: str = A) -> dict:
    return suite.headers(role, foundation)


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.get_json()
    return response.get_json()


@pytest.fixture
def transfer(suite) -> dict:
    """Budi at A: screened, admitted, assessed, a goal and a note; a partner for B; a
    referral to B sharing what ``share`` names (the test's parameter, default all)."""
    for slug in (A, B, C):
        create_foundation(suite, slug)
    worker = add_staff(suite, "Rahmat")
    budi = register_client(suite, case_worker_id=worker["id"], **BUDI)
    intake, assessment = suite.client("intake"), suite.client("assessment")
    ok(
        intake.post(
            f"/clients/{budi['id']}/screenings",
            json={"instrument": "DAST-10", "answers": [True] * 4 + [False] * 6},
            headers=headers(suite),
        ),
        201,
    )
    admit(suite, budi["id"])
    suite.pump()
    (due,) = ok(assessment.get(f"/assessments?client_id={budi['id']}", headers=headers(suite)))[
        "items"
    ]
    dimensions = {
        "withdrawal": 1,
        "biomedical": 1,
        "emotional_behavioral": 3,
        "readiness_to_change": 2,
        "relapse_potential": 2,
        "recovery_environment": 1,
    }
    ok(
        assessment.put(
            f"/assessments/{due['id']}",
            json={
                "dimensions": dimensions,
                "strengths": ["keluarga mendukung"],
                "limitations": ["belum bekerja"],
                "family_background": "Tinggal bersama ibunya, Siti",
                "notes": NOTE,
            },
            headers=headers(suite),
        )
    )
    ok(
        assessment.post(
            f"/clients/{budi['id']}/goals",
            json={"text": "Kembali bekerja di bengkel", "target_date": "2027-06-01"},
            headers=headers(suite),
        ),
        201,
    )
    ok(
        assessment.post(
            f"/clients/{budi['id']}/notes",
            json={"kind": "progress", "text": NOTE},
            headers=headers(suite),
        ),
        201,
    )
    partner = ok(
        intake.post(
            "/partners",
            json={"name": "Yayasan Yakita Bali", "kind": "foundation", "foundation_slug": B},
            headers=headers(suite, "admin"),
        ),
        201,
    )
    suite.pump()
    return {"budi": budi, "partner": partner, "worker": worker}


def refer(suite, transfer, share=("identity", "screening", "assessment", "plan")) -> dict:
    made = suite.client("intake").post(
        f"/clients/{transfer['budi']['id']}/referrals",
        json={
            "partner_id": transfer["partner"]["id"],
            "reason": REASON,
            "share": list(share),
            "consent": True,
        },
        headers=headers(suite),
    )
    suite.pump()
    return ok(made, 201)


def clients_of(suite, foundation: str) -> list[dict]:
    listed = suite.client("intake").get(
        "/clients?per_page=200", headers=headers(suite, "admin", foundation)
    )
    return ok(listed)["items"]


def test_the_receiving_foundation_sees_a_pseudonymised_summary_until_it_accepts(suite, transfer):
    made = refer(suite, transfer)
    assert made["to_foundation"] == B and made["status"] == "pending"
    intake = suite.client("intake")
    b_admin = headers(suite, "admin", B)

    listed = ok(intake.get("/referrals?direction=incoming", headers=b_admin))
    (incoming,) = listed["items"]
    one = ok(intake.get(f"/referrals/{made['id']}", headers=b_admin))
    assert one == incoming
    assert set(incoming) == {
        "id",
        "direction",
        "from_foundation",
        "from_foundation_name",
        "reason",
        "age_band",
        "sex",
        "substances",
        "shared",
        "status",
        "created_at",
        "updated_at",
    }
    assert incoming["from_foundation"] == A and incoming["from_foundation_name"] == f"Yayasan {A}"
    assert (incoming["reason"], incoming["sex"], incoming["status"]) == (REASON, "male", "pending")
    assert incoming["substances"] == ["methamphetamine", "cannabis"]
    assert incoming["shared"] == ["identity", "screening", "assessment", "plan"]
    assert incoming["age_band"] in ("25_34", "35_44")
    for text in (json.dumps(listed), json.dumps(one)):
        for value in IDENTITY + (transfer["budi"]["id"], transfer["budi"]["code"]):
            assert value not in text, value
    # the sender's records stay the sender's
    assert intake.get(f"/clients/{transfer['budi']['id']}", headers=b_admin).status_code == 404
    assert not any(c["full_name"] == "Budi Santoso" for c in clients_of(suite, B))


def test_only_the_receiving_admins_see_and_answer_it(suite, transfer):
    made = refer(suite, transfer)
    intake = suite.client("intake")
    url = f"/referrals/{made['id']}"
    for role, foundation in (("social_worker", B), ("counselor", B), ("viewer", B), ("admin", C)):
        who = headers(suite, role, foundation)
        assert intake.get(url, headers=who).status_code == 404, (role, foundation)
        answer = intake.patch(url, json={"status": "accepted"}, headers=who)
        assert answer.status_code in (403, 404), (role, foundation)
        assert ok(intake.get("/referrals", headers=who))["total"] == 0
    assert (
        ok(intake.get("/referrals?direction=incoming", headers=headers(suite, "admin", C)))["total"]
        == 0
    )
    # the sender may not answer for a foundation that answers itself
    sender = intake.patch(url, json={"status": "accepted"}, headers=headers(suite, "admin"))
    assert sender.status_code == 409 and sender.get_json()["code"] == "invalid_transition"
    # nor may the receiver revoke, or mark it done before accepting
    for status in ("revoked", "done"):
        refused = intake.patch(url, json={"status": status}, headers=headers(suite, "admin", B))
        assert refused.status_code == 409, status
    rejected = intake.patch(
        url,
        json={"status": "rejected", "note": "Kapasitas penuh"},
        headers=headers(suite, "admin", B),
    )
    assert ok(rejected)["status"] == "rejected" and "client_id" not in rejected.get_json()
    seen = ok(intake.get(url, headers=headers(suite)))
    assert [(h["status"], h["side"], h["note"]) for h in seen["history"]] == [
        ("pending", "sender", None),
        ("rejected", "receiver", "Kapasitas penuh"),
    ]
    assert seen["transferred_to"] is None
    # both logs have the answer: the sender's on its client, the receiver's on the referral
    a_audit = ok(
        intake.get(
            f"/audit?resource_id={transfer['budi']['id']}&per_page=200",
            headers=headers(suite, "admin"),
        )
    )
    assert "reject" in [e["action"] for e in a_audit["items"] if e["resource_type"] == "referral"]
    b_audit = ok(intake.get("/audit?per_page=200", headers=headers(suite, "admin", B)))
    entries = [(e["action"], e["resource_id"]) for e in b_audit["items"]]
    assert ("reject", made["id"]) in entries
    assert transfer["budi"]["id"] not in json.dumps(b_audit)


def test_acceptance_registers_the_client_there_with_the_shared_parts_and_nothing_more(
    suite, transfer
):
    made = refer(suite, transfer)
    intake, notifications = suite.client("intake"), suite.client("notifications")
    b_admin = headers(suite, "admin", B)
    before = clients_of(suite, B)
    accepted = ok(
        intake.patch(f"/referrals/{made['id']}", json={"status": "accepted"}, headers=b_admin)
    )
    suite.pump()
    new_id = accepted["client_id"]
    assert accepted["status"] == "accepted"
    after = clients_of(suite, B)
    assert [c["id"] for c in after if c["id"] not in {b["id"] for b in before}] == [new_id]

    client = ok(intake.get(f"/clients/{new_id}", headers=b_admin))
    assert client["code"].startswith("YB-") and client["status"] == "registered"
    assert (client["full_name"], client["nik"]) == ("Budi Santoso", "************0002")
    assert (client["date_of_birth"], client["sex"]) == ("1993-04-25", "male")
    assert (client["phone"], client["address"]) == ("+6281273914628", "Jalan Merdeka 57, Medan")
    assert client["primary_substances"] == ["methamphetamine", "cannabis"]
    assert client["referral"] == {"source": "other", "compulsory": False, "reference_no": None}
    assert client["family_contacts"] == [] and client["case_worker_id"] is None
    assert client["consent"]["contact_family"] is False
    assert client["consent"]["share_progress"] is False
    assert client["episodes"] == []
    assert client["transferred_from"] == {"foundation": A, "client_id": transfer["budi"]["id"]}
    screenings = ok(intake.get(f"/clients/{new_id}/screenings", headers=b_admin))["items"]
    assert [(s["instrument"], s["score"]) for s in screenings] == [
        ("DAST-10", 3)
    ]  # item 3 is reverse-scored
    assert ok(intake.get(f"/clients/{new_id}/consent/history", headers=b_admin)) == []

    sender = ok(intake.get(f"/clients/{transfer['budi']['id']}", headers=headers(suite)))
    assert sender["transferred_to"] == {"foundation": B, "client_id": new_id}
    assert sender["status"] == "admitted"  # still A's client, until A discharges him
    outgoing = ok(intake.get(f"/referrals/{made['id']}", headers=headers(suite)))
    assert outgoing["transferred_to"] == {"foundation": B, "client_id": new_id}

    # assessment knows the new client, with the sending foundation's summary and nothing else
    assessment = suite.client("assessment")
    view = ok(assessment.get(f"/clients/{new_id}", headers=b_admin))
    assert view["status"] == "registered" and view["assessment"] is None
    (summary,) = view["transfer_summaries"]
    assert summary["referral_id"] == made["id"] and summary["from_foundation"] == A
    assert summary["assessment"]["level"] == "residential"
    assert summary["assessment"]["strengths"] == ["keluarga mendukung"]
    assert summary["assessment"]["dimensions"]["emotional_behavioral"] == 3
    assert [g["text"] for g in summary["plan"]] == ["Kembali bekerja di bengkel"]
    assert NOTE not in json.dumps(view) and "Siti" not in json.dumps(view)
    assert ok(assessment.get(f"/clients/{new_id}/notes", headers=b_admin))["items"] == []
    assert ok(assessment.get(f"/clients/{new_id}/goals", headers=b_admin))["items"] == []
    # the family is told nothing: no message about the new client
    messages = ok(notifications.get(f"/messages?client_id={new_id}", headers=b_admin))
    assert messages["items"] == []
    # done, by the receiving side; the sender may no longer revoke it then
    done = intake.patch(f"/referrals/{made['id']}", json={"status": "done"}, headers=b_admin)
    assert ok(done)["status"] == "done" and done.get_json()["client_id"] == new_id
    late = intake.patch(
        f"/referrals/{made['id']}", json={"status": "revoked"}, headers=headers(suite)
    )
    assert late.status_code == 409
    b_audit = ok(intake.get(f"/audit?resource_id={new_id}", headers=b_admin))
    assert ("create", f"referral:{made['id']}") in [
        (e["action"], e["detail"]) for e in b_audit["items"]
    ]


def test_without_identity_the_new_record_is_named_by_its_code(suite, transfer):
    made = refer(suite, transfer, share=("screening",))
    b_admin = headers(suite, "admin", B)
    intake = suite.client("intake")
    accepted = ok(
        intake.patch(f"/referrals/{made['id']}", json={"status": "accepted"}, headers=b_admin)
    )
    suite.pump()
    client = ok(intake.get(f"/clients/{accepted['client_id']}", headers=b_admin))
    assert client["full_name"] == client["code"]
    assert (client["nik"], client["date_of_birth"], client["phone"]) == (None, None, None)
    assert client["sex"] is None and client["address"] is None
    assert client["primary_substances"] == ["methamphetamine", "cannabis"]
    view = ok(suite.client("assessment").get(f"/clients/{accepted['client_id']}", headers=b_admin))
    assert view["transfer_summaries"] == []  # neither assessment nor plan was shared


def test_a_client_the_receiving_foundation_knows_by_nik_is_linked_not_registered_again(
    suite, transfer
):
    known = register_client(suite, B, full_name="Budi S.", nik=BUDI["nik"])
    made = refer(suite, transfer, share=("identity",))
    b_admin = headers(suite, "admin", B)
    count = len(clients_of(suite, B))
    accepted = ok(
        suite.client("intake").patch(
            f"/referrals/{made['id']}", json={"status": "accepted"}, headers=b_admin
        )
    )
    assert accepted["client_id"] == known["id"] and len(clients_of(suite, B)) == count
    linked = ok(suite.client("intake").get(f"/clients/{known['id']}", headers=b_admin))
    assert linked["full_name"] == "Budi S."  # its own record, left as it was
    assert linked["transferred_from"]["client_id"] == transfer["budi"]["id"]


def test_a_client_transferred_again_brings_each_screening_once(suite, transfer):
    """Budi goes to B, where he is known by his NIK, twice: B's record holds A's screening
    once, not once per transfer."""
    known = register_client(suite, B, full_name="Budi S.", nik=BUDI["nik"])
    b_admin = headers(suite, "admin", B)
    for _ in range(2):
        made = refer(suite, transfer, share=("identity", "screening"))
        for status in ("accepted", "done"):  # the stay at B ends; later he comes again
            ok(
                suite.client("intake").patch(
                    f"/referrals/{made['id']}", json={"status": status}, headers=b_admin
                )
            )
        suite.pump()
    screenings = ok(
        suite.client("intake").get(f"/clients/{known['id']}/screenings", headers=b_admin)
    )
    assert [s["instrument"] for s in screenings["items"]] == ["DAST-10"]


def test_an_erased_clients_pending_referral_is_withdrawn(suite, transfer):
    made = refer(suite, transfer)
    budi = transfer["budi"]
    discharge = suite.client("assessment").post(
        f"/clients/{budi['id']}/discharge",
        json={"reason": "referred", "discharged_on": foundation_today().isoformat()},
        headers=headers(suite),
    )
    ok(discharge)
    suite.pump()
    erasure = suite.client("intake").post(
        f"/clients/{budi['id']}/data-requests",
        json={"kind": "erasure", "requested_by": "Budi"},
        headers=headers(suite, "admin"),
    )
    ok(erasure, 202)
    suite.pump()
    b_admin = headers(suite, "admin", B)
    seen = ok(suite.client("intake").get(f"/referrals/{made['id']}", headers=b_admin))
    assert seen["status"] == "revoked" and seen["reason"] == ""
    refused = suite.client("intake").patch(
        f"/referrals/{made['id']}", json={"status": "accepted"}, headers=b_admin
    )
    assert refused.status_code == 409
    # withdrawn as a revocation is: in its history, and in both foundations' audit logs
    sent = ok(suite.client("intake").get(f"/referrals/{made['id']}", headers=headers(suite)))
    assert [(h["status"], h["side"]) for h in sent["history"]] == [
        ("pending", "sender"),
        ("revoked", "sender"),
    ]
    b_audit = ok(suite.client("intake").get("/audit?per_page=200", headers=b_admin))
    assert ("revoke", made["id"]) in [(e["action"], e["resource_id"]) for e in b_audit["items"]]
    assert budi["id"] not in json.dumps(b_audit)
    a_audit = ok(
        suite.client("intake").get(
            f"/audit?resource_id={budi['id']}&per_page=200", headers=headers(suite, "admin")
        )
    )
    assert ("revoke", made["id"]) in [(e["action"], e["detail"]) for e in a_audit["items"]]
    # and said, as every change of a referral is (referral.changed)
    with suite.runtime("intake").db.engine.connect() as conn:
        last = conn.execute(
            sql("SELECT envelope FROM outbox WHERE subject = :id ORDER BY sequence DESC"),
            {"id": made["id"]},
        ).scalar()
    assert json.loads(last)["data"]["status"] == "revoked"
