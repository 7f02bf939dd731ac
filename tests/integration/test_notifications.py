"""Notifications as families and staff experience them: invitations and reminders, changes
and cancellations, staff reminders and crisis alerts, consent freshness, exactly once."""

from __future__ import annotations

import json
import logging
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from services.notifications.models import TemplateOverride
from tests.support.dates import foundation_today
from tests.support.factories import (
    add_staff,
    admit,
    create_foundation,
    register_client,
    schedule_family_session,
)
from tests.support.races import overlap

pytestmark = pytest.mark.integration


def messages(suite, client_id, template=None):
    query = f"/messages?client_id={client_id}&per_page=200"
    if template:
        query += f"&template={template}"
    return suite.client("notifications").get(query, headers=suite.headers()).get_json()["items"]


def in_three_days() -> datetime:
    return (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)


def reschedule(suite, session_id: str, **fields):
    """``PATCH /sessions/{id}`` with ``fields`` (values as JSON has them)."""
    return suite.client("assessment").patch(
        f"/sessions/{session_id}", headers=suite.headers(), json=fields
    )


@pytest.fixture
def client_in_care(suite):
    create_foundation(suite)
    worker = add_staff(suite, "Rahmat")
    admin = add_staff(suite, "Kepala", role="admin")
    client = register_client(suite, case_worker_id=worker["id"])
    admit(suite, client["id"])
    suite.pump()
    return {"client": client, "worker": worker, "admin": admin}


@pytest.fixture
def family_session(suite, client_in_care) -> dict:
    """A family session of the client in care in three days, the family invited."""
    client_id = client_in_care["client"]["id"]
    starts_at = in_three_days()
    session = schedule_family_session(suite, client_id, starts_at)
    return {"client_id": client_id, "starts_at": starts_at, "id": session["id"]}


def test_family_session_invitation_and_reminder(suite, client_in_care):
    client_id = client_in_care["client"]["id"]
    starts_at = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
    session = schedule_family_session(suite, client_id, starts_at)
    (invitation,) = messages(suite, client_id, "family.session_invitation")
    assert invitation["status"] == "sent" and "Ruang 2" in invitation["body"]
    (reminder,) = messages(suite, client_id, "family.session_reminder")
    assert reminder["status"] == "scheduled"
    assert datetime.fromisoformat(reminder["scheduled_for"]) == starts_at - timedelta(hours=24)
    # the body is rendered when the message is sent: none until then
    assert reminder["body"] is None and reminder["reason_code"] is None

    # rescheduling moves the reminder and tells the family
    later = starts_at + timedelta(days=1)
    suite.client("assessment").patch(
        f"/sessions/{session['id']}", headers=suite.headers(), json={"starts_at": later.isoformat()}
    )
    suite.pump()
    (moved,) = messages(suite, client_id, "family.session_reminder")
    assert moved["id"] == reminder["id"]
    assert datetime.fromisoformat(moved["scheduled_for"]) == later - timedelta(hours=24)
    (changed,) = messages(suite, client_id, "family.session_changed")
    assert changed["status"] == "sent"

    # cancelling cancels the reminder and sends one cancellation notice
    suite.client("assessment").post(f"/sessions/{session['id']}/cancel", headers=suite.headers())
    suite.pump()
    (cancelled_reminder,) = messages(suite, client_id, "family.session_reminder")
    assert (
        cancelled_reminder["status"] == "cancelled"
        and cancelled_reminder["reason"] == "session cancelled"
        and cancelled_reminder["reason_code"] == "session_cancelled"
    )
    one = (
        suite.client("notifications")
        .get(f"/messages/{cancelled_reminder['id']}", headers=suite.headers())
        .get_json()
    )
    assert (one["reason_code"], one["reason"]) == ("session_cancelled", "session cancelled")
    contact = client_in_care["client"]["family_contacts"][0]
    assert one["recipient"] == {"kind": "family", "id": contact["id"], "name": contact["name"]}
    (notice,) = messages(suite, client_id, "family.session_cancelled")
    assert notice["status"] == "sent"


