"""The report to a compulsory referrer: how the rehabilitation a court, the police or BNN
ordered is going (``GET /clients/{id}/referrer-report``, admins).

Only for a client whose referral is ``compulsory`` (404 ``not_compulsory`` otherwise). It
says who the client is to the referrer (name, code, the referrer's reference number), the
treatment status and its dates (episodes, the latest placement), attendance counts and
follow-up dates and outcomes: what assessment last summarised
(``care_summary.changed``, kept in :class:`~services.intake.models.CareSummary`), so intake
serves it alone. It never holds a note, a screening answer or anything of the family. Each
download is audited (ids and action). :mod:`services.intake.referrer_report_pages` prints
it as HTML or PDF.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from services.intake import audit
from services.intake.clients import get_client
from services.intake.foundations import DEFAULT_TIMEZONE, find_foundation
from services.intake.models import CareSummary, Client
from shared.auth import Caller, foundation_of
from shared.db import utcnow
from shared.problems import NotFound


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _care(summary: CareSummary | None) -> dict[str, Any]:
    if summary is None:  # assessment has recorded nothing of this client's care yet
        return {
            "attendance": {"attended": 0, "absent": 0, "excused": 0, "last_attended_on": None},
            "placement": None,
            "followups": [],
            "as_of": None,
        }
    placement = (
        {
            "program_name": summary.program_name,
            "start_on": _iso(summary.placed_on),
            "end_on": _iso(summary.placement_ended_on),
        }
        if summary.program_name
        else None
    )
    followups = json.loads(summary.followups or "[]")
    return {
        "attendance": {
            "attended": summary.attended,
            "absent": summary.absent,
            "excused": summary.excused,
            "last_attended_on": _iso(summary.last_attended_on),
        },
        "placement": placement,
        "followups": [
            {
                "due_on": f.get("due_on"),
                "offset_days": f.get("offset_days"),
                "outcome": f.get("outcome"),
                "recorded_on": f.get("recorded_on"),
            }
            for f in followups
        ],
        "as_of": _iso(summary.as_of),
    }


def report_of(session: Session, client: Client, foundation_name: str) -> dict[str, Any]:
    """The report's content for ``client`` (see the module)."""
    return {
        "client": {"id": client.id, "code": client.code, "full_name": client.full_name},
        "foundation": {"slug": client.foundation, "name": foundation_name},
        "referral": {
            "source": client.referral_source,
            "reference_no": client.referral_reference_no,
        },
        "status": client.status,
        "episodes": [
            {
                "number": e.number,
                "admitted_on": _iso(e.admitted_on),
                "treatment_status": e.treatment_status,
                "discharged_on": _iso(e.discharged_on),
                "discharge_reason": e.discharge_reason,
            }
            for e in client.episodes
        ],
        **_care(session.get(CareSummary, client.id)),
        "generated_at": _iso(utcnow()),
    }


def referrer_report(
    session: Session, caller: Caller, client_id: str
) -> tuple[dict[str, Any], str, str]:
    """The report of one client of the caller's foundation, with the foundation's locale
    and time zone (what the printed copies are in); the download is audited. 404
    ``not_compulsory`` for a client referred otherwise."""
    client = get_client(session, foundation_of(caller), client_id)
    if not client.referral_compulsory:
        raise NotFound(code="not_compulsory")
    foundation = find_foundation(session, client.foundation)
    audit.record(session, caller, "report", "referrer_report", client.id)
    if foundation is None:  # a token may name a foundation intake has no record of
        return report_of(session, client, client.foundation), "id", DEFAULT_TIMEZONE
    return report_of(session, client, foundation.name), foundation.locale, foundation.timezone
