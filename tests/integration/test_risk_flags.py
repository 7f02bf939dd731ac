"""The early warning as case workers meet it: a client's flag rises with what is recorded
(attendance, notes, follow-up outcomes, a family asking for help) and with the passing of
days (the sweep), says why, alerts the case worker once per rise, starts afresh on
readmission, lists the foundation's flagged clients in the order they need attention, and
shows nothing of another foundation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.assessment.models import Outreach
from shared.db import new_id
from tests.support.dates import foundation_today
from tests.support.factories import admit, create_foundation, register_client

pytestmark = pytest.mark.integration
FOUNDATION, OTHER = "medan-plus", "yakita-bali"
ADMITTED_DAYS_AGO = 10


def headers(suite, role="social_worker", foundation=FOUNDATION, sub="staff-1"):
    return {"Authorization": f"Bearer {suite.token(role, foundation, sub=sub)}"}


def add_staff(suite, name, foundation=FOUNDATION, role="social_worker"):
    made = suite.client("intake").post(
        "/staff",
        headers=headers(suite, "admin", foundation),
        json={"name": name, "role": role, "email": f"{name.lower()}@example.org"},
    )
    assert made.status_code == 201, made.get_json()
    return made.get_json()["id"]


def client_in_care(suite, worker_id, foundation=FOUNDATION, days_ago=ADMITTED_DAYS_AGO):
    """A client admitted ``days_ago`` days ago, with ``worker_id`` as case worker."""
    client = register_client(suite, foundation, case_worker_id=worker_id)
    admitted_on = foundation_today() - timedelta(days=days_ago)
    answer = suite.client("intake").post(
        f"/clients/{client['id']}/admission",
        json={"family_agreement": True, "admitted_on": admitted_on.isoformat()},
        headers=headers(suite, foundation=foundation),
    )
    assert answer.status_code == 200, answer.get_json()
    suite.pump()
    return client["id"]


@pytest.fixture
def world(suite):
    create_foundation(suite, FOUNDATION)
    worker = add_staff(suite, "Rahmat")
    suite.pump()
    return {"worker": worker, "client": client_in_care(suite, worker)}


def post(suite, path, body, foundation=FOUNDATION, expect=(200, 201), **kwargs):
    answer = suite.client("assessment").post(
        path, json=body, headers=headers(suite, foundation=foundation, **kwargs)
    )
    assert answer.status_code in expect, answer.get_json()
    return answer.get_json()


def past_session(suite, client_ids):
    """A session that began two days before this moment: sessions made one after another
    follow one another."""
    body = {
        "kind": "group",
        "client_ids": client_ids,
        "starts_at": (datetime.now(UTC) - timedelta(days=2)).isoformat(),
        "duration_minutes": 60,
    }
    return post(suite, "/sessions", body)["id"]


def attendance(suite, client_id, *statuses):
    """A session per status, one after another, each with the client's attendance."""
    ids = []
    for status in statuses:
        session_id = past_session(suite, [client_id])
        post(
            suite, f"/sessions/{session_id}/attendance", {"client_id": client_id, "status": status}
        )
        ids.append(session_id)
    suite.pump()
    return ids


def note(suite, client_id, kind="progress", obstacles=()):
    body = {"kind": kind, "text": "Catatan pendamping.", "obstacles": list(obstacles)}
    post(suite, f"/clients/{client_id}/notes", body)
    suite.pump()


def risk(suite, client_id, foundation=FOUNDATION):
    answer = suite.client("assessment").get(
        f"/clients/{client_id}/risk", headers=headers(suite, foundation=foundation)
    )
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def rules(flag):
    return [r["rule"] for r in flag["reasons"]]


def risk_alerts(suite, client_id):
    answer = suite.client("notifications").get(
        f"/messages?client_id={client_id}&template=staff.risk_alert&per_page=200",
        headers=headers(suite),
    )
    return answer.get_json()["items"]


