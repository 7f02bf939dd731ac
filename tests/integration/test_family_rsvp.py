"""Families' answers reaching assessment (``family.replied``): an RSVP shows on its session
(the latest answer per contact, whatever order the events arrive in), a check-in on its
follow-up; another foundation's answer, or one naming what this foundation does not have,
changes nothing."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event as sa_event

from shared.db import new_id
from tests.support.dates import foundation_today
from tests.support.factories import admit, create_foundation, register_client

pytestmark = pytest.mark.integration
FOUNDATION = "medan-plus"
T0 = datetime(2026, 3, 9, 8, 0, tzinfo=UTC)


@pytest.fixture
def family(suite):
    """An admitted client with one family contact, known to assessment."""
    create_foundation(suite, FOUNDATION)
    client = register_client(suite, FOUNDATION)
    admit(suite, client["id"], FOUNDATION)
    suite.pump()
    return {"client_id": client["id"], "contact_id": client["family_contacts"][0]["id"]}


def get(suite, path, foundation=FOUNDATION, **params):
    answer = suite.client("assessment").get(
        path, query_string=params, headers=suite.headers(foundation=foundation)
    )
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def family_session(suite, client_id, days_ahead=2):
    made = suite.client("assessment").post(
        "/sessions",
        json={
            "kind": "family",
            "client_ids": [client_id],
            "starts_at": (datetime.now(UTC) + timedelta(days=days_ahead)).isoformat(),
            "duration_minutes": 60,
        },
        headers=suite.headers(foundation=FOUNDATION),
    )
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["family_rsvp"] == []
    return made.get_json()["id"]


def family_replied(suite, *, foundation=FOUNDATION, minutes=0, **data) -> str:
    """Notifications tells of a reply, through its outbox as it would; the event's id."""
    payload = {
        "reply_id": new_id(),
        "answered_at": T0 + timedelta(minutes=minutes),
        "session_id": None,
        "followup_id": None,
        **data,
    }
    with suite.runtime("notifications").unit_of_work() as uow:
        return uow.emit(
            "family.replied", subject=payload["contact_id"], foundation=foundation, data=payload
        )


def rsvp_of(suite, session_id, foundation=FOUNDATION):
    return [
        (r["contact_id"], r["answer"]) for r in get(suite, f"/sessions/{session_id}")["family_rsvp"]
    ]


def test_the_latest_answer_per_contact_shows_on_the_session(suite, family):
    session_id = family_session(suite, family["client_id"])
    family_replied(suite, intent="rsvp_yes", session_id=session_id, **family)
    suite.pump()
    assert rsvp_of(suite, session_id) == [(family["contact_id"], "yes")]

    family_replied(suite, intent="rsvp_no", session_id=session_id, minutes=5, **family)
    suite.pump()
    (shown,) = get(suite, f"/sessions/{session_id}")["family_rsvp"]
    assert shown == {
        "client_id": family["client_id"],
        "contact_id": family["contact_id"],
        "answer": "no",
        "answered_at": (T0 + timedelta(minutes=5)).isoformat(),
    }


def test_an_older_answer_arriving_late_never_replaces_a_newer_one(suite, family):
    session_id = family_session(suite, family["client_id"])
    family_replied(suite, intent="rsvp_yes", session_id=session_id, minutes=1, **family)
    family_replied(suite, intent="rsvp_later", session_id=session_id, minutes=9, **family)
    suite.flush_publishers()
    delivered = suite.take("assessment")
    assert [args[0]["type"] for _name, args in delivered] == ["family.replied"] * 2
    for name, args in reversed(delivered):  # the later answer overtakes the earlier one
        suite.run_task("assessment", name, args)
    assert rsvp_of(suite, session_id) == [(family["contact_id"], "later")]

    for name, args in delivered:  # and both are delivered again
        suite.run_task("assessment", name, args)
    family_replied(suite, intent="rsvp_no", session_id=session_id, minutes=3, **family)
    suite.pump()
    assert rsvp_of(suite, session_id) == [(family["contact_id"], "later")]


def test_answers_of_several_contacts_are_kept_apart_oldest_first(suite, family):
    session_id = family_session(suite, family["client_id"])
    other = new_id()
    family_replied(suite, intent="rsvp_no", session_id=session_id, minutes=7, **family)
    family_replied(
        suite,
        intent="rsvp_yes",
        session_id=session_id,
        minutes=2,
        client_id=family["client_id"],
        contact_id=other,
    )
    suite.pump()
    assert rsvp_of(suite, session_id) == [(other, "yes"), (family["contact_id"], "no")]


