"""The baseline of the morning burst: a bare Celery task per message that reads its row,
POSTs it to the provider and marks it sent.

What it shares with the project: the Celery app configuration (``make_celery``: late acks,
one message at a time, JSON), the broker, the worker pool, the fake provider and the kind
of database (a SQLite file in WAL mode). What it leaves out is everything the project adds:
no consent, recipient, opt-out or quiet-hours check, no encryption, no rendering (the row
holds the body the project rendered), no ORM, no status guard. One ``requests.Session`` per
worker thread keeps its connection to the provider open.

    BENCH_BASELINE_DB=... BENCH_PROVIDER_URL=... BENCH_PROVIDER_KEY=... \
    celery -A bench.burst_baseline:celery worker -Q bench-burst
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time

import requests

from bench.common import REDIS_URL
from shared.celery_app import make_celery

QUEUE = "bench-burst"
TASK = "bench.burst_send"
SENDER_ID = "PENDAMPING"

celery = make_celery(QUEUE, REDIS_URL)
_local = threading.local()

SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    id TEXT PRIMARY KEY,
    address TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    provider_message_id TEXT,
    claimed_at REAL,
    sent_at REAL
)
"""


def connect(path: str) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=30, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    return db


def _thread_state() -> tuple[sqlite3.Connection, requests.Session]:
    if not hasattr(_local, "db"):
        _local.db = connect(os.environ["BENCH_BASELINE_DB"])
        _local.http = requests.Session()
    return _local.db, _local.http


@celery.task(name=TASK, ignore_result=True)
def send(message_id: str) -> None:
    db, http = _thread_state()
    claimed_at = time.time()
    address, body = db.execute(
        "SELECT address, body FROM messages WHERE id = ?", (message_id,)
    ).fetchone()
    payload = {
        "to": address,
        "from": SENDER_ID,
        "channel": "sms",
        "reference": message_id,
        "body": body,
    }
    response = http.post(
        os.environ["BENCH_PROVIDER_URL"] + "/messages",
        data=json.dumps(payload).encode(),
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {os.environ['BENCH_PROVIDER_KEY']}",
            "Idempotency-Key": message_id,
        },
        timeout=10,
    )
    response.raise_for_status()
    db.execute(
        "UPDATE messages SET status = 'sent', provider_message_id = ?, claimed_at = ?, "
        "sent_at = ? WHERE id = ?",
        (response.json()["id"], claimed_at, time.time(), message_id),
    )


def fill(path: str, rows: list[tuple[str, str, str]]) -> None:
    """The baseline's table: ``(id, address, body)`` per message, all waiting."""
    db = connect(path)
    db.execute(SCHEMA)
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO messages (id, address, body, status) VALUES (?, ?, ?, 'waiting')", rows
    )
    db.execute("COMMIT")
    db.close()


def publish(ids: list[str]) -> None:
    """One task per message, through one producer connection."""
    with celery.producer_or_acquire() as producer:
        for message_id in ids:
            celery.send_task(TASK, args=[message_id], queue=QUEUE, producer=producer, retry=False)