def discharge(suite, client_id):
    body = {"reason": "completed", "discharged_on": foundation_today().isoformat()}
    followups = post(suite, f"/clients/{client_id}/discharge", body)
    suite.pump()
    return sorted(followups, key=lambda f: f["offset_days"])


def sweep(suite, now=None, foundation=None):
    suite.run_task(
        "assessment", "assessment.sweep_risk", [now.isoformat() if now else None, foundation]
    )
    suite.pump()


# --- what raises a flag ------------------------------------------------------------------------


def test_two_absences_in_a_row_raise_the_flag_and_alert_the_case_worker_once(suite, world):
    client_id = world["client"]
    assert risk(suite, client_id)["level"] == "none"
    attendance(suite, client_id, "attended", "absent", "absent")

    flag = risk(suite, client_id)
    assert flag["level"] == "high"
    assert rules(flag) == ["consecutive_absences", "missed_sessions"]
    reason, _watch = flag["reasons"]
    assert reason["level"] == "high"
    assert reason["detail"].startswith("2 sessions missed in a row: ")
    assert reason["details"]["id"].startswith("2 sesi berturut-turut tidak hadir: ")
    assert flag["last_outreach"] is None

    (alert,) = risk_alerts(suite, client_id)
    assert alert["recipient"]["id"] == world["worker"]
    assert "berturut-turut" in alert["body"]  # it names the rule, in the foundation's language

    # recomputing (another note, the sweep) while it stays high alerts nobody again
    note(suite, client_id)
    sweep(suite)
    assert risk(suite, client_id)["level"] == "high"
    assert len(risk_alerts(suite, client_id)) == 1


def test_it_alerts_again_only_after_falling_below_high_and_rising_again(suite, world):
    client_id = world["client"]
    attendance(suite, client_id, "absent", "absent")
    assert len(risk_alerts(suite, client_id)) == 1

    attendance(suite, client_id, "attended")  # the last four: absent, absent, attended
    flag = risk(suite, client_id)
    assert (flag["level"], rules(flag)) == ("watch", ["missed_sessions"])
    assert len(risk_alerts(suite, client_id)) == 1

    attendance(suite, client_id, "absent", "absent")
    assert risk(suite, client_id)["level"] == "high"
    assert len(risk_alerts(suite, client_id)) == 2


def test_excused_is_never_an_absence(suite, world):
    client_id = world["client"]
    attendance(suite, client_id, "absent", "excused")
    flag = risk(suite, client_id)
    assert (flag["level"], flag["reasons"]) == ("none", [])
    assert (flag["client_id"], flag["case_worker_id"]) == (client_id, world["worker"])
    assert risk_alerts(suite, client_id) == []


def test_attendance_at_a_cancelled_session_no_longer_counts(suite, world):
    client_id = world["client"]
    _first, second = attendance(suite, client_id, "absent", "absent")
    assert risk(suite, client_id)["level"] == "high"

    post(suite, f"/sessions/{second}/cancel", None)
    suite.pump()
    assert risk(suite, client_id)["level"] == "none"


def test_a_crisis_note_raises_the_flag_to_high(suite, world):
    client_id = world["client"]
    note(suite, client_id, "crisis")
    flag = risk(suite, client_id)
    assert (flag["level"], rules(flag)) == ("high", ["crisis_note"])
    assert len(risk_alerts(suite, client_id)) == 1


def test_two_behaviour_notes_put_the_client_on_watch(suite, world):
    client_id = world["client"]
    note(suite, client_id, "behaviour", ["closed_attitude"])
    assert risk(suite, client_id)["level"] == "none"
    note(suite, client_id, "progress", ["behaviour_inconsistency"])
    flag = risk(suite, client_id)
    assert (flag["level"], rules(flag)) == ("watch", ["behaviour_notes"])
    assert risk_alerts(suite, client_id) == []  # only a rise to high alerts


