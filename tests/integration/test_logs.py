"""The operator's logs: JSON lines that follow one user action through every service.

A client is registered (with a case worker, a NIK, phones, an address and a family
contact) and admitted under an ``X-Correlation-ID``; the welcome reaches the family through
the real Redis queues. The lines every logger wrote meanwhile (DEBUG, the root logger,
through Pendamping's JSON handler) must each be one JSON object, carry the admission's
correlation id in intake's, assessment's and notifications' lines, and hold none of the
personal values used.
"""

from __future__ import annotations

import io
import json
import uuid

import pytest
from sqlalchemy import text

from tests.security.world import PEOPLE
from tests.support.factories import create_foundation

pytestmark = pytest.mark.integration

PERSON = PEOPLE["a"]


def lines(stream: io.StringIO) -> list[dict]:
    text_ = stream.getvalue()
    assert text_.endswith("\n")
    return [json.loads(line) for line in text_.splitlines()]


def register_and_admit(suite, correlation_id: str) -> dict:
    admin = suite.headers("admin")
    intake = suite.client("intake")
    staff = intake.post(
        "/staff",
        json={
            "name": PERSON.staff_name,
            "role": "social_worker",
            "email": PERSON.staff_email,
            "phone": PERSON.staff_phone_local,
        },
        headers=admin,
    )
    assert staff.status_code == 201, staff.get_json()
    registered = intake.post(
        "/clients",
        json={
            "full_name": PERSON.full_name,
            "nik": PERSON.nik,
            "phone": PERSON.phone_local,
            "address": PERSON.address,
            "case_worker_id": staff.get_json()["id"],
            "family_contacts": [
                {
                    "name": PERSON.contact_name,
                    "relationship": "mother",
                    "phone": PERSON.contact_phone_local,
                    "email": PERSON.contact_email,
                    "channel": "sms",
                }
            ],
            "consent": {"contact_family": True, "given_by": "client"},
        },
        headers=suite.headers(),
    )
    assert registered.status_code == 201, registered.get_json()
    client = registered.get_json()
    # a search by name: the query string must not reach the log
    found = intake.get(f"/clients?q={PERSON.full_name.split()[0]}", headers=suite.headers())
    assert found.get_json()["total"] == 1
    admitted = intake.post(
        f"/clients/{client['id']}/admission",
        json={"family_agreement": True},
        headers={**suite.headers(), "X-Correlation-ID": correlation_id},
    )
    assert admitted.status_code == 200, admitted.get_json()
    assert admitted.headers["X-Correlation-ID"] == correlation_id
    assert admitted.headers["X-Request-ID"]
    return client


def test_one_admission_is_followed_by_its_correlation_id_through_every_service(suite, json_log):
    create_foundation(suite)
    suite.pump()
    correlation_id = f"admission-{uuid.uuid4().hex}"
    client = register_and_admit(suite, correlation_id)
    suite.pump()

    messages = suite.client("notifications").get(
        f"/messages?client_id={client['id']}", headers=suite.headers()
    )
    welcomes = [m for m in messages.get_json()["items"] if m["template"] == "family.welcome"]
    assert [m["status"] for m in welcomes] == ["sent"]
    # the event that carried the admission across carries the same id
    with suite.runtime("intake").db.transaction() as session:
        envelopes = session.execute(
            text("SELECT envelope FROM outbox WHERE type = 'client.admitted'")
        ).scalars()
        assert [json.loads(e)["correlation_id"] for e in envelopes] == [correlation_id]

    records = lines(json_log)
    for record in records:
        assert {"time", "level", "service", "logger", "message"} <= set(record), record
    ours = [r for r in records if r.get("correlation_id") == correlation_id]
    by_service = {r["service"] for r in ours}
    assert {"intake", "assessment", "notifications"} <= by_service, ours
    # intake: the request, by route template and with its request id
    (request_line,) = [r for r in ours if r["service"] == "intake" and r.get("route")]
    assert request_line["route"] == "/clients/<client_id>/admission"
    assert request_line["status"] == 200 and request_line["request_id"]
    # assessment and notifications: the event they handled, and the welcome's send
    assert any(
        r["service"] == "assessment" and r.get("event_type") == "client.admitted" for r in ours
    )
    sent = [r for r in ours if r["service"] == "notifications" and r.get("outcome") == "sent"]
    assert len(sent) == 1, ours

    captured = json_log.getvalue().lower()
    leaked = [value for value in PERSON.plaintexts() if value.lower() in captured]
    assert not leaked, f"personal data in the logs: {leaked}"


def test_a_malformed_correlation_id_is_replaced_and_a_good_one_echoed(suite):
    intake = suite.client("intake")
    good = "proxy-trace:0123456789abcdef"
    answered = intake.get(
        "/foundations", headers={**suite.headers("operator"), "X-Correlation-ID": good}
    )
    assert answered.headers["X-Correlation-ID"] == good
    for bad in ("short", "x" * 65, "has spaces in it", "semi;colon;injection"):
        answered = intake.get(
            "/foundations", headers={**suite.headers("operator"), "X-Correlation-ID": bad}
        )
        replaced = answered.headers["X-Correlation-ID"]
        assert replaced != bad and uuid.UUID(replaced)
    # every request gets its own id, a proxy's is kept
    first, second = intake.get("/health"), intake.get("/health")
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]
    kept = intake.get("/health", headers={"X-Request-ID": "nginx-0f3a9c2e7b"})
    assert kept.headers["X-Request-ID"] == "nginx-0f3a9c2e7b"


def test_a_worker_task_logs_its_name_and_its_events_correlation_id(suite, json_log):
    """What a Celery worker does (task signals included): the consumer's lines name the
    task, and each task starts without the previous task's correlation id."""
    create_foundation(suite)
    suite.pump()
    correlation_id = f"admission-{uuid.uuid4().hex}"
    client = register_and_admit(suite, correlation_id)
    suite.flush_publishers()
    suite.take("assessment")
    celery = suite.runtime("notifications").celery
    for name, args in suite.take("notifications"):
        celery.tasks[name].apply(args=args)
    heartbeat = suite.runtime("intake").celery.tasks["intake.heartbeat"]
    heartbeat.apply(), heartbeat.apply()

    records = lines(json_log)
    handled = [
        r
        for r in records
        if r.get("task") == "notifications.handle_event"
        and r.get("event_type") == "client.admitted"
    ]
    assert handled and all(r["correlation_id"] == correlation_id for r in handled), handled
    assert all(r["service"] == "notifications" and r["task_id"] for r in handled)
    with suite.runtime("intake").db.transaction() as session:
        beats = session.execute(
            text("SELECT envelope FROM outbox WHERE type = 'intake.heartbeat'")
        ).scalars()
        ids = {json.loads(e)["correlation_id"] for e in beats}
    assert correlation_id not in ids and len(ids) >= 2, "each sweep is an action of its own"
    assert client["id"]
