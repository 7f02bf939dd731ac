"""How long event bookkeeping is kept.

Published outbox rows are only needed until every subscriber has them; inbox rows only as
long as a redelivery can still come (Redis requeues within minutes, a relay retry within
hours). Both are pruned well past that, so the tables stay small; the per-subject sequence
and version tables are kept, since ordering depends on them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select

from shared.db import Database
from shared.events.tables import EventTables

KEEP_PUBLISHED = timedelta(days=7)
KEEP_HANDLED = timedelta(days=30)
BATCH = 5000


def prune_events(db: Database, tables: EventTables, now: datetime) -> int:
    """Delete old published outbox rows and old inbox entries; returns how many went."""
    outbox, inbox, attempts = tables.outbox, tables.inbox, tables.attempts
    with db.transaction() as session:
        old_published = (
            select(outbox.c.id)
            .where(outbox.c.published_at.is_not(None), outbox.c.published_at < now - KEEP_PUBLISHED)
            .limit(BATCH)
        )
        gone = _count(session.execute(delete(outbox).where(outbox.c.id.in_(old_published))))
        old_handled = (
            select(inbox.c.event_id).where(inbox.c.handled_at < now - KEEP_HANDLED).limit(BATCH)
        )
        ids = list(session.execute(old_handled).scalars())
        if ids:
            gone += _count(session.execute(delete(inbox).where(inbox.c.event_id.in_(ids))))
            session.execute(delete(attempts).where(attempts.c.event_id.in_(ids)))
    return gone


def _count(result: Any) -> int:
    """Rows a DELETE removed (``rowcount`` lives on the cursor result)."""
    return int(getattr(result, "rowcount", 0) or 0)
