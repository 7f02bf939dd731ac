"""A client's early-warning flag, kept up to date: recomputed in the same unit of work as
any change to what its rules read (attendance, a note, a follow-up outcome, a family's
check-in, admission, discharge), and by a periodic sweep for the rules that hold by the
passing of days alone.

A rise to ``high`` (from ``none`` or ``watch``) emits ``risk.raised`` once: the flag counts
its rises, and only a fall below high and a new rise alerts again. Outreach never changes a
flag; only its rules do.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import Session

from services.assessment.models import ClientView, RiskFlag, RiskSettings
from services.assessment.risk_facts import IN_CARE, load_facts
from services.assessment.risk_rules import (
    DEFAULT_THRESHOLDS,
    Reason,
    Thresholds,
    evaluate,
    level_of,
    thresholds_from,
)
from shared.db import insert_unless_present, utcnow
from shared.events.unit_of_work import UnitOfWork
from shared.runtime import ServiceRuntime
from shared.vocabulary import RiskLevel, RiskRule

log = logging.getLogger(__name__)

# The client's flag, locked for its recompute (built once: it runs on every change).
_FLAG_FOR_UPDATE = (
    select(RiskFlag)
    .where(RiskFlag.client_id == bindparam("client_id"))
    .with_for_update()
    .execution_options(populate_existing=True)  # as it is once locked, not as read before
)


def thresholds_of(db: Session, foundation: str) -> Thresholds:
    """The foundation's thresholds (the defaults for any it has not set)."""
    settings = db.get(RiskSettings, foundation)
    if settings is None:
        return DEFAULT_THRESHOLDS
    return thresholds_from(json.loads(settings.thresholds or "{}"))


def current_reasons(db: Session, client: ClientView, now: datetime) -> list[Reason]:
    """The reasons that hold for ``client`` at ``now``, computed afresh (nothing stored)."""
    return evaluate(load_facts(db, client), thresholds_of(db, client.foundation), now)


def recompute_flag(uow: UnitOfWork, client_id: str, now: datetime | None = None) -> RiskFlag | None:
    """Recompute and keep the flag of ``client_id`` (None: assessment does not know the
    client, or its data was erased: erasure dropped its flag and none is made again); emits
    ``risk.raised`` when it rises to high."""
    db = uow.session
    client = db.get(ClientView, client_id)
    if client is None or client.erased_at is not None:
        return None
    now = now or utcnow()
    # The flag is locked before the facts are read: a second writer about the same client
    # waits here, then reads what the first committed. Made on first need, unless present:
    # two writers that both found none must not both insert it.
    flag = db.execute(_FLAG_FOR_UPDATE, {"client_id": client.id}).scalar()
    if flag is None:
        insert_unless_present(
            db,
            RiskFlag,
            ["client_id"],
            client_id=client.id,
            foundation=client.foundation,
            level=RiskLevel.NONE,
            reasons="[]",
            rises=0,
            alerted_rise=0,
            updated_at=now,
        )
        flag = db.execute(_FLAG_FOR_UPDATE, {"client_id": client.id}).scalar_one()
    reasons = current_reasons(db, client, now)
    level = level_of(reasons)
    rose = level == RiskLevel.HIGH and flag.level != RiskLevel.HIGH
    flag.level = level
    flag.reasons = dump_reasons(reasons)
    flag.updated_at = now
    if level != RiskLevel.HIGH:
        flag.high_since = None
    if rose:
        flag.rises += 1
        flag.high_since = now
        _alert(uow, client, flag, reasons, now)
    return flag


def _alert(
    uow: UnitOfWork, client: ClientView, flag: RiskFlag, reasons: list[Reason], now: datetime
) -> None:
    """Tell the case worker of this rise (notifications keeps one message per rise)."""
    uow.emit(
        "risk.raised",
        subject=client.id,
        foundation=client.foundation,
        data={
            "client_id": client.id,
            "client_code": client.code,
            "case_worker_id": client.case_worker_id,
            "level": flag.level,
            "rules": [r.rule for r in reasons],
            "raised_at": now,
            "rise": flag.rises,
        },
    )
    flag.alerted_rise = flag.rises


def dump_reasons(reasons: list[Reason]) -> str:
    return json.dumps(
        [
            {"rule": r.rule, "level": r.level, "since": r.since.isoformat(), "params": r.params}
            for r in reasons
        ]
    )


def stored_reasons(flag: RiskFlag) -> list[Reason]:
    """The reasons a flag keeps, as they were computed."""
    kept: list[dict[str, Any]] = json.loads(flag.reasons or "[]")
    return [
        Reason(
            rule=RiskRule(r["rule"]),
            level=RiskLevel(r["level"]),
            since=datetime.fromisoformat(r["since"]),
            params=r["params"],
        )
        for r in kept
    ]


def clients_to_sweep(db: Session, foundation: str | None = None) -> list[str]:
    """Every client of ``foundation`` (its thresholds changed: any flag may change); else,
    of every foundation, the clients whose flags the passing of days alone can change: those
    in care (a rule may begin to hold) and those flagged (a rule may stop holding)."""
    if foundation is not None:
        query = select(ClientView.id).where(ClientView.foundation == foundation)
    else:
        flagged = select(RiskFlag.client_id).where(RiskFlag.level != RiskLevel.NONE)
        query = select(ClientView.id).where(
            or_(ClientView.status.in_(IN_CARE), ClientView.id.in_(flagged))
        )
    query = query.where(ClientView.erased_at.is_(None))  # an erased client warns of nothing
    return list(db.execute(query.order_by(ClientView.id)).scalars())


def sweep_flags(
    runtime: ServiceRuntime, now: datetime | None = None, foundation: str | None = None
) -> int:
    """Recompute the flag of every client :func:`clients_to_sweep` names, each in its own
    unit of work; answers how many were recomputed."""
    now = now or utcnow()
    with runtime.unit_of_work() as uow:
        client_ids = clients_to_sweep(uow.session, foundation)
    done = 0
    for client_id in client_ids:
        try:
            with runtime.unit_of_work() as uow:
                recompute_flag(uow, client_id, now)
            done += 1
        except Exception:  # one client's failure must not stop the others; the next sweep retries
            log.exception("recomputing the risk flag of client %s failed", client_id)
    return done
