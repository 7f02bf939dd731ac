"""Assessment's periodic work, sent by Celery beat: its event plumbing and the early
warning's sweep."""

from __future__ import annotations

from shared.beat import Entry, event_plumbing, every
from shared.settings import Settings

QUEUE = "assessment"
SWEEP_RISK_TASK = "assessment.sweep_risk"  # registered by services/assessment/tasks.py
#: The rules' days turn at each foundation's midnight, in whatever time zone it keeps: an
#: hourly sweep brings every flag up to date within the hour of its day turning.
SWEEP_RISK_EVERY_SECONDS = 3600.0


def beat_entries(settings: Settings) -> dict[str, Entry]:
    return {
        **event_plumbing(QUEUE, settings),
        # one not started within the hour is replaced by the next
        "assessment-sweep-risk": every(
            SWEEP_RISK_TASK,
            SWEEP_RISK_EVERY_SECONDS,
            queue=QUEUE,
            expires=SWEEP_RISK_EVERY_SECONDS,
        ),
    }