def test_each_change_of_time_or_place_is_told_and_nothing_else(suite, family_session):
    client_id, starts_at = family_session["client_id"], family_session["starts_at"]
    session = family_session

    def change(**fields) -> None:
        answer = reschedule(suite, session["id"], **fields)
        assert answer.status_code == 200, answer.get_json()
        suite.pump()

    def told() -> list[str]:
        notices = messages(suite, client_id, "family.session_changed")
        assert {m["status"] for m in notices} <= {"sent"}
        return [m["body"] for m in sorted(notices, key=lambda m: m["created_at"])]

    change(location="Ruang 3")
    change(location="Ruang 5")  # the same time again: told all the same
    assert ["Ruang 3" in b for b in told()] == [True, False]
    assert "Ruang 5" in told()[1]
    change(title="Pertemuan keluarga Budi", duration_minutes=90)  # nothing the family sees
    change(location="Ruang 5")  # what already holds: no change at all
    assert len(told()) == 2
    later = starts_at + timedelta(days=1)
    change(starts_at=later.isoformat())
    change(starts_at=starts_at.isoformat())  # and back: each move is told
    assert len(told()) == 4
    (reminder,) = messages(suite, client_id, "family.session_reminder")
    assert datetime.fromisoformat(reminder["scheduled_for"]) == starts_at - timedelta(hours=24)
    with suite.runtime("assessment").db.engine.connect() as conn:
        changes = conn.execute(
            text("SELECT count(*) FROM outbox WHERE subject = :id AND type = :type"),
            {"id": session["id"], "type": "session.rescheduled"},
        ).scalar()
    assert changes == 5  # every PATCH but the one that changed nothing


def test_a_change_applied_before_the_booking_invites_the_family_to_the_session_as_it_stands(
    suite, client_in_care
):
    client_id = client_in_care["client"]["id"]
    booked = schedule_family_session(suite, client_id, in_three_days(), deliver=False)
    longer = reschedule(suite, booked["id"], duration_minutes=90)
    assert longer.status_code == 200, longer.get_json()
    suite.flush_publishers()
    queued = suite.take("notifications")
    sessions = [task for task in queued if task[1][0]["type"].startswith("session.")]
    assert [args[0]["type"] for _name, args in sessions] == [
        "session.scheduled",
        "session.rescheduled",
    ]
    for name, args in [t for t in queued if t not in sessions] + sessions[::-1]:
        suite.run_task("notifications", name, args)  # the change overtakes the booking
    suite.pump()
    (invitation,) = messages(suite, client_id, "family.session_invitation")
    assert invitation["status"] == "sent" and "Ruang 2" in invitation["body"]
    assert messages(suite, client_id, "family.session_changed") == []
    (reminder,) = messages(suite, client_id, "family.session_reminder")
    assert reminder["status"] == "scheduled"


def test_a_session_moved_into_the_past_is_refused_and_its_reminder_stays(suite, family_session):
    client_id, starts_at = family_session["client_id"], family_session["starts_at"]
    session = family_session
    yesterday = datetime.now(UTC) - timedelta(days=1)
    moved = reschedule(suite, session["id"], starts_at=yesterday.isoformat())
    assert moved.status_code == 422, moved.get_json()
    assert moved.get_json()["error_codes"] == {"starts_at": ["moved_into_the_past"]}
    suite.pump()
    kept = suite.client("assessment").get(f"/sessions/{session['id']}", headers=suite.headers())
    assert datetime.fromisoformat(kept.get_json()["starts_at"]) == starts_at
    (reminder,) = messages(suite, client_id, "family.session_reminder")
    assert reminder["status"] == "scheduled"
    assert datetime.fromisoformat(reminder["scheduled_for"]) == starts_at - timedelta(hours=24)


def test_a_session_booked_after_it_began_invites_nobody_nor_tells_of_its_cancellation(
    suite, client_in_care
):
    client_id = client_in_care["client"]["id"]
    session = schedule_family_session(suite, client_id, datetime.now(UTC) - timedelta(days=2))
    family = [m for m in messages(suite, client_id) if m["template"] != "family.welcome"]
    assert [m for m in family if m["recipient"]["kind"] == "family"] == []
    attended = suite.client("assessment").post(
        f"/sessions/{session['id']}/attendance",
        headers=suite.headers(),
        json={"client_id": client_id, "status": "attended", "family_attended": True},
    )
    assert attended.status_code in (200, 201), attended.get_json()
    cancelled = suite.client("assessment").post(
        f"/sessions/{session['id']}/cancel", headers=suite.headers()
    )
    assert cancelled.status_code == 200, cancelled.get_json()
    suite.pump()
    assert messages(suite, client_id, "family.session_cancelled") == []


def test_a_session_booked_less_than_a_day_ahead_gets_no_reminder(suite, client_in_care):
    client_id = client_in_care["client"]["id"]
    schedule_family_session(suite, client_id, datetime.now(UTC) + timedelta(hours=5))
    (reminder,) = messages(suite, client_id, "family.session_reminder")
    assert reminder["status"] == "cancelled" and "already passed" in reminder["reason"]
    assert reminder["reason_code"] == "reminder_too_late_at_booking"
    assert [m["status"] for m in messages(suite, client_id, "family.session_invitation")] == [
        "sent"
    ]


