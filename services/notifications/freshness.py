"""Consent freshness: a withdrawal only takes effect when its event arrives, so family
messages wait while intake's last heartbeat (sent through its outbox, like every consent
change) is older than the bound. Staff messages never wait for it."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from services.notifications.models import ProducerHeartbeat


def heartbeat_is_fresh(last_seen: datetime | None, now: datetime, max_age_seconds: int) -> bool:
    return last_seen is not None and now - last_seen <= timedelta(seconds=max_age_seconds)


def consent_data_is_fresh(session: Session, now: datetime, max_age_seconds: int) -> bool:
    seen = session.get(ProducerHeartbeat, "intake")
    return heartbeat_is_fresh(seen.at if seen else None, now, max_age_seconds)
