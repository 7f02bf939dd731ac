"""Two changes of one record at the same moment, made to overlap at the statement where one
of them reads the record (``tests.support.races``): the second takes its turn and sees what
the first left, and no state read before the other's change is published over it. On
PostgreSQL only: SQLite's writers take turns, so these overlaps cannot happen there."""

from __future__ import annotations

import pytest

from tests.support.dates import foundation_today
from tests.support.factories import (
    admit,
    assert_no_one_to_write_to,
    create_foundation,
    register_client,
)
from tests.support.races import overlap

pytestmark = pytest.mark.integration

SMS_CONTACT = {
    "name": "Siti",
    "relationship": "mother",
    "phone": "0812-3456-7890",
    "channel": "sms",
}


def overlapping_engine(suite, service: str):
    """``service``'s engine, for the overlap, once the foundation exists (PostgreSQL only)."""
    runtime = suite.runtime(service)
    if runtime.db.is_sqlite:
        pytest.skip("SQLite serialises writers: the overlap needs PostgreSQL")
    create_foundation(suite)
    suite.pump()
    return runtime.db.engine


@pytest.fixture
def intake_db(suite):
    return overlapping_engine(suite, "intake")


@pytest.fixture
def assessment_db(suite):
    return overlapping_engine(suite, "assessment")


def request(
    suite,
    method: str,
    path: str,
    body: dict,
    role: str = "social_worker",
    service: str = "intake",
):
    """A request to ``service``, made from whichever thread calls it."""

    def made():
        client = suite.client(service)
        return getattr(client, method)(path, json=body, headers=suite.headers(role))

    return made


def assessment_request(suite, method: str, path: str, body: dict, role: str = "social_worker"):
    return request(suite, method, path, body, role, service="assessment")


def test_a_consent_withdrawn_while_the_address_changes_stays_withdrawn(suite, intake_db):
    client = register_client(suite, family_contacts=[SMS_CONTACT])
    suite.pump()  # notifications knows the family may be written to
    moved, withdrawn = overlap(
        intake_db,
        request(suite, "patch", f"/clients/{client['id']}", {"address": "Jl. Baru 1, Medan"}),
        request(
            suite,
            "put",
            f"/clients/{client['id']}/consent",
            {"contact_family": False, "share_progress": False},
        ),
        pause_after="SELECT clients.",
    )
    assert (moved.status_code, withdrawn.status_code) == (200, 200)
    suite.pump()
    consent = suite.client("intake").get(f"/clients/{client['id']}", headers=suite.headers())
    assert consent.get_json()["consent"]["contact_family"] is False
    assert consent.get_json()["address"] == "Jl. Baru 1, Medan"
    # The consent is withdrawn in notifications too: intake shares no contact of the
    # family's any more, so there is no one to write to. Had the address change published
    # the consent it read before the withdrawal, this would be a message to the family.
    assert_no_one_to_write_to(suite, client["family_contacts"][0]["id"])


def test_an_admission_sent_twice_at_once_admits_once_and_refuses_the_other(suite, intake_db):
    client = register_client(suite)
    path, body = f"/clients/{client['id']}/admission", {"family_agreement": True}
    first, second = overlap(
        intake_db,
        request(suite, "post", path, body),
        request(suite, "post", path, body),
        pause_after="SELECT clients.",
    )
    assert (first.status_code, second.status_code) == (200, 409), second.get_json()
    assert second.get_json()["code"] == "client_already_admitted"
    episodes = suite.client("intake").get(f"/clients/{client['id']}", headers=suite.headers())
    assert episodes.get_json()["status"] == "admitted"


def test_two_services_answering_a_data_request_at_once_complete_it(suite, intake_db):
    client = register_client(suite)
    admit(suite, client["id"])
    suite.pump()
    opened = suite.client("intake").post(
        f"/clients/{client['id']}/data-requests",
        json={"kind": "access", "requested_by": "Budi sendiri"},
        headers=suite.headers("admin"),
    )
    assert opened.status_code == 202, opened.get_json()
    for _ in range(3):  # the request reaches assessment and notifications, which answer it
        suite.flush_publishers()
        for service in ("assessment", "notifications"):
            for name, args in suite.take(service):
                suite.run_task(service, name, args)
    suite.flush_publishers()
    answers = [
        task
        for task in suite.take("intake")
        if task[1][0]["type"].startswith("data_request.") and task[1][0]["type"].endswith("_part")
    ]
    assert sorted(task[1][0]["type"] for task in answers) == [
        "data_request.assessment_part",
        "data_request.notifications_part",
    ]

    def apply(task):
        return lambda: suite.run_task("intake", task[0], task[1])

    overlap(
        intake_db, apply(answers[0]), apply(answers[1]), pause_after="SELECT data_request_parts."
    )
    request_id = opened.get_json()["id"]
    answered = suite.client("intake").get(
        f"/data-requests/{request_id}", headers=suite.headers("admin")
    )
    assert answered.get_json()["status"] == "complete", answered.get_json()


# --- rows made on first need -------------------------------------------------------------------


