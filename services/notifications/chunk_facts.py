"""What the messages of one send task (a chunk of up to ``SEND_CHUNK`` ids) share, read once
for the chunk instead of once per message: each foundation's profile (calendar, sender
name), its channel settings and template wordings, and intake's last heartbeat.

None of it is about a client or a recipient: consent, contacts and opt-outs are read for
the chunk in the transaction that claims its messages (``send_facts.read_chunk``), never
kept. What is kept here is forgotten after
``FRESH_FOR_SECONDS``, so a chunk held up by a slow provider reads it again, and a change
an admin saves reaches the next sends within that time (about as long as one send waits
for a provider anyway). The heartbeat is re-read whenever the one read last would be stale:
a heartbeat only moves forward, so consent data found fresh with an older one is fresh.
"""

from __future__ import annotations

import time
from datetime import datetime

from sqlalchemy.orm import Session

from services.notifications.channel_settings import load_channel_setting
from services.notifications.freshness import heartbeat_is_fresh
from services.notifications.models import FoundationProfile, ProducerHeartbeat
from services.notifications.rendering import template_wording

FRESH_FOR_SECONDS = 2.0


class ChunkFacts:
    def __init__(self, fresh_for: float = FRESH_FOR_SECONDS) -> None:
        self.fresh_for = fresh_for
        self._read_at = time.monotonic()
        self._known: dict[tuple, object] = {}
        self._heartbeat: datetime | None = None

    def _remembered(self, key: tuple, read):
        if time.monotonic() - self._read_at > self.fresh_for:
            self._known.clear()
            self._read_at = time.monotonic()
        if key not in self._known:
            self._known[key] = read()
        return self._known[key]

    def profile(self, session: Session, foundation: str) -> FoundationProfile | None:
        """The foundation as notifications knows it (read-only: detached from ``session``)."""
        return self._remembered(
            ("profile", foundation), lambda: session.get(FoundationProfile, foundation)
        )

    def channel_setting(self, session: Session, foundation: str, channel: str) -> dict | None:
        """The decrypted, enabled setting of ``channel`` (see ``load_channel_setting``)."""
        return self._remembered(
            ("channel", foundation, channel),
            lambda: load_channel_setting(session, foundation, channel),
        )

    def wording(self, session: Session, foundation: str, template: str, locale: str) -> str | None:
        """The foundation's own wording of ``template`` in ``locale``, if it has one."""
        return self._remembered(
            ("wording", foundation, template, locale),
            lambda: template_wording(session, foundation, template, locale),
        )

    def consent_data_is_fresh(self, session: Session, now: datetime, max_age: int) -> bool:
        """Whether intake's last heartbeat is recent (see ``freshness``)."""
        if not heartbeat_is_fresh(self._heartbeat, now, max_age):
            seen = session.get(ProducerHeartbeat, "intake")
            self._heartbeat = seen.at if seen is not None else None
        return heartbeat_is_fresh(self._heartbeat, now, max_age)
