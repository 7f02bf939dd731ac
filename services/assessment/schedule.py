"""Assessment's periodic work, sent by Celery beat: its event plumbing and the early
warning's sweep."""

from __future__ import annotations

from shared.beat import Entry, event_plumbing, hourly_at
from shared.settings import Settings

QUEUE = "assessment"
SWEEP_RISK_TASK = "assessment.sweep_risk"  # registered by services/assessment/tasks.py
#: The rules' days turn at each foundation's midnight, in whatever time zone it keeps (on
#: the hour in Indonesia's three): a sweep two minutes past every hour brings every flag up
#: to date just after its day turns.
SWEEP_RISK_MINUTE = 2
SWEEP_RISK_EXPIRES_SECONDS = 3600.0


def beat_entries(settings: Settings) -> dict[str, Entry]:
    return {
        **event_plumbing(QUEUE, settings),
        # one not started within the hour is replaced by the next
        "assessment-sweep-risk": hourly_at(
            SWEEP_RISK_TASK,
            SWEEP_RISK_MINUTE,
            queue=QUEUE,
            expires=SWEEP_RISK_EXPIRES_SECONDS,
        ),
    }
