"""The provider message ids the inbound webhook has taken, so that none is acted on twice.

A provider that signs only the body (no ``X-Provider-Timestamp``) leaves a captured request
valid for ever: replayed later, a STOP would opt an address out again after it had asked
for messages back. Each message id the provider gives is noted here, per foundation and
channel, before anything else is done with the request; the same id again is a duplicate,
whoever sent it (a family contact, staff, a stranger). The key is a blind index: it reveals
neither the foundation's provider ids nor who wrote. Receipts are kept a year, far longer
than any provider retries.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from services.notifications.models import InboundReceipt
from shared.crypto import cipher
from shared.db import Database, insert_unless_present, rowcount

KEEP_RECEIPTS = timedelta(days=365)


def receipt_key(foundation: str, channel: str, provider_message_id: str) -> str:
    return cipher().blind_index(f"receipt:{foundation}:{channel}:{provider_message_id}")


def first_receipt(
    session: Session, foundation: str, channel: str, provider_message_id: str, now: datetime
) -> bool:
    """Note the provider's message id; ``False`` when it was noted before (two deliveries
    at once included: the second waits for the first and notes nothing)."""
    return insert_unless_present(
        session,
        InboundReceipt,
        ["key"],
        key=receipt_key(foundation, channel, provider_message_id),
        foundation=foundation,
        received_at=now,
    )


def prune_receipts(db: Database, now: datetime) -> int:
    """Forget the receipts older than a year; returns how many went."""
    with db.transaction() as session:
        gone = session.execute(
            delete(InboundReceipt).where(InboundReceipt.received_at < now - KEEP_RECEIPTS)
        )
        return rowcount(gone)
