"""The IPWL compulsory-report recap (wajib lapor, PP 25/2011): clients handled in a period.

One row per episode of care that overlaps the period (admitted on or before its end and not
discharged before its start), plus clients registered in the period and not yet admitted:
identity (NIK masked), substances, duration and route of use, the latest screening,
referral and treatment status. A client whose data was erased (UU PDP) is still counted, as
``erased``, with its code, episode, dates and outcomes but no identity.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.intake import audit
from services.intake.foundations import find_foundation, local_today
from services.intake.health import health_of
from services.intake.identity import age_on, mask_nik
from services.intake.models import Client, Episode, Screening
from shared.auth import Caller
from shared.db import utcnow
from shared.vocabulary import ClientStatus

COLUMNS = (
    "code",
    "full_name",
    "nik",
    "sex",
    "date_of_birth",
    "age",
    "primary_substances",
    "use_duration_months",
    "route_of_use",
    "screening_instrument",
    "screening_score",
    "screening_risk",
    "referral_source",
    "referral_compulsory",
    "episode",
    "admitted_on",
    "treatment_status",
    "discharged_on",
    "discharge_reason",
    "erased",
)
#: What an erased client's row shows of its identity: nothing.
ERASED_IDENTITY = dict.fromkeys(("full_name", "nik", "date_of_birth", "age"))


def _latest_screening(session: Session, client_id: str) -> Screening | None:
    return session.execute(
        select(Screening)
        .where(Screening.client_id == client_id)
        .order_by(Screening.recorded_at.desc())
        .limit(1)
    ).scalar()


def _row(session: Session, client: Client, episode: Episode | None, today: date) -> dict[str, Any]:
    health = health_of(client)
    screening = _latest_screening(session, client.id)
    dob = date.fromisoformat(client.date_of_birth) if client.date_of_birth else None
    row = {
        "code": client.code,
        "full_name": client.full_name,
        "nik": mask_nik(client.nik),
        "sex": client.sex,
        "date_of_birth": client.date_of_birth,
        "age": age_on(dob, today) if dob else None,
        "primary_substances": health.get("primary_substances", []),
        "use_duration_months": health.get("use_duration_months"),
        "route_of_use": health.get("route_of_use"),
        "screening_instrument": screening.instrument if screening else None,
        "screening_score": screening.score if screening else None,
        "screening_risk": screening.risk if screening else None,
        "referral_source": client.referral_source,
        "referral_compulsory": client.referral_compulsory,
        "episode": episode.number if episode else None,
        "admitted_on": episode.admitted_on.isoformat() if episode else None,
        "treatment_status": episode.treatment_status if episode else client.status,
        "discharged_on": episode.discharged_on.isoformat()
        if episode and episode.discharged_on
        else None,
        "discharge_reason": episode.discharge_reason if episode else None,
        "erased": client.erased_at is not None,
    }
    return {**row, **ERASED_IDENTITY} if row["erased"] else row


def ipwl_rows(session: Session, foundation: str, start: date, end: date) -> list[dict[str, Any]]:
    record = find_foundation(session, foundation)
    now = utcnow()
    today = local_today(record, now)
    episodes = session.execute(
        select(Episode, Client)
        .join(Client, Client.id == Episode.client_id)
        .where(
            Client.foundation == foundation,
            Episode.admitted_on <= end,
            (Episode.discharged_on.is_(None)) | (Episode.discharged_on >= start),
        )
        .order_by(Client.code, Episode.number)
    ).all()
    rows = [_row(session, client, episode, today) for episode, client in episodes]
    registered = session.execute(
        select(Client)
        .where(Client.foundation == foundation, Client.status == ClientStatus.REGISTERED)
        .order_by(Client.code)
    ).scalars()
    for client in registered:
        created = local_today(record, client.created_at)  # the day in its calendar
        if start <= created <= end:
            rows.append(_row(session, client, None, today))
    return rows


def export_recap(
    session: Session, caller: Caller, foundation: str, start: date, end: date, fmt: str
) -> list[dict[str, Any]]:
    """The recap's rows for ``[start, end]``; the export is audited (period, rows, format)."""
    rows = ipwl_rows(session, foundation, start, end)
    audit.record(
        session,
        caller,
        "export",
        "ipwl_report",
        None,
        f"{start}..{end} rows={len(rows)} format={fmt}",
    )
    return rows


def as_csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    """A CSV cell that a spreadsheet will not run as a formula."""
    if isinstance(value, list):
        value = "; ".join(value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
