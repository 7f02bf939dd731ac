"""Referring a client to a partner, and each answer after: the pendamping as broker.

A referral is made by a case worker (social worker, counsellor or admin) with the parts of
the record it shares and its ground: the client's consent, or an admin's override with a
reason, audited as such (:func:`~services.intake.referral_rules.ground_of`). It then moves
``pending`` → ``accepted`` | ``rejected`` → ``done``, or is revoked by the sender while
pending or accepted (:func:`~services.intake.referral_rules.may_change`). A partner that is
another foundation of this deployment answers through its admins, and its acceptance is a
transfer (:mod:`services.intake.transfer`); for any other partner the sender records the
answer. Every change is kept with its note (under the client's key), audited in each
foundation it touches, and announced as ``referral.changed``: notifications reminds the
case worker of a referral still pending after a week, assessment writes its summary on a
transferred client.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from services.intake import audit
from services.intake.clients import get_client
from services.intake.models import AuditEntry, Client, Partner, Referral, ReferralChange
from services.intake.referral_rules import (
    OPEN,
    Side,
    ground_of,
    may_change,
    remind_at,
    shares_in_order,
)
from services.intake.referral_views import find_referral, shares_of
from services.intake.transfer import accept_transfer
from shared.auth import Caller, foundation_of
from shared.codes import field_error
from shared.db import new_id, utcnow
from shared.events.unit_of_work import UnitOfWork
from shared.problems import Conflict, ValidationFailed
from shared.vocabulary import ReferralStatus

#: what the audit log calls each change
ACTIONS = {
    ReferralStatus.ACCEPTED: "accept",
    ReferralStatus.REJECTED: "reject",
    ReferralStatus.DONE: "complete",
    ReferralStatus.REVOKED: "revoke",
}


def _partner_for(session, foundation: str, partner_id: str) -> Partner:
    """The foundation's active partner named in the body (422 on ``partner_id`` else)."""
    partner = session.execute(
        select(Partner).where(Partner.id == partner_id, Partner.foundation == foundation)
    ).scalar()
    if partner is None:
        raise ValidationFailed(errors={"partner_id": [field_error("partner_not_found")]})
    if not partner.active:
        raise ValidationFailed(errors={"partner_id": [field_error("partner_inactive")]})
    return partner


def refer_client(
    uow: UnitOfWork, caller: Caller, client_id: str, data: dict[str, Any]
) -> tuple[Referral, Client]:
    """Refer the client to a partner; answers ``(referral, client)``. 422
    ``consent_required`` without consent or an admin's override, 409 ``referral_open``
    while the client has an open referral to the same partner."""
    session = uow.session
    # two referrals of one client at once: the second waits here, then sees the first
    client = get_client(session, foundation_of(caller), client_id, for_update=True)
    ground = ground_of(data["consent"], caller.role, data.get("override_reason"))
    if ground is None:
        raise ValidationFailed(
            code="consent_required", errors={"consent": [field_error("consent_required")]}
        )
    partner = _partner_for(session, client.foundation, data["partner_id"])
    already = session.execute(
        select(Referral.id).where(
            Referral.client_id == client.id,
            Referral.partner_id == partner.id,
            Referral.status.in_(OPEN),
        )
    ).scalar()
    if already is not None:
        raise Conflict(code="referral_open", referral_id=already)
    now = utcnow()
    referral = Referral(
        id=new_id(),
        foundation=client.foundation,
        client_id=client.id,
        partner=partner,
        to_foundation=partner.foundation_slug,
        reason=data["reason"],
        share=",".join(shares_in_order(data.get("share") or [])),
        consent=ground.consent,
        override_reason=ground.override_reason,
        status=ReferralStatus.PENDING,
        created_by=caller.sub,
        created_at=now,
        updated_at=now,
    )
    referral.changes.append(_change(referral, ReferralStatus.PENDING, Side.SENDER, caller, None))
    session.add(referral)
    session.flush()
    action = "refer_override" if ground.overridden else "refer"
    audit.record(session, caller, action, "referral", client.id, referral.id)
    announce(uow, referral, client)
    return referral, client


