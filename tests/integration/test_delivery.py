"""Delivery through a real (local) SMS provider: retries, final failure, and a worker killed
mid-send — the provider's request log is the witness that nothing arrives twice."""

from __future__ import annotations

import os
import signal
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text, update

from services.notifications.chunk_facts import ChunkFacts
from services.notifications.dispatcher import dispatch, recover_stalled
from services.notifications.models import Message, ProducerHeartbeat
from shared.db import utcnow
from tests.support.factories import admit, create_foundation, register_client
from tests.support.provider import send_sms_through
from tests.support.workers import start_notifications_worker

pytestmark = pytest.mark.integration


@pytest.fixture
def sms_foundation(suite, provider):
    create_foundation(suite)
    send_sms_through(suite, provider)
    staff = (
        suite.client("intake")
        .post(
            "/staff",
            headers=suite.headers("admin"),
            json={"name": "Rahmat", "role": "social_worker", "email": "rahmat@example.org"},
        )
        .get_json()
    )
    suite.pump()
    return staff


def sms_client(suite, name, case_worker_id=None):
    client = register_client(
        suite,
        full_name=name,
        case_worker_id=case_worker_id,
        family_contacts=[
            {
                "name": f"Ibu {name}",
                "relationship": "mother",
                "phone": "081234567890",
                "channel": "sms",
            }
        ],
    )
    return client


def status_of(suite, client_id, template="family.welcome"):
    items = (
        suite.client("notifications")
        .get(f"/messages?client_id={client_id}&template={template}", headers=suite.headers())
        .get_json()["items"]
    )
    return items


def make_due_again(suite):
    """Let backoff time pass: retries are due now."""
    runtime = suite.runtime("notifications")
    with runtime.db.transaction() as db:
        db.execute(
            text("UPDATE messages SET scheduled_for = :now WHERE status = 'scheduled'"),
            {"now": utcnow() - timedelta(seconds=1)},
        )
    dispatch(runtime)
    suite.pump()


def test_fails_twice_then_sent_exactly_once(suite, provider, sms_foundation):
    provider.fail_next(2, status=503)
    client = sms_client(suite, "Budi")
    admit(suite, client["id"])
    suite.pump()
    (message,) = status_of(suite, client["id"])
    assert message["status"] == "scheduled" and message["reason"].startswith("retrying")
    assert (message["reason_code"], message["reason"]) == (
        "retrying",
        "retrying: sms provider answered 503",
    )
    make_due_again(suite)
    make_due_again(suite)
    (message,) = status_of(suite, client["id"])
    assert (message["status"], message["attempts"]) == ("sent", 3)
    assert (message["reason_code"], message["reason"]) == (None, None)
    assert len(provider.requests) == 3
    assert [d.header("Idempotency-Key") for d in provider.deliveries] == [message["id"]]


def test_always_failing_ends_failed_and_alerts_the_case_worker(suite, provider, sms_foundation):
    client = sms_client(suite, "Rudi", case_worker_id=sms_foundation["id"])
    provider.fail_next(50, status=500)
    admit(suite, client["id"])
    suite.pump()
    for _ in range(6):
        make_due_again(suite)
    (message,) = status_of(suite, client["id"])
    assert message["status"] == "failed" and message["attempts"] == 5
    assert (message["reason_code"], message["reason"]) == (
        "provider_answered",
        "sms provider answered 500",
    )
    (alert,) = status_of(suite, client["id"], "staff.delivery_failed")
    assert alert["recipient"]["id"] == sms_foundation["id"] and alert["status"] == "sent"
    assert provider.deliveries == []
    with suite.runtime("notifications").db.transaction() as db:
        announced = db.execute(
            text("SELECT subject FROM outbox WHERE type = 'message.failed'")
        ).scalars()
        assert list(announced) == [message["id"]]  # message.failed, once, for other services


def test_rejected_by_the_provider_fails_at_once(suite, provider, sms_foundation):
    provider.reject_next(1, status=400)
    client = sms_client(suite, "Sari")
    admit(suite, client["id"])
    suite.pump()
    (message,) = status_of(suite, client["id"])
    assert (message["status"], message["attempts"]) == ("failed", 1)
    assert (message["reason_code"], message["reason"]) == (
        "provider_answered",
        "sms provider answered 400",
    )


def _start_worker(settings, log_path):
    return start_notifications_worker(settings, log_path)


