"""What the early warning shows: one client's flag (``GET /clients/{id}/risk``) and the
foundation's flagged clients (``GET /risk``), each with the latest outreach that reached
the client since its reasons began."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import case, select
from sqlalchemy.orm import Session, defer

from services.assessment.lookup import client_in_path
from services.assessment.models import ClientView, Outreach, RiskFlag
from services.assessment.outreach import CONTACT_MADE
from services.assessment.risk_flags import current_reasons, stored_reasons
from services.assessment.risk_rules import Reason, level_of
from shared.pagination import paginate
from shared.vocabulary import RiskLevel


def client_risk(db: Session, foundation: str, client_id: str, now: datetime) -> dict[str, Any]:
    """The client's flag as last computed; one never computed yet is computed now (and not
    kept: a read never alerts anyone); an erased client's is none. 404 ``client_not_found``
    for another foundation's."""
    client = client_in_path(db, foundation, client_id)
    if client.erased_at is not None:  # erasure dropped the flag: nothing is judged any more
        return {**_shown(client, RiskLevel.NONE, [], client.erased_at), "last_outreach": None}
    flag = db.get(RiskFlag, client.id)
    if flag is None:
        reasons = current_reasons(db, client, now)
        level, updated_at = level_of(reasons), now
    else:
        reasons, level, updated_at = stored_reasons(flag), RiskLevel(flag.level), flag.updated_at
    shown = _shown(client, level, reasons, updated_at)
    shown["last_outreach"] = _last_outreach(db, foundation, {client.id: reasons}).get(client.id)
    return shown


def flagged_clients(
    db: Session, foundation: str, caller_sub: str, level: str | None, page: dict[str, Any]
) -> dict[str, Any]:
    """A page of the foundation's flagged clients: high first, then watch; within a level
    the caller's own clients first, then by client code."""
    levels = [level] if level else [RiskLevel.HIGH, RiskLevel.WATCH]
    stmt = (
        select(RiskFlag)
        .join(ClientView, ClientView.id == RiskFlag.client_id)
        .where(
            RiskFlag.foundation == foundation,
            ClientView.foundation == foundation,
            ClientView.erased_at.is_(None),
            RiskFlag.level.in_(levels),
        )
        .order_by(
            case((RiskFlag.level == RiskLevel.HIGH, 0), else_=1),
            case((ClientView.case_worker_id == caller_sub, 0), else_=1),
            ClientView.code,
            ClientView.id,
        )
    )
    listed = paginate(db, stmt, page)
    flags: list[RiskFlag] = listed["items"]
    clients = {
        c.id: c
        for c in db.execute(
            select(ClientView).where(ClientView.id.in_([f.client_id for f in flags]))
        ).scalars()
    }
    reasons = {f.client_id: stored_reasons(f) for f in flags}
    reached = _last_outreach(db, foundation, reasons)
    items = []
    for flag in flags:
        shown = _shown(
            clients[flag.client_id],
            RiskLevel(flag.level),
            reasons[flag.client_id],
            flag.updated_at,
        )
        shown["last_outreach"] = reached.get(flag.client_id)
        items.append(shown)
    listed["items"] = items
    return listed


def _shown(
    client: ClientView, level: RiskLevel, reasons: list[Reason], updated_at: datetime
) -> dict[str, Any]:
    return {
        "client_id": client.id,
        "client_code": client.code,
        "case_worker_id": client.case_worker_id,
        "level": level,
        "reasons": reasons,
        "updated_at": updated_at,
    }


def _last_outreach(
    db: Session, foundation: str, reasons: dict[str, list[Reason]]
) -> dict[str, Outreach]:
    """Per client, the latest outreach reaching them since the earliest of its reasons
    (none for a client without reasons)."""
    began = {cid: min(r.since for r in held) for cid, held in reasons.items() if held}
    if not began:
        return {}
    rows: Iterable[Outreach] = db.execute(
        select(Outreach)
        .options(defer(Outreach.notes))  # never shown with a flag: left encrypted
        .where(
            Outreach.foundation == foundation,
            Outreach.client_id.in_(list(began)),
            Outreach.outcome.in_(CONTACT_MADE),
            Outreach.recorded_at >= min(began.values()),
        )
        .order_by(Outreach.recorded_at)
    ).scalars()
    latest: dict[str, Outreach] = {}
    for outreach in rows:
        if outreach.recorded_at >= began[outreach.client_id]:
            latest[outreach.client_id] = outreach
    return latest