def change_referral(
    uow: UnitOfWork, caller: Caller, referral_id: str, data: dict[str, Any]
) -> tuple[Referral, Side]:
    """Move a referral to ``data["status"]`` as the caller's side may (409
    ``invalid_transition`` otherwise); answers ``(referral, side)``. A receiving
    foundation's acceptance registers the client there (:mod:`services.intake.transfer`)."""
    session = uow.session
    referral, side = find_referral(session, caller, referral_id, for_update=True)
    target = data["status"]
    answers_itself = referral.to_foundation is not None
    if not may_change(referral.status, target, side, partner_answers_itself=answers_itself):
        raise Conflict(
            code="invalid_transition", referral_status=referral.status, target_status=target
        )
    now = utcnow()
    referral.status = target
    referral.updated_at = now
    referral.changes.append(_change(referral, target, side, caller, data.get("note")))
    if target == ReferralStatus.ACCEPTED and answers_itself:
        accept_transfer(uow, caller, referral, now)
    session.flush()
    _audit_change(uow, caller, referral, side, ACTIONS[ReferralStatus(target)])
    client = session.get(Client, referral.client_id)
    announce(uow, referral, client)
    return referral, side


def withdraw_for_erasure(uow: UnitOfWork, client_id: str, now: datetime) -> None:
    """Withdraw each referral of a client being erased that nobody has answered yet (nothing
    is left to share), as the sender's revocation would be: a row of its history, an entry in
    the audit log of each foundation it touches, and ``referral.changed`` (the case worker's
    reminder of it is cancelled). The erasure itself is the actor (``intake``, a system)."""
    session = uow.session
    pending = session.execute(
        select(Referral)
        .where(Referral.client_id == client_id, Referral.status == ReferralStatus.PENDING)
        .with_for_update(of=Referral)  # not the partner it is loaded with
    ).scalars()
    withdrawn = list(pending)
    action = ACTIONS[ReferralStatus.REVOKED]
    for referral in withdrawn:
        erasure = Caller(sub="intake", role="system", foundation=referral.foundation)
        referral.status, referral.updated_at = ReferralStatus.REVOKED, now
        referral.changes.append(
            _change(referral, ReferralStatus.REVOKED, Side.SENDER, erasure, None)
        )
        _audit_change(uow, erasure, referral, Side.SENDER, action)
        if referral.to_foundation is not None:  # names the referral, never the client
            receiving = Caller(
                sub=erasure.sub, role=erasure.role, foundation=referral.to_foundation
            )
            audit.record(
                session, receiving, action, "referral", referral.id, f"by {referral.foundation}"
            )
    session.flush()
    client = session.get(Client, client_id)
    for referral in withdrawn:
        announce(uow, referral, client)


def _change(
    referral: Referral, status: str, side: Side, caller: Caller, note: str | None
) -> ReferralChange:
    return ReferralChange(
        id=new_id(),
        client_id=referral.client_id,
        status=status,
        side=side,
        note=note,
        changed_by=caller.sub,
        changed_at=utcnow(),
    )


def _audit_change(
    uow: UnitOfWork, caller: Caller, referral: Referral, side: Side, action: str
) -> None:
    """In the sender's log on the client's record; a receiving foundation's admin's change
    is in both logs (the receiving one names the referral, never the sender's client)."""
    session = uow.session
    if side == Side.SENDER:
        audit.record(session, caller, action, "referral", referral.client_id, referral.id)
        return
    audit.record(session, caller, action, "referral", referral.id)
    session.add(
        AuditEntry(
            foundation=referral.foundation,
            actor=caller.sub,
            role=caller.role,
            action=action,
            resource_type="referral",
            resource_id=referral.client_id,
            detail=f"{referral.id} by {caller.foundation}",
        )
    )


def announce(uow: UnitOfWork, referral: Referral, client: Client | None) -> None:
    """``referral.changed``: the referral's current state, for the case worker's reminder
    (notifications) and a transferred client's summary (assessment). No personal value:
    the reason and notes stay in intake."""
    uow.emit(
        "referral.changed",
        subject=referral.id,
        foundation=referral.foundation,
        data={
            "referral_id": referral.id,
            "client_id": referral.client_id,
            "client_code": client.code if client else "",
            "case_worker_id": client.case_worker_id if client else None,
            "partner_id": referral.partner_id,
            "partner_name": referral.partner.name,
            "status": referral.status,
            "share": shares_of(referral),
            "created_at": referral.created_at,
            "remind_at": remind_at(referral.status, referral.created_at),
            "to_foundation": referral.to_foundation,
            "received_client_id": referral.received_client_id,
        },
    )