def test_group_sessions_send_families_nothing(suite, client_in_care):
    client_id = client_in_care["client"]["id"]
    suite.client("assessment").post(
        "/sessions",
        headers=suite.headers(),
        json={
            "kind": "group",
            "client_ids": [client_id],
            "starts_at": (datetime.now(UTC) + timedelta(days=2)).isoformat(),
            "duration_minutes": 60,
        },
    )
    suite.pump()
    family = [
        m["template"] for m in messages(suite, client_id) if m["recipient"]["kind"] == "family"
    ]
    assert family == ["family.welcome"]


def test_redelivered_session_event_schedules_nothing_twice(suite, client_in_care):
    client_id = client_in_care["client"]["id"]
    schedule_family_session(suite, client_id, datetime.now(UTC) + timedelta(days=3))
    runtime = suite.runtime("assessment")
    with runtime.db.transaction() as db:
        db.execute(text("UPDATE outbox SET published_at = NULL, created_at = '2000-01-01'"))
    runtime.relay.relay_pending()
    suite.pump()
    templates = sorted(
        m["template"] for m in messages(suite, client_id) if m["recipient"]["kind"] == "family"
    )
    assert templates == ["family.session_invitation", "family.session_reminder", "family.welcome"]


def test_staff_reminders_and_crisis_alerts(suite, client_in_care):
    client_id = client_in_care["client"]["id"]
    worker, admin = client_in_care["worker"], client_in_care["admin"]
    due = messages(suite, client_id, "staff.assessment_due")
    assert sorted(m["recipient"]["id"] for m in due) == [worker["id"], worker["id"]]
    assert {m["status"] for m in due} == {"scheduled"}

    suite.client("assessment").post(
        f"/clients/{client_id}/notes",
        headers=suite.headers(),
        json={"kind": "crisis", "text": "Mengancam menyakiti diri sendiri."},
    )
    suite.pump()
    alerts = messages(suite, client_id, "staff.crisis_alert")
    assert sorted(m["recipient"]["id"] for m in alerts) == sorted([worker["id"], admin["id"]])
    assert {m["status"] for m in alerts} == {"sent"}
    assert all("menyakiti" not in (m["body"] or "") for m in alerts)  # the note text stays private

    (assessment,) = (
        suite.client("assessment")
        .get(f"/assessments?client_id={client_id}", headers=suite.headers())
        .get_json()["items"]
    )
    suite.client("assessment").put(
        f"/assessments/{assessment['id']}",
        headers=suite.headers(),
        json={
            "dimensions": {
                "withdrawal": 0,
                "biomedical": 0,
                "emotional_behavioral": 1,
                "readiness_to_change": 1,
                "relapse_potential": 1,
                "recovery_environment": 1,
            }
        },
    )
    suite.pump()
    assert {m["status"] for m in messages(suite, client_id, "staff.assessment_due")} == {
        "cancelled"
    }


def test_progress_updates_only_with_share_progress(suite, client_in_care):
    client_id = client_in_care["client"]["id"]
    program = (
        suite.client("assessment")
        .post(
            "/programs",
            headers=suite.headers("admin"),
            json={"name": "Rawat Inap", "kind": "residential", "capacity": 5, "duration_days": 90},
        )
        .get_json()
    )
    suite.client("assessment").post(
        "/placements",
        headers=suite.headers(),
        json={
            "client_id": client_id,
            "program_id": program["id"],
            "start_on": foundation_today().isoformat(),
        },
    )
    suite.pump()
    assert messages(suite, client_id, "family.progress_update") == []

    other = register_client(
        suite, full_name="Tono", consent={"contact_family": True, "share_progress": True}
    )
    admit(suite, other["id"])
    suite.pump()
    suite.client("assessment").post(
        "/placements",
        headers=suite.headers(),
        json={
            "client_id": other["id"],
            "program_id": program["id"],
            "start_on": foundation_today().isoformat(),
        },
    )
    suite.pump()
    (update,) = messages(suite, other["id"], "family.progress_update")
    assert update["status"] == "sent" and "Rawat Inap" in update["body"]


def test_discharge_schedules_follow_ups_for_family_and_case_worker(suite, client_in_care):
    client_id = client_in_care["client"]["id"]
    suite.client("assessment").post(
        f"/clients/{client_id}/discharge",
        headers=suite.headers(),
        json={"reason": "completed", "discharged_on": foundation_today().isoformat()},
    )
    suite.pump()
    family = messages(suite, client_id, "family.followup")
    staff = messages(suite, client_id, "staff.followup_due")
    assert len(family) == 3 and len(staff) == 3
    days = sorted(
        (datetime.fromisoformat(m["scheduled_for"]).date() - foundation_today()).days
        for m in family
    )
    assert [d in (29, 30, 31) for d in days[:1]] == [True]
    assert {m["status"] for m in family + staff} == {"scheduled"}