def test_two_notes_at_once_about_a_client_with_no_flag_yet_both_land(suite, assessment_db):
    """Each note recomputes the client's early-warning flag, made on first need: the second
    writer waits for the first's flag instead of inserting its own (a 500 before)."""
    client = register_client(suite)
    suite.pump()
    path = f"/clients/{client['id']}/notes"
    first, second = overlap(
        assessment_db,
        assessment_request(
            suite, "post", path, {"kind": "progress", "text": "Datang tepat waktu."}
        ),
        assessment_request(suite, "post", path, {"kind": "progress", "text": "Ikut kelompok."}),
        pause_after="FROM risk_flags",
    )
    assert (first.status_code, second.status_code) == (201, 201), second.get_json()
    notes = suite.client("assessment").get(path, headers=suite.headers()).get_json()
    assert notes["total"] == 2
    flag = suite.client("assessment").get(f"/clients/{client['id']}/risk", headers=suite.headers())
    assert flag.status_code == 200 and flag.get_json()["level"] == "none"


def test_two_admins_setting_the_first_thresholds_at_once_take_turns(suite, assessment_db):
    first, second = overlap(
        assessment_db,
        assessment_request(suite, "put", "/risk/settings", {"behaviour_notes_count": 2}, "admin"),
        assessment_request(suite, "put", "/risk/settings", {"behaviour_notes_count": 4}, "admin"),
        pause_after="FROM risk_settings",
    )
    assert (first.status_code, second.status_code) == (200, 200), second.get_json()
    shown = suite.client("assessment").get("/risk/settings", headers=suite.headers("admin"))
    assert shown.get_json()["thresholds"]["behaviour_notes_count"] == 4  # the later one's


def test_a_second_placement_and_a_discharge_at_once_take_turns(suite, assessment_db):
    """A client placed in a programme; a second placement into it (a double submission)
    and the discharge arrive at once. Each locks the client and the programme: in the same
    order, so one waits for the other. In opposite orders they deadlocked, and one was
    refused as the database being busy (503)."""
    client = register_client(suite)
    admit(suite, client["id"])
    suite.pump()
    program = assessment_request(
        suite,
        "post",
        "/programs",
        {"name": "Rawat inap", "kind": "residential", "capacity": 5, "duration_days": 90},
        "admin",
    )()
    assert program.status_code == 201, program.get_json()
    today = foundation_today().isoformat()
    placement = {
        "client_id": client["id"],
        "program_id": program.get_json()["id"],
        "start_on": today,
    }
    assert assessment_request(suite, "post", "/placements", placement)().status_code == 201
    again, discharged = overlap(
        assessment_db,
        assessment_request(suite, "post", "/placements", placement),
        assessment_request(
            suite,
            "post",
            f"/clients/{client['id']}/discharge",
            {"reason": "dropped_out", "discharged_on": today},
        ),
        pause_after="FOR UPDATE",
    )
    assert (again.status_code, discharged.status_code) == (409, 200), (
        again.get_json(),
        discharged.get_json(),
    )
    programs = suite.client("assessment").get("/programs", headers=suite.headers()).get_json()
    assert programs["items"][0]["occupied"] == 0  # placed once, its bed freed at discharge


def test_a_consent_withdrawn_while_a_transfer_links_the_client_stays_withdrawn(suite, intake_db):
    """Yakita already knows the client A refers to it: accepting links the two records and
    publishes Yakita's client again, which must carry the consent withdrawn meanwhile."""
    yakita = "yakita-bali"
    create_foundation(suite, yakita)
    nik = "3271046504930002"
    referred = register_client(suite, nik=nik)
    known = register_client(suite, yakita, nik=nik, family_contacts=[SMS_CONTACT])
    partner = suite.client("intake").post(
        "/partners",
        json={"name": "Yayasan Yakita Bali", "kind": "foundation", "foundation_slug": yakita},
        headers=suite.headers("admin"),
    )
    assert partner.status_code == 201, partner.get_json()
    made = suite.client("intake").post(
        f"/clients/{referred['id']}/referrals",
        json={
            "partner_id": partner.get_json()["id"],
            "reason": "Pindah ke Bali",
            "share": ["identity"],
            "consent": True,
        },
        headers=suite.headers(),
    )
    assert made.status_code == 201, made.get_json()
    suite.pump()  # notifications knows Yakita may write to the family

    def at_yakita(method: str, path: str, body: dict, role: str):
        def made_there():
            client = suite.client("intake")
            return getattr(client, method)(path, json=body, headers=suite.headers(role, yakita))

        return made_there

    withdrawn, accepted = overlap(
        intake_db,
        at_yakita(
            "put",
            f"/clients/{known['id']}/consent",
            {"contact_family": False, "share_progress": False},
            "social_worker",
        ),
        at_yakita("patch", f"/referrals/{made.get_json()['id']}", {"status": "accepted"}, "admin"),
        pause_after="FOR UPDATE",
    )
    assert (withdrawn.status_code, accepted.status_code) == (200, 200), accepted.get_json()
    assert accepted.get_json()["client_id"] == known["id"]
    suite.pump()
    written = suite.client("notifications").post(
        f"/conversations/{known['family_contacts'][0]['id']}/messages",
        json={"text": "Apa kabar?"},
        headers=suite.headers("social_worker", yakita),
    )
    # Had the acceptance published the consent it read before the withdrawal, this would
    # be a message to the family.
    assert written.status_code == 404, written.get_json()
