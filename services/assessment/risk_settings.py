"""A foundation's thresholds for the early warning (``GET|PUT /risk/settings``). A change
reaches the flags at once: right after the commit the foundation's flags are swept."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.assessment.models import RiskSettings
from services.assessment.risk_flags import thresholds_of
from services.assessment.risk_rules import DEFAULT_THRESHOLDS
from services.assessment.schedule import QUEUE, SWEEP_RISK_TASK
from shared.db import insert_unless_present, utcnow
from shared.events.unit_of_work import UnitOfWork


def risk_settings(db: Session, foundation: str) -> dict[str, Any]:
    """The thresholds in force, the defaults beside them, and who set them when."""
    row = db.get(RiskSettings, foundation)
    return {
        "thresholds": asdict(thresholds_of(db, foundation)),
        "defaults": asdict(DEFAULT_THRESHOLDS),
        "updated_at": row.updated_at if row else None,
        "updated_by": row.updated_by if row else None,
    }


def save_risk_settings(
    uow: UnitOfWork, foundation: str, updated_by: str, thresholds: dict[str, int]
) -> dict[str, Any]:
    """Replace the foundation's thresholds with ``thresholds`` (validated by the API's
    schema); any left out is the default again."""
    db = uow.session
    now = utcnow()
    # made on first need, then locked: two admins saving at once take turns
    insert_unless_present(
        db,
        RiskSettings,
        ["foundation"],
        foundation=foundation,
        thresholds="{}",
        updated_by=updated_by,
        updated_at=now,
    )
    row = db.execute(
        select(RiskSettings)
        .where(RiskSettings.foundation == foundation)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    row.thresholds = json.dumps(thresholds, sort_keys=True)
    row.updated_by = updated_by
    row.updated_at = now
    db.flush()
    celery = uow.runtime.celery if uow.runtime is not None else None
    if celery is not None:
        uow.after_commit(
            lambda: celery.send_task(SWEEP_RISK_TASK, args=[None, foundation], queue=QUEUE)
        )
    return risk_settings(db, foundation)