def test_another_foundations_answer_or_an_unknown_session_changes_nothing(suite, family, caplog):
    create_foundation(suite, "yakita")
    session_id = family_session(suite, family["client_id"])
    caplog.set_level(logging.INFO, logger="services.assessment.handlers")
    foreign = family_replied(
        suite, foundation="yakita", intent="rsvp_yes", session_id=session_id, **family
    )
    unknown = family_replied(suite, intent="rsvp_yes", session_id=new_id(), **family)
    not_in_it = family_replied(
        suite,
        intent="rsvp_yes",
        session_id=session_id,
        client_id=new_id(),
        contact_id=family["contact_id"],
    )
    suite.pump()
    assert rsvp_of(suite, session_id) == []
    ignored = [r.getMessage() for r in caplog.records if "ignored" in r.getMessage()]
    for event_id in (foreign, unknown, not_in_it):
        assert any(event_id in line for line in ignored), ignored
    assert not any(session_id in line or family["contact_id"] in line for line in ignored)


def test_the_sessions_list_carries_the_answers_in_one_query_for_the_page(suite, family):
    answered = family_session(suite, family["client_id"], days_ahead=2)
    unanswered = family_session(suite, family["client_id"], days_ahead=3)
    family_replied(suite, intent="rsvp_later", session_id=answered, **family)
    suite.pump()
    week = get(
        suite,
        "/sessions",
        starts_after=datetime.now(UTC).isoformat(),
        starts_before=(datetime.now(UTC) + timedelta(days=7)).isoformat(),
    )
    answers = {s["id"]: [r["answer"] for r in s["family_rsvp"]] for s in week["items"]}
    assert answers == {answered: ["later"], unanswered: []}

    def statements_for_a_page() -> int:
        seen: list[str] = []

        def count(_conn, _cursor, statement, *_args):
            seen.append(statement)

        engine = suite.runtime("assessment").db.engine
        sa_event.listen(engine, "before_cursor_execute", count)
        try:
            get(suite, "/sessions", client_id=family["client_id"])
        finally:
            sa_event.remove(engine, "before_cursor_execute", count)
        return len(seen)

    two_sessions = statements_for_a_page()
    for days in (4, 5, 6):
        family_replied(
            suite,
            intent="rsvp_yes",
            session_id=family_session(suite, family["client_id"], days),
            **family,
        )
    suite.pump()
    assert statements_for_a_page() == two_sessions


def test_a_check_in_answer_shows_on_its_follow_up_the_latest_winning(suite, family):
    discharged = suite.client("assessment").post(
        f"/clients/{family['client_id']}/discharge",
        json={"reason": "completed", "discharged_on": foundation_today().isoformat()},
        headers=suite.headers(foundation=FOUNDATION),
    )
    assert discharged.status_code == 200, discharged.get_json()
    first, second, _third = (f["id"] for f in discharged.get_json())
    assert all(f["family_checkin"] is None for f in discharged.get_json())

    family_replied(suite, intent="checkin_help", followup_id=first, minutes=10, **family)
    family_replied(suite, intent="checkin_ok", followup_id=first, minutes=4, **family)  # older
    family_replied(suite, intent="checkin_ok", followup_id=second, minutes=1, **family)
    suite.pump()
    followups = get(suite, "/followups", client_id=family["client_id"])["items"]
    assert [(f["family_checkin"], f["family_checkin_at"]) for f in followups] == [
        ("help", (T0 + timedelta(minutes=10)).isoformat()),
        ("ok", (T0 + timedelta(minutes=1)).isoformat()),
        (None, None),
    ]

    family_replied(suite, intent="checkin_ok", followup_id=first, minutes=30, **family)
    # another client's follow-up, or another foundation's event, changes nothing
    family_replied(
        suite,
        intent="checkin_help",
        followup_id=second,
        minutes=40,
        client_id=new_id(),
        contact_id=family["contact_id"],
    )
    family_replied(
        suite, foundation="yakita", intent="checkin_help", followup_id=second, minutes=40, **family
    )
    suite.pump()
    followups = get(suite, "/followups", client_id=family["client_id"])["items"]
    assert [f["family_checkin"] for f in followups] == ["ok", "ok", None]


def test_a_reply_that_answers_nothing_here_is_settled_without_effect(suite, family):
    session_id = family_session(suite, family["client_id"])
    family_replied(suite, intent="text", session_id=session_id, **family)
    family_replied(suite, intent="rsvp_yes", **family)  # no session named
    family_replied(suite, intent="checkin_ok", session_id=session_id, **family)
    suite.pump()
    assert rsvp_of(suite, session_id) == []
