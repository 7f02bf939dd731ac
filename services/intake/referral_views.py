"""How a referral is shown, and to whom.

The sending foundation sees its referral whole (:func:`outgoing_view`). A foundation of this
deployment that a referral was made to sees it only through :func:`incoming_view`, and only
its admins: the sending foundation's slug and name, the reason, an age band, sex, the
substances and the parts shared. No name, NIK (not even its last digits), birth date, phone,
address or id of the sender's client; once it accepts, the client it registered
(``client_id``, its own). To anyone else a referral does not exist (404).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from services.intake.client_fields import birth_date_of
from services.intake.foundations import find_foundation, local_today
from services.intake.health import health_of
from services.intake.models import Client, Foundation, Referral
from services.intake.referral_rules import RECEIVING_ROLES, Side, age_band
from shared.auth import Caller, foundation_of
from shared.db import utcnow
from shared.pagination import paginate
from shared.problems import Forbidden, NotFound
from shared.vocabulary import ReferralDirection


def shares_of(referral: Referral) -> list[str]:
    return [share for share in referral.share.split(",") if share]


def find_referral(
    session: Session, caller: Caller, referral_id: str, *, for_update: bool = False
) -> tuple[Referral, Side]:
    """The referral and the caller's side of it: the sending foundation's staff, or the
    receiving foundation's admins. Anyone else: 404 ``referral_not_found``."""
    foundation = foundation_of(caller)
    stmt = select(Referral).where(Referral.id == referral_id)
    referral = session.execute(stmt.with_for_update(of=Referral) if for_update else stmt).scalar()
    if referral is not None and referral.foundation == foundation:
        return referral, Side.SENDER
    if (
        referral is not None
        and referral.to_foundation == foundation
        and caller.role in RECEIVING_ROLES
    ):
        return referral, Side.RECEIVER
    raise NotFound(code="referral_not_found")


def outgoing_view(referral: Referral, client_code: str | None) -> dict[str, Any]:
    """The referral as the sending foundation sees it."""
    partner = referral.partner
    transferred = (
        {"foundation": referral.to_foundation, "client_id": referral.received_client_id}
        if referral.received_client_id
        else None
    )
    return {
        "id": referral.id,
        "direction": ReferralDirection.OUTGOING,
        "client_id": referral.client_id,
        "client_code": client_code,
        "partner": {
            "id": partner.id,
            "name": partner.name,
            "kind": partner.kind,
            "foundation_slug": partner.foundation_slug,
            "active": partner.active,
        },
        "to_foundation": referral.to_foundation,
        "reason": referral.reason,
        "share": shares_of(referral),
        "consent": referral.consent,
        "override_reason": referral.override_reason,
        "status": referral.status,
        "created_by": referral.created_by,
        "created_at": referral.created_at,
        "updated_at": referral.updated_at,
        "history": [
            {
                "status": change.status,
                "side": change.side,
                "note": change.note or None,
                "changed_by": change.changed_by,
                "changed_at": change.changed_at,
            }
            for change in referral.changes
        ],
        "transferred_to": transferred,
    }


def incoming_view(
    referral: Referral, source: Client | None, sender: Foundation | None, now: datetime
) -> dict[str, Any]:
    """The pseudonymised referral a receiving foundation sees (see the module)."""
    substances = health_of(source).get("primary_substances", []) if source else []
    view: dict[str, Any] = {
        "id": referral.id,
        "direction": ReferralDirection.INCOMING,
        "from_foundation": referral.foundation,
        "from_foundation_name": sender.name if sender else referral.foundation,
        "reason": referral.reason,
        "age_band": age_band(birth_date_of(source) if source else None, local_today(sender, now)),
        "sex": source.sex if source else None,
        "substances": substances or [],
        "shared": shares_of(referral),
        "status": referral.status,
        "created_at": referral.created_at,
        "updated_at": referral.updated_at,
    }
    if referral.received_client_id:
        view["client_id"] = referral.received_client_id  # the receiving foundation's own
    return view


def view_for(session: Session, referral: Referral, side: Side) -> dict[str, Any]:
    """The referral as ``side`` sees it."""
    if side == Side.SENDER:
        code = session.execute(select(Client.code).where(Client.id == referral.client_id))
        return outgoing_view(referral, code.scalar())
    source = session.get(Client, referral.client_id)
    return incoming_view(referral, source, find_foundation(session, referral.foundation), utcnow())


def referrals_query(foundation: str, filters: dict[str, Any]) -> Select:
    """The foundation's referrals of ``direction``, newest first, filtered by ``status``
    (and, outgoing, by ``client_id`` and ``partner_id``)."""
    incoming = filters.get("direction") == ReferralDirection.INCOMING
    owner = Referral.to_foundation if incoming else Referral.foundation
    stmt = select(Referral).where(owner == foundation)
    if filters.get("status"):
        stmt = stmt.where(Referral.status == filters["status"])
    if not incoming:
        for name in ("client_id", "partner_id"):
            if filters.get(name):
                stmt = stmt.where(getattr(Referral, name) == filters[name])
    return stmt.order_by(Referral.created_at.desc(), Referral.id.desc())


def list_referrals(session: Session, caller: Caller, filters: dict[str, Any], page: dict) -> dict:
    """A page of the caller's foundation's referrals: outgoing, as it sent them, or incoming
    (admins only), pseudonymised."""
    foundation = foundation_of(caller)
    incoming = filters.get("direction") == ReferralDirection.INCOMING
    if incoming and caller.role not in RECEIVING_ROLES:
        raise Forbidden(code="role_forbidden", role=caller.role)
    found = paginate(session, referrals_query(foundation, filters), page)
    referrals: list[Referral] = found["items"]
    client_ids = {r.client_id for r in referrals}
    if incoming:
        now = utcnow()
        sources = _clients(session, client_ids)
        senders = {r.foundation: find_foundation(session, r.foundation) for r in referrals}
        found["items"] = [
            incoming_view(r, sources.get(r.client_id), senders[r.foundation], now)
            for r in referrals
        ]
    else:
        codes = _codes(session, client_ids)
        found["items"] = [outgoing_view(r, codes.get(r.client_id)) for r in referrals]
    return found


def _codes(session: Session, client_ids: set[str]) -> dict[str, str]:
    if not client_ids:
        return {}
    rows = session.execute(select(Client.id, Client.code).where(Client.id.in_(client_ids)))
    return {client_id: code for client_id, code in rows}


def _clients(session: Session, client_ids: set[str]) -> dict[str, Client]:
    if not client_ids:
        return {}
    found = session.execute(select(Client).where(Client.id.in_(client_ids))).scalars()
    return {client.id: client for client in found}