def test_a_family_asking_for_help_at_a_check_in_raises_the_flag(suite, world):
    client_id = world["client"]
    followups = discharge(suite, client_id)
    assert risk(suite, client_id)["level"] == "none"
    contact_id = new_id()
    with suite.runtime("notifications").unit_of_work() as uow:
        uow.emit(
            "family.replied",
            subject=contact_id,
            foundation=FOUNDATION,
            data={
                "client_id": client_id,
                "contact_id": contact_id,
                "reply_id": new_id(),
                "intent": "checkin_help",
                "answered_at": datetime.now(UTC),
                "session_id": None,
                "followup_id": followups[0]["id"],
            },
        )
    suite.pump()
    flag = risk(suite, client_id)
    assert (flag["level"], rules(flag)) == ("high", ["family_needs_help"])
    assert flag["reasons"][0]["detail"].startswith("The family asked for help")
    assert len(risk_alerts(suite, client_id)) == 1


def test_a_relapse_holds_the_flag_high_until_a_later_outcome(suite, world):
    client_id = world["client"]
    first, second, _third = discharge(suite, client_id)

    answer = suite.client("assessment").put(
        f"/followups/{first['id']}", json={"outcome": "relapsed"}, headers=headers(suite)
    )
    assert answer.status_code == 200, answer.get_json()
    suite.pump()
    flag = risk(suite, client_id)
    assert (flag["level"], rules(flag)) == ("high", ["relapse_reported"])
    sweep(suite, datetime.now(UTC) + timedelta(days=60))  # no window: it holds until told
    assert risk(suite, client_id)["level"] == "high"

    answer = suite.client("assessment").put(
        f"/followups/{second['id']}", json={"outcome": "abstinent"}, headers=headers(suite)
    )
    assert answer.status_code == 200, answer.get_json()
    suite.pump()
    assert risk(suite, client_id)["level"] == "none"
    assert len(risk_alerts(suite, client_id)) == 1


# --- the passing of days ---------------------------------------------------------------------


def test_no_attended_session_for_14_days_puts_the_client_on_watch_by_the_sweep(suite, world):
    client_id = world["client"]
    attendance(suite, client_id, "attended")
    sweep(suite)
    assert risk(suite, client_id)["level"] == "none"

    later = datetime.now(UTC) + timedelta(days=15)
    sweep(suite, later)
    flag = risk(suite, client_id)
    assert (flag["level"], rules(flag)) == ("watch", ["no_recent_session"])
    assert datetime.fromisoformat(flag["updated_at"]) == later
    assert flag["reasons"][0]["detail"].startswith("No session attended for 1")

    # a client admitted 10 days ago who never came is flagged 4 days later
    other = client_in_care(suite, world["worker"])
    sweep(suite, datetime.now(UTC) + timedelta(days=3))
    assert risk(suite, other)["level"] == "none"
    sweep(suite, datetime.now(UTC) + timedelta(days=5))
    assert rules(risk(suite, other)) == ["no_recent_session"]


def test_a_crisis_note_stops_counting_after_7_days(suite, world):
    client_id = world["client"]
    attendance(suite, client_id, "attended")
    note(suite, client_id, "crisis")
    assert risk(suite, client_id)["level"] == "high"
    sweep(suite, datetime.now(UTC) + timedelta(days=8))
    assert risk(suite, client_id)["level"] == "none"


# --- readmission ---------------------------------------------------------------------------


def test_a_readmission_starts_a_fresh_window(suite, world):
    client_id = world["client"]
    attendance(suite, client_id, "absent", "absent")
    note(suite, client_id, "crisis")
    assert rules(risk(suite, client_id)) == [
        "consecutive_absences",
        "crisis_note",
        "missed_sessions",
    ]

    discharge(suite, client_id)
    # out of care, attendance no longer counts; the crisis note of the episode still does
    assert rules(risk(suite, client_id)) == ["crisis_note"]

    admit(suite, client_id, FOUNDATION)
    suite.pump()
    flag = risk(suite, client_id)
    assert (flag["level"], flag["reasons"]) == ("none", [])
    assert len(risk_alerts(suite, client_id)) == 1


