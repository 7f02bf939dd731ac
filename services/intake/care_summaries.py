"""Assessment's summary of a client's care, kept for the report to a compulsory referrer
(:mod:`services.intake.referrer_report`): counts, dates and outcomes, nothing else."""

from __future__ import annotations

import json
import logging

from sqlalchemy import select

from services.intake.models import CareSummary, Client
from shared.events import Event
from shared.events.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


def keep_care_summary(uow: UnitOfWork, event: Event, newer: bool) -> None:
    """``care_summary.changed``: the client's latest care summary replaces the one kept
    (an older one arriving late changes nothing)."""
    if not newer:
        return
    data = event.data
    client_id = uow.session.execute(
        select(Client.id).where(
            Client.id == data["client_id"], Client.foundation == event.foundation
        )
    ).scalar()
    if client_id is None:
        log.error("event %s summarises a client unknown to its foundation; ignored", event.id)
        return
    summary = uow.session.get(CareSummary, client_id)
    if summary is None:
        summary = CareSummary(client_id=client_id, foundation=event.foundation)
        uow.session.add(summary)
    placement = data.get("placement") or {}
    summary.attended = data["attended"]
    summary.absent = data["absent"]
    summary.excused = data["excused"]
    summary.last_attended_on = data.get("last_attended_on")
    summary.program_name = placement.get("program_name")
    summary.placed_on = placement.get("start_on")
    summary.placement_ended_on = placement.get("end_on")
    summary.followups = json.dumps(
        [
            {
                "due_on": f["due_on"].isoformat(),
                "offset_days": f["offset_days"],
                "outcome": f.get("outcome"),
                "recorded_on": f["recorded_on"].isoformat() if f.get("recorded_on") else None,
            }
            for f in data["followups"]
        ]
    )
    summary.as_of = data["as_of"]