def _wait(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_a_worker_killed_mid_send_delivers_nothing_twice(
    suite, provider, sms_foundation, settings, tmp_path
):
    clients = [sms_client(suite, f"Klien {i}") for i in range(6)]
    suite.pump()
    provider.stall_next(2, seconds=20)  # the first two sends hang inside the provider
    worker = _start_worker(settings, tmp_path / "worker-1.log")
    try:
        for client in clients:
            admit(suite, client["id"])
        suite.flush_publishers()  # events reach Redis; the real worker takes them from there
        assert _wait(lambda: len(provider.requests) >= 2), (tmp_path / "worker-1.log").read_text()
        os.killpg(worker.pid, signal.SIGKILL)  # mid-send
        worker.wait(10)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
    runtime = suite.runtime("notifications")
    with runtime.db.transaction() as db:
        sending = db.execute(select(func.count()).where(Message.status == "sending")).scalar()
    assert sending >= 1  # the crash left messages marked `sending`

    worker = _start_worker(settings, tmp_path / "worker-2.log")
    try:
        # time passes beyond the sending timeout: the sweep puts them back on the schedule
        recover_stalled(runtime.db, utcnow() + timedelta(minutes=10))
        dispatch(runtime)

        def all_sent():
            with runtime.db.transaction() as db:
                statuses = (
                    db.execute(select(Message.status).where(Message.template == "family.welcome"))
                    .scalars()
                    .all()
                )
            return len(statuses) == 6 and set(statuses) == {"sent"}

        assert _wait(all_sent, timeout=90), (tmp_path / "worker-2.log").read_text()[-3000:]
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(30)
    keys = [d.header("Idempotency-Key") for d in provider.deliveries]
    assert len(keys) == 6 and len(set(keys)) == 6  # six messages, each delivered once
    duplicates = len(provider.requests) - len(provider.deliveries)
    print(
        f"\nprovider: {len(provider.requests)} requests, {len(keys)} deliveries, "
        f"{duplicates} repeats absorbed by idempotency keys"
    )


def test_a_burst_goes_over_one_kept_alive_connection_each_message_once(
    suite, provider, sms_foundation
):
    clients = [sms_client(suite, f"Pagi {i}") for i in range(4)]
    suite.pump()
    for client in clients:
        admit(suite, client["id"])
    suite.pump()
    assert [status_of(suite, c["id"])[0]["status"] for c in clients] == ["sent"] * 4
    keys = [d.header("Idempotency-Key") for d in provider.deliveries]
    assert len(provider.requests) == 4 and len(set(keys)) == 4
    assert provider.connections == 1  # no connection (nor TLS handshake) per message


def test_a_chunk_reads_a_channel_setting_again_after_a_while(suite, provider, sms_foundation):
    """What a chunk's messages share is read once, and again once it is older than the
    chunk's memory: a setting an admin saves reaches the sends that follow."""
    runtime = suite.runtime("notifications")
    facts = ChunkFacts(fresh_for=3600)
    with runtime.db.reading() as db:
        assert facts.channel_setting(db, "medan-plus", "sms")["sender_id"] == "MEDANPLUS"
    response = suite.client("notifications").put(
        "/channels/sms",
        headers=suite.headers("admin"),
        json={"base_url": provider.url, "sender_id": "YAYASAN"},
    )
    assert response.status_code == 200, response.get_json()
    with runtime.db.reading() as db:
        assert facts.channel_setting(db, "medan-plus", "sms")["sender_id"] == "MEDANPLUS"
        facts.fresh_for = 0
        setting = facts.channel_setting(db, "medan-plus", "sms")
    assert (setting["sender_id"], setting["api_key"]) == ("YAYASAN", "test-key-123")


def test_a_chunk_reads_the_heartbeat_again_once_it_would_be_stale(suite):
    runtime = suite.runtime("notifications")
    max_age = runtime.settings.heartbeat_max_age_seconds
    facts = ChunkFacts(fresh_for=3600)
    now = utcnow()
    later = now + timedelta(seconds=max_age + 60)
    with runtime.db.transaction() as db:
        assert facts.consent_data_is_fresh(db, now, max_age)  # the suite's first heartbeat
        assert not facts.consent_data_is_fresh(db, later, max_age)
        db.execute(update(ProducerHeartbeat).values(at=later))  # a newer heartbeat came
        assert facts.consent_data_is_fresh(db, later, max_age)