# --- what is shown --------------------------------------------------------------------------


def test_a_client_never_computed_is_computed_when_read(suite, world):
    client = register_client(suite, FOUNDATION)
    suite.pump()
    flag = risk(suite, client["id"])
    assert (flag["level"], flag["reasons"], flag["last_outreach"]) == ("none", [], None)


def test_the_latest_outreach_reaching_the_client_since_the_reasons_began(suite, world):
    client_id = world["client"]

    def outreach(outcome, recorded_at):
        with suite.runtime("assessment").unit_of_work() as uow:
            uow.session.add(
                Outreach(
                    foundation=FOUNDATION,
                    client_id=client_id,
                    method="phone",
                    outcome=outcome,
                    recorded_by="staff-1",
                    recorded_at=recorded_at,
                )
            )

    now = datetime.now(UTC)
    outreach("reached", now - timedelta(days=1))  # before the reasons began
    note(suite, client_id, "crisis")
    outreach("not_reached", now + timedelta(minutes=1))
    assert risk(suite, client_id)["last_outreach"] is None

    outreach("returned", now + timedelta(minutes=2))
    outreach("reached", now + timedelta(minutes=3))
    outreach("declined", now + timedelta(minutes=4))
    shown = risk(suite, client_id)["last_outreach"]
    assert (shown["outcome"], shown["method"]) == ("reached", "phone")
    assert datetime.fromisoformat(shown["recorded_at"]) == now + timedelta(minutes=3)
    # the flag itself falls only when its rules no longer hold
    assert risk(suite, client_id)["level"] == "high"
    (listed,) = flagged(suite)["items"]
    assert listed["last_outreach"]["id"] == shown["id"]


def flagged(suite, sub="staff-1", foundation=FOUNDATION, **params):
    answer = suite.client("assessment").get(
        "/risk", query_string=params, headers=headers(suite, foundation=foundation, sub=sub)
    )
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def test_flagged_clients_high_first_and_the_callers_own_first_within_a_level(suite, world):
    me, colleague = world["worker"], add_staff(suite, "Dewi")
    suite.pump()
    mine_high, theirs_high = world["client"], client_in_care(suite, colleague)
    mine_watch, theirs_watch = client_in_care(suite, me), client_in_care(suite, colleague)
    calm = client_in_care(suite, me)
    for client_id in (theirs_high, mine_high):
        note(suite, client_id, "crisis")
    for client_id in (theirs_watch, mine_watch):
        note(suite, client_id, "behaviour", ["closed_attitude"])
        note(suite, client_id, "behaviour", ["behaviour_inconsistency"])

    listed = flagged(suite, sub=me)
    order = [(i["client_id"], i["level"]) for i in listed["items"]]
    assert order == [
        (mine_high, "high"),
        (theirs_high, "high"),
        (mine_watch, "watch"),
        (theirs_watch, "watch"),
    ]
    assert listed["total"] == 4 and calm not in [c for c, _ in order]
    assert [i["client_id"] for i in flagged(suite, sub=colleague)["items"]] == [
        theirs_high,
        mine_high,
        theirs_watch,
        mine_watch,
    ]
    watch = flagged(suite, sub=me, level="watch")
    assert [i["client_id"] for i in watch["items"]] == [mine_watch, theirs_watch]
    page = flagged(suite, sub=me, per_page=1, page=2)
    assert ([i["client_id"] for i in page["items"]], page["total"]) == ([theirs_high], 4)
    assert page["items"][0]["reasons"][0]["rule"] == "crisis_note"

    answer = suite.client("assessment").get("/risk?level=none", headers=headers(suite))
    assert answer.status_code == 422 and answer.get_json()["error_codes"]["level"]


