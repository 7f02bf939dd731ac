"""What notifications adds to ``/metrics``: its messages by status, those due and not yet
sent, and how old intake's consent heartbeat is (family messages are held while it is
older than ``PENDAMPING_HEARTBEAT_MAX_AGE``)."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.core import Metric
from sqlalchemy import func, select

from services.notifications.models import Message, ProducerHeartbeat
from shared.db import utcnow
from shared.metrics import gauge
from shared.runtime import ServiceRuntime
from shared.vocabulary import MessageStatus, values


def message_metrics(runtime: ServiceRuntime) -> Iterator[Metric]:
    """Read at scrape time from the messages table (``ix_messages_due`` serves both counts)."""
    now = utcnow()
    with runtime.db.reading() as session:  # a scrape never waits for a writer
        by_status = dict(
            session.execute(select(Message.status, func.count()).group_by(Message.status)).all()
        )
        due = session.execute(
            select(func.count()).where(
                Message.status == MessageStatus.SCHEDULED, Message.scheduled_for <= now
            )
        ).scalar_one()
        heartbeat = session.get(ProducerHeartbeat, "intake")
    service = runtime.name
    messages = gauge("pendamping_messages", "Messages by status.", ["status"])
    for status in sorted(set(values(MessageStatus)) | set(by_status)):
        messages.add_metric([service, status], by_status.get(status, 0))
    yield messages
    overdue = gauge(
        "pendamping_messages_due",
        "Messages scheduled for now or earlier and not yet claimed by the dispatcher.",
    )
    overdue.add_metric([service], due)
    yield overdue
    if heartbeat is not None:
        age = gauge(
            "pendamping_consent_heartbeat_age_seconds",
            "Seconds since intake's last heartbeat arrived (family messages wait while it is "
            "older than PENDAMPING_HEARTBEAT_MAX_AGE).",
        )
        age.add_metric([service], (now - heartbeat.at).total_seconds())
        yield age