def test_a_discharge_entered_late_asks_the_family_only_of_follow_ups_still_to_come(suite):
    create_foundation(suite)
    worker = add_staff(suite, "Rahmat")
    client = register_client(suite, case_worker_id=worker["id"])
    today = foundation_today()
    admitted = suite.client("intake").post(
        f"/clients/{client['id']}/admission",
        json={"family_agreement": True, "admitted_on": (today - timedelta(days=200)).isoformat()},
        headers=suite.headers(),
    )
    assert admitted.status_code == 200, admitted.get_json()
    suite.pump()
    # discharged 100 days ago, entered today: the 30- and 90-day follow-ups are past
    discharged = suite.client("assessment").post(
        f"/clients/{client['id']}/discharge",
        headers=suite.headers(),
        json={"reason": "completed", "discharged_on": (today - timedelta(days=100)).isoformat()},
    )
    assert discharged.status_code == 200, discharged.get_json()
    suite.pump()
    (family,) = messages(suite, client["id"], "family.followup")
    assert family["status"] == "scheduled"
    assert datetime.fromisoformat(family["scheduled_for"]).date() == today + timedelta(days=80)
    staff = messages(suite, client["id"], "staff.followup_due")
    assert len(staff) == 3  # the case worker still hears of the overdue ones


def test_family_messages_wait_while_consent_data_is_stale(suite, client_in_care):
    client_id = client_in_care["client"]["id"]
    runtime = suite.runtime("notifications")
    with runtime.db.transaction() as db:
        db.execute(
            text("UPDATE heartbeats SET at = :old"), {"old": datetime.now(UTC) - timedelta(hours=1)}
        )
    other = register_client(suite, full_name="Wawan")
    admit(suite, other["id"])
    suite.pump()
    (held,) = messages(suite, other["id"], "family.welcome")
    assert held["status"] == "scheduled" and held["reason"].startswith("held")
    assert held["reason_code"] == "held_for_consent_data"
    # staff messages are not held
    suite.client("assessment").post(
        f"/clients/{client_id}/notes", headers=suite.headers(), json={"kind": "crisis", "text": "x"}
    )
    suite.pump()
    assert {m["status"] for m in messages(suite, client_id, "staff.crisis_alert")} == {"sent"}
    # a fresh heartbeat releases it at the next sweep
    suite.heartbeat()
    suite.pump()
    with runtime.db.transaction() as db:
        db.execute(
            text(
                "UPDATE messages SET scheduled_for = :now WHERE status = 'scheduled' "
                "AND template = 'family.welcome'"
            ),
            {"now": datetime.now(UTC)},
        )
    suite.run_task("notifications", "notifications.dispatch_due", [])
    suite.pump()
    (released,) = messages(suite, other["id"], "family.welcome")
    assert released["status"] == "sent"


def test_consent_withdrawal_racing_a_due_reminder(suite, client_in_care):
    """The reminder is due and dispatched, but the withdrawal is applied before the send
    task runs: the send task checks consent again and the reminder is not sent."""
    client_id = client_in_care["client"]["id"]
    schedule_family_session(suite, client_id, datetime.now(UTC) + timedelta(days=3))
    runtime = suite.runtime("notifications")
    with runtime.db.transaction() as db:
        db.execute(
            text(
                "UPDATE messages SET scheduled_for = :now "
                "WHERE template = 'family.session_reminder'"
            ),
            {"now": datetime.now(UTC) - timedelta(seconds=1)},
        )
    suite.run_task("notifications", "notifications.dispatch_due", [])  # queued, send task in Redis
    queued_sends = suite.take("notifications")
    suite.client("intake").put(
        f"/clients/{client_id}/consent",
        headers=suite.headers(),
        json={"contact_family": False, "share_progress": False},
    )
    suite.pump()  # the withdrawal arrives first
    for name, args in queued_sends:
        suite.run_task("notifications", name, args)
    (reminder,) = messages(suite, client_id, "family.session_reminder")
    assert reminder["status"] == "cancelled" and "consent" in reminder["reason"]


