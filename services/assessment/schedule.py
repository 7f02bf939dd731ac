"""Assessment's periodic work, sent by Celery beat: its event plumbing only."""

from __future__ import annotations

from shared.beat import Entry, event_plumbing
from shared.settings import Settings

QUEUE = "assessment"


def beat_entries(settings: Settings) -> dict[str, Entry]:
    return event_plumbing(QUEUE, settings)
