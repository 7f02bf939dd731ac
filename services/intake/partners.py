"""A foundation's partners: the organisations its case workers refer clients to.

Admins add and change them; everyone of the foundation lists them (a case worker picks one
when referring). A partner that names ``foundation_slug`` is another foundation of this
deployment: a referral to it is that foundation's incoming referral, and a transfer on
acceptance (:mod:`services.intake.transfer`). A partner leaves by ``active: false``: the
referrals made to it keep naming it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from services.intake import audit
from services.intake.foundations import find_foundation
from services.intake.models import Partner
from shared.auth import Caller, foundation_of
from shared.codes import field_error
from shared.events.unit_of_work import UnitOfWork
from shared.problems import NotFound, ValidationFailed
from shared.vocabulary import PartnerKind

FIELDS = ("name", "kind", "email", "phone", "foundation_slug", "active")


def get_partner(session: Session, foundation: str, partner_id: str) -> Partner:
    """The foundation's partner; another foundation's does not exist (404)."""
    partner = session.execute(
        select(Partner).where(Partner.id == partner_id, Partner.foundation == foundation)
    ).scalar()
    if partner is None:
        raise NotFound(code="partner_not_found")
    return partner


def partners_query(foundation: str, filters: dict[str, Any]) -> Select:
    """The foundation's partners by name; ``active`` and ``kind`` filter."""
    stmt = select(Partner).where(Partner.foundation == foundation)
    if filters.get("active") is not None:
        stmt = stmt.where(Partner.active.is_(filters["active"]))
    if filters.get("kind"):
        stmt = stmt.where(Partner.kind == filters["kind"])
    return stmt.order_by(Partner.name, Partner.id)


def check_foundation_partner(session: Session, partner: Partner) -> None:
    """A ``foundation_slug`` names another foundation of this deployment, on a partner of
    kind ``foundation`` (a foundation outside the deployment is a partner without one)."""
    slug = partner.foundation_slug
    if slug is None:
        return
    if partner.kind != PartnerKind.FOUNDATION:
        error = field_error("foundation_slug_not_foundation")
    elif slug == partner.foundation:
        error = field_error("own_foundation")
    elif find_foundation(session, slug) is None:
        error = field_error("foundation_unknown")
    else:
        return
    raise ValidationFailed(errors={"foundation_slug": [error]})


def create_partner(uow: UnitOfWork, caller: Caller, data: dict[str, Any]) -> Partner:
    """Add a partner to the caller's foundation (admins)."""
    partner = Partner(foundation=foundation_of(caller), created_by=caller.sub, active=True)
    for field in FIELDS:
        if field in data:
            setattr(partner, field, data[field])
    check_foundation_partner(uow.session, partner)
    uow.session.add(partner)
    uow.session.flush()
    audit.record(uow.session, caller, "create", "partner", partner.id)
    return partner


def update_partner(
    uow: UnitOfWork, caller: Caller, partner_id: str, changes: dict[str, Any]
) -> Partner:
    """Change a partner, or deactivate it (``active: false``). Referrals already made keep
    the foundation they were made to."""
    partner = get_partner(uow.session, foundation_of(caller), partner_id)
    for field in FIELDS:
        if field in changes:
            setattr(partner, field, changes[field])
    check_foundation_partner(uow.session, partner)
    uow.session.flush()
    audit.record(uow.session, caller, "update", "partner", partner.id, ",".join(sorted(changes)))
    return partner