def test_templates_can_be_read_and_changed_by_admins(suite, client_in_care):
    http = suite.client("notifications")
    got = http.get("/templates/family.welcome?locale=en", headers=suite.headers()).get_json()
    assert got["customised"] is False and "{{ client_first_name }}" in got["body"]
    body = {"body": "Dear {{ recipient_name }}, {{ client_first_name }} is with {{ sender_name }}."}
    assert (
        http.put(
            "/templates/family.welcome?locale=en", json=body, headers=suite.headers()
        ).status_code
        == 403
    )
    saved = http.put(
        "/templates/family.welcome?locale=en", json=body, headers=suite.headers("admin")
    )
    assert saved.status_code == 200 and saved.get_json()["customised"] is True
    for bad in (
        "{{ recipient_name.__class__.__mro__ }}",
        "{% for %}",
        "{{ unknown_value }}",
        "{{ lipsum }}",  # Jinja's globals are not the message's values
        "{{ namespace }}",
        "{{ dict }}",
    ):
        response = http.put(
            "/templates/family.welcome?locale=en",
            json={"body": bad},
            headers=suite.headers("admin"),
        )
        assert response.status_code == 422 and "body" in response.get_json()["errors"], bad
    assert http.get("/templates/no.such", headers=suite.headers()).status_code == 404
    other = register_client(
        suite,
        full_name="Joko",
        family_contacts=[
            {
                "name": "Sari",
                "relationship": "wife",
                "phone": "081298765432",
                "channel": "sms",
                "locale": "en",
            }
        ],
    )
    admit(suite, other["id"])
    suite.pump()
    (welcome,) = messages(suite, other["id"], "family.welcome")
    assert welcome["body"] == "Dear Sari, Joko is with Yayasan medan-plus."


@pytest.mark.parametrize(
    "stored",
    [
        pytest.param("Halo {{ recipient_name.__class__.__mro__ }}", id="attribute-access"),
        pytest.param("Halo {{ recipient_name ~ 'ab' * 400 }}", id="arithmetic"),
        pytest.param("Halo {{ no_such_value }}", id="unknown-value"),
        pytest.param("Halo {% if %}", id="syntax-error"),
        pytest.param("Halo " + "x" * 1000, id="too-long"),
    ],
)
def test_a_stored_template_that_breaks_the_rules_is_sent_in_the_default_wording(
    suite, caplog, stored
):
    # A wording saved before today's rules existed, or edited in the database: the API
    # would refuse it, so it is written straight into the notifications database.
    create_foundation(suite)
    suite.pump()
    with suite.runtime("notifications").db.transaction() as session:
        session.add(
            TemplateOverride(
                foundation="medan-plus",
                key="family.welcome",
                locale="id",
                body=stored,
                updated_by="legacy-import",
            )
        )
    caplog.set_level(logging.WARNING, logger="services.notifications.rendering")
    client = register_client(suite)
    admit(suite, client["id"])
    suite.pump()

    (welcome,) = messages(suite, client["id"], "family.welcome")
    assert welcome["status"] == "sent", welcome
    assert welcome["body"].startswith("Halo Siti, salam hangat dari Yayasan medan-plus. Budi ")
    assert welcome["body"].endswith("Balas BERHENTI bila tidak ingin menerima pesan.")
    (warning,) = [
        record.getMessage()
        for record in caplog.records
        if record.levelno == logging.WARNING and "default wording" in record.getMessage()
    ]
    assert "family.welcome" in warning and "medan-plus" in warning
    for personal in ("Siti", "Budi", "81234567890", stored):
        assert personal not in warning


def test_recipient_preferences_record_and_lift_an_opt_out(suite, client_in_care):
    client_id = client_in_care["client"]["id"]
    contact_id = client_in_care["client"]["family_contacts"][0]["id"]
    http, headers = suite.client("notifications"), suite.headers()
    prefs = http.get(f"/recipients/{contact_id}/preferences", headers=headers).get_json()
    assert (prefs["kind"], prefs["channel"], prefs["opted_out"]) == ("family", "whatsapp", False)
    schedule_family_session(suite, client_id, datetime.now(UTC) + timedelta(days=3))
    opted = http.put(
        f"/recipients/{contact_id}/preferences", headers=headers, json={"opted_out": True}
    )
    assert opted.status_code == 200 and opted.get_json()["opted_out"] is True
    (reminder,) = messages(suite, client_id, "family.session_reminder")
    assert reminder["status"] == "suppressed"
    assert http.get(f"/recipients/{contact_id}/preferences", headers=headers).get_json()[
        "opted_out"
    ]
    lifted = http.put(
        f"/recipients/{contact_id}/preferences", headers=headers, json={"opted_out": False}
    )
    assert lifted.get_json()["opted_out"] is False
    bad = http.put(
        f"/recipients/{contact_id}/preferences", headers=headers, json={"opted_out": "yes"}
    )
    assert bad.status_code == 422 and "opted_out" in bad.get_json()["errors"]
    assert (
        http.put(
            f"/recipients/{contact_id}/preferences",
            headers=suite.headers("viewer"),
            json={"opted_out": True},
        ).status_code
        == 403
    )
    other = suite.headers(foundation="yakita")
    assert http.get(f"/recipients/{contact_id}/preferences", headers=other).status_code == 404