def test_another_foundations_flags_do_not_exist(suite, world):
    create_foundation(suite, OTHER)
    other_worker = add_staff(suite, "Made", foundation=OTHER)
    suite.pump()
    theirs = client_in_care(suite, other_worker, foundation=OTHER)
    note_body = {"kind": "crisis", "text": "Krisis.", "obstacles": []}
    post(suite, f"/clients/{theirs}/notes", note_body, foundation=OTHER)
    note(suite, world["client"], "crisis")

    assert [i["client_id"] for i in flagged(suite)["items"]] == [world["client"]]
    assert [i["client_id"] for i in flagged(suite, foundation=OTHER)["items"]] == [theirs]
    for client_id, foundation in ((theirs, FOUNDATION), (world["client"], OTHER)):
        answer = suite.client("assessment").get(
            f"/clients/{client_id}/risk", headers=headers(suite, foundation=foundation)
        )
        assert answer.status_code == 404
        assert answer.get_json()["code"] == "client_not_found"


# --- thresholds ----------------------------------------------------------------------------


def test_admins_set_the_thresholds_and_the_flags_follow(suite, world):
    client_id = world["client"]
    admin = headers(suite, "admin")
    http = suite.client("assessment")
    shown = http.get("/risk/settings", headers=headers(suite, "viewer")).get_json()
    assert shown["thresholds"] == shown["defaults"]
    assert shown["defaults"]["no_recent_session_days"] == 14
    assert shown["updated_by"] is None

    note(suite, client_id, "behaviour", ["closed_attitude"])
    assert risk(suite, client_id)["level"] == "none"

    answer = http.put("/risk/settings", json={"behaviour_notes_count": 1}, headers=headers(suite))
    assert answer.status_code == 403 and answer.get_json()["code"] == "role_forbidden"

    answer = http.put("/risk/settings", json={"behaviour_notes_count": 1}, headers=admin)
    assert answer.status_code == 200, answer.get_json()
    saved = answer.get_json()
    assert saved["thresholds"]["behaviour_notes_count"] == 1
    assert saved["thresholds"]["crisis_note_days"] == 7  # left out: the default
    assert saved["updated_by"] == "staff-1"
    suite.pump()  # the foundation's flags are swept right after
    assert rules(risk(suite, client_id)) == ["behaviour_notes"]

    answer = http.put("/risk/settings", json={}, headers=admin)  # every default again
    assert answer.get_json()["thresholds"] == saved["defaults"]
    suite.pump()
    assert risk(suite, client_id)["level"] == "none"


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"crisis_note_days": 0}, "crisis_note_days", "out_of_range"),
        ({"crisis_note_days": 1000}, "crisis_note_days", "out_of_range"),
        ({"crisis_note_days": "7"}, "crisis_note_days", "invalid_integer"),
        ({"crisis_note_days": 7.5}, "crisis_note_days", "invalid_integer"),
        ({"crisis_note_days": True}, "crisis_note_days", "invalid_integer"),
        ({"crisis_note_days": None}, "crisis_note_days", "null"),
        ({"consecutive_absences": 1}, "consecutive_absences", "out_of_range"),
        ({"absences": 3}, "absences", "unknown_field"),
        ({"missed_sessions_absent": 5}, "missed_sessions_absent", "more_than_window"),
        (
            {"missed_sessions_absent": 3, "missed_sessions_last": 2},
            "missed_sessions_absent",
            "more_than_window",
        ),
    ],
)
def test_bad_thresholds_are_refused_naming_the_field(suite, world, body, field, code):
    http = suite.client("assessment")
    answer = http.put("/risk/settings", json=body, headers=headers(suite, "admin"))
    assert answer.status_code == 422, answer.get_json()
    problem = answer.get_json()
    assert problem["code"] == "validation_failed"
    assert problem["error_codes"][field] == [code], problem
    shown = http.get("/risk/settings", headers=headers(suite)).get_json()
    assert shown["updated_at"] is None  # nothing changed