def _make_due(suite, template):
    with suite.runtime("notifications").db.transaction() as db:
        db.execute(
            text("UPDATE messages SET scheduled_for = :now WHERE template = :template"),
            {"now": datetime.now(UTC) - timedelta(seconds=1), "template": template},
        )


def test_a_progress_update_waiting_is_not_sent_once_sharing_is_withdrawn(suite):
    """Deferred by quiet hours, then the client stops sharing progress: the update never
    goes, whether the withdrawal arrives before the sweep or after the send was queued."""
    local = datetime.now(ZoneInfo("Asia/Jakarta"))
    create_foundation(
        suite,
        quiet_hours={
            "start": (local - timedelta(hours=1)).strftime("%H:%M"),
            "end": (local + timedelta(hours=2)).strftime("%H:%M"),
        },
    )
    program = (
        suite.client("assessment")
        .post(
            "/programs",
            headers=suite.headers("admin"),
            json={"name": "Rawat Inap", "kind": "residential", "capacity": 5, "duration_days": 90},
        )
        .get_json()
    )
    updates = {}
    for name in ("Tono", "Agus"):
        client = register_client(
            suite, full_name=name, consent={"contact_family": True, "share_progress": True}
        )
        admit(suite, client["id"])
        suite.pump()
        placed = suite.client("assessment").post(
            "/placements",
            headers=suite.headers(),
            json={
                "client_id": client["id"],
                "program_id": program["id"],
                "start_on": str(foundation_today()),
            },
        )
        assert placed.status_code == 201
        suite.pump()
        (update,) = messages(suite, client["id"], "family.progress_update")
        assert update["status"] == "scheduled"  # waiting for the end of quiet hours
        updates[name] = client["id"]

    def withdraw_sharing(client_id):
        response = suite.client("intake").put(
            f"/clients/{client_id}/consent",
            headers=suite.headers(),
            json={"contact_family": True, "share_progress": False},
        )
        assert response.status_code == 200

    withdraw_sharing(updates["Tono"])  # before the update comes due
    suite.pump()
    (update,) = messages(suite, updates["Tono"], "family.progress_update")
    assert (update["status"], update["reason"], update["reason_code"]) == (
        "cancelled",
        "consent to share progress withdrawn",
        "share_progress_withdrawn",
    )

    suite.client("intake").patch(  # quiet hours over: the other update comes due
        "/foundations/medan-plus",
        json={"quiet_hours": {"start": "00:00", "end": "00:00"}},
        headers=suite.headers("operator"),
    )
    suite.pump()
    _make_due(suite, "family.progress_update")
    suite.run_task("notifications", "notifications.dispatch_due", [])
    queued_sends = suite.take("notifications")
    withdraw_sharing(updates["Agus"])  # after its send task was queued
    suite.pump()
    for name, args in queued_sends:
        suite.run_task("notifications", name, args)
    (update,) = messages(suite, updates["Agus"], "family.progress_update")
    assert update["status"] == "cancelled" and update["sent_at"] is None
    (welcome,) = messages(suite, updates["Agus"], "family.welcome")
    assert welcome["status"] in ("scheduled", "sent")  # contact consent still holds


def _reminder_queued(suite, client_id: str) -> tuple[dict, datetime, list]:
    """A family session in three days whose reminder is due: dispatched, its send task
    waiting in Redis. The session, its start and the send tasks taken from the queue."""
    starts_at = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
    session = schedule_family_session(suite, client_id, starts_at)
    _make_due(suite, "family.session_reminder")
    suite.run_task("notifications", "notifications.dispatch_due", [])
    queued_sends = suite.take("notifications")
    assert queued_sends
    return session, starts_at, queued_sends


def _move_a_week_later(suite, session: dict, starts_at: datetime) -> datetime:
    later = starts_at + timedelta(days=7)
    moved = suite.client("assessment").patch(
        f"/sessions/{session['id']}", headers=suite.headers(), json={"starts_at": later.isoformat()}
    )
    assert moved.status_code == 200
    return later


def test_a_reminder_already_queued_waits_for_the_new_time_after_a_reschedule(suite, client_in_care):
    client_id = client_in_care["client"]["id"]
    session, starts_at, queued_sends = _reminder_queued(suite, client_id)

    later = _move_a_week_later(suite, session, starts_at)
    suite.pump()
    for name, args in queued_sends:  # the old send task arrives after the move
        suite.run_task("notifications", name, args)
    (reminder,) = messages(suite, client_id, "family.session_reminder")
    assert reminder["status"] == "scheduled" and reminder["sent_at"] is None
    assert datetime.fromisoformat(reminder["scheduled_for"]) == later - timedelta(hours=24)


def test_a_reminder_being_sent_as_its_session_moves_goes_once(suite, client_in_care):
    """The reschedule is applied while the reminder's send task claims it: one waits for the
    other, so the reminder is either sent for the old time or moved to the new one, never
    moved back on the schedule after it went (PostgreSQL; SQLite's writers take turns)."""
    runtime = suite.runtime("notifications")
    if runtime.db.is_sqlite:
        pytest.skip("SQLite serialises writers: the overlap needs PostgreSQL")
    client_id = client_in_care["client"]["id"]
    session, starts_at, queued_sends = _reminder_queued(suite, client_id)
    later = _move_a_week_later(suite, session, starts_at)
    suite.flush_publishers()
    (reschedule,) = [
        task for task in suite.take("notifications") if task[1][0]["type"] == "session.rescheduled"
    ]

    def apply_reschedule():
        suite.run_task("notifications", reschedule[0], reschedule[1])

    def send_reminder():
        for name, args in queued_sends:
            suite.run_task("notifications", name, args)

    overlap(runtime.db.engine, apply_reschedule, send_reminder, pause_after="messages.subject_id =")
    suite.pump()
    (reminder,) = messages(suite, client_id, "family.session_reminder")
    assert reminder["status"] == "scheduled" and reminder["sent_at"] is None
    assert datetime.fromisoformat(reminder["scheduled_for"]) == later - timedelta(hours=24)


@pytest.mark.parametrize("how", ["removed", "barred", "consent withdrawn"])
def test_a_contact_no_longer_to_be_contacted_is_forgotten(suite, client_in_care, how):
    client = client_in_care["client"]
    contact = client["family_contacts"][0]
    schedule_family_session(suite, client["id"], datetime.now(UTC) + timedelta(days=3))
    intake = suite.client("intake")
    path = f"/clients/{client['id']}/family-contacts/{contact['id']}"
    if how == "removed":
        response = intake.delete(path, headers=suite.headers())
    elif how == "barred":
        response = intake.patch(path, json={"may_contact": False}, headers=suite.headers())
    else:
        response = intake.put(
            f"/clients/{client['id']}/consent",
            json={"contact_family": False, "share_progress": False},
            headers=suite.headers(),
        )
    assert response.status_code in (200, 204)
    suite.pump()

    family = [m for m in messages(suite, client["id"]) if m["recipient"]["kind"] == "family"]
    assert {m["template"] for m in family} >= {"family.welcome", "family.session_reminder"}
    for message in family:
        assert message["recipient"]["name"] is None, message["template"]
        assert message["status"] in ("sent", "cancelled")
    with suite.runtime("notifications").db.transaction() as db:
        kept = db.execute(
            text("SELECT count(*) FROM messages WHERE recipient_id = :id AND address IS NOT NULL"),
            {"id": contact["id"]},
        ).scalar()
        known = db.execute(
            text("SELECT count(*) FROM family_contacts WHERE id = :id"), {"id": contact["id"]}
        ).scalar()
    assert (kept, known) == (0, 0)


def test_a_crisis_alert_goes_at_once_even_in_quiet_hours(suite):
    local = datetime.now(ZoneInfo("Asia/Jakarta"))
    create_foundation(
        suite,
        quiet_hours={
            "start": (local - timedelta(hours=1)).strftime("%H:%M"),
            "end": (local + timedelta(hours=2)).strftime("%H:%M"),
        },
    )
    worker = add_staff(suite, "Rahmat")
    admin = add_staff(suite, "Kepala", role="admin")
    client = register_client(suite, case_worker_id=worker["id"])
    admit(suite, client["id"])
    suite.pump()
    noted = suite.client("assessment").post(
        f"/clients/{client['id']}/notes",
        headers=suite.headers(),
        json={"kind": "crisis", "text": "Mengancam menyakiti diri sendiri."},
    )
    assert noted.status_code == 201
    suite.pump()
    alerts = messages(suite, client["id"], "staff.crisis_alert")
    assert sorted(m["recipient"]["id"] for m in alerts) == sorted([worker["id"], admin["id"]])
    assert {m["status"] for m in alerts} == {"sent"}
    (welcome,) = messages(suite, client["id"], "family.welcome")
    assert welcome["status"] == "scheduled"  # the family's phone stays silent at night


def test_a_readmission_stops_the_familys_post_discharge_messages(suite, client_in_care):
    client_id = client_in_care["client"]["id"]
    discharged = suite.client("assessment").post(
        f"/clients/{client_id}/discharge",
        headers=suite.headers(),
        json={"reason": "dropped_out", "discharged_on": foundation_today().isoformat()},
    )
    assert discharged.status_code == 200
    suite.pump()
    assert {m["status"] for m in messages(suite, client_id, "family.followup")} == {"scheduled"}

    admit(suite, client_id)  # relapse: back in care
    suite.pump()
    family = messages(suite, client_id, "family.followup")
    assert len(family) == 3
    assert {(m["status"], m["reason"], m["reason_code"]) for m in family} == {
        ("cancelled", "client readmitted", "client_readmitted")
    }
    staff = messages(suite, client_id, "staff.followup_due")
    assert {m["status"] for m in staff} == {"scheduled"}  # the outcome is still to record
    welcomes = messages(suite, client_id, "family.welcome")
    assert len(welcomes) == 2  # one per episode of care


def test_follow_ups_of_a_later_discharge_survive_a_late_admission_event(suite, client_in_care):
    """The admission event of this episode delivered again after its discharge: the
    discharge's follow-ups, scheduled after that admission, stay."""
    client_id = client_in_care["client"]["id"]
    with suite.runtime("intake").db.transaction() as db:
        admitted = db.execute(
            text("SELECT envelope FROM outbox WHERE type = 'client.admitted'")
        ).scalar()
    suite.client("assessment").post(
        f"/clients/{client_id}/discharge",
        headers=suite.headers(),
        json={"reason": "completed", "discharged_on": foundation_today().isoformat()},
    )
    suite.pump()
    envelope = json.loads(admitted)
    envelope["id"] = str(uuid.uuid4())  # a copy the inbox has not seen
    suite.run_task("notifications", "notifications.handle_event", [envelope])
    family = messages(suite, client_id, "family.followup")
    assert {m["status"] for m in family} == {"scheduled"}


def _held(suite, service):
    """Take what waits on ``service``'s queue, to deliver it later (a slow relay)."""
    return suite.take(service)


def test_a_late_discharge_event_leaves_the_next_admissions_reminders_alone(suite, client_in_care):
    client_id = client_in_care["client"]["id"]
    discharged = suite.client("assessment").post(
        f"/clients/{client_id}/discharge",
        headers=suite.headers(),
        json={"reason": "dropped_out", "discharged_on": foundation_today().isoformat()},
    )
    assert discharged.status_code == 200
    suite.flush_publishers()
    late = _held(suite, "notifications")  # client.discharged and followup.due, held back
    suite.pump()
    admit(suite, client_id)  # readmitted before notifications heard of the discharge
    suite.pump()
    for name, args in late:
        suite.run_task("notifications", name, args)
    suite.pump()
    due = messages(suite, client_id, "staff.assessment_due")
    by_status = sorted((m["status"], m["reason"], m["reason_code"]) for m in due)
    assert by_status == [
        ("cancelled", "client discharged", "client_discharged"),
        ("cancelled", "client discharged", "client_discharged"),
        ("scheduled", None, None),
        ("scheduled", None, None),
    ], by_status  # the new assessment's two reminders stay
    family = messages(suite, client_id, "family.followup")
    assert len(family) == 3  # scheduled after the readmission...
    for message in family:  # ...and never sent while the client is back in care
        with suite.runtime("notifications").db.transaction() as db:
            db.execute(
                text("UPDATE messages SET scheduled_for = :now WHERE id = :id"),
                {"now": datetime.now(UTC) - timedelta(seconds=1), "id": message["id"]},
            )
    suite.run_task("notifications", "notifications.dispatch_due", [])
    suite.pump()
    family = messages(suite, client_id, "family.followup")
    assert {(m["status"], m["reason"], m["reason_code"]) for m in family} == {
        ("cancelled", "client readmitted", "client_readmitted")
    }


def test_a_reminder_goes_to_the_number_the_family_has_now(suite, client_in_care):
    client = client_in_care["client"]
    contact = client["family_contacts"][0]
    schedule_family_session(suite, client["id"], datetime.now(UTC) + timedelta(days=3))
    changed = suite.client("intake").patch(
        f"/clients/{client['id']}/family-contacts/{contact['id']}",
        json={"phone": "0813-9999-0000"},
        headers=suite.headers(),
    )
    assert changed.status_code == 200
    suite.pump()
    _make_due(suite, "family.session_reminder")
    suite.run_task("notifications", "notifications.dispatch_due", [])
    suite.pump()
    (reminder,) = messages(suite, client["id"], "family.session_reminder")
    assert reminder["status"] == "sent"
    with suite.runtime("notifications").db.transaction() as db:
        from services.notifications.models import Message

        sent_to = db.get(Message, reminder["id"]).address
    assert sent_to == "+6281399990000"
