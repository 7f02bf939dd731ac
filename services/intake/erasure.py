"""Erasing intake's part of a client (UU PDP art. 43), after assessment and notifications
have erased theirs.

What identifies the client or tells about them goes: the name (it reads ``""``), NIK and its
keyed hash, birth date and its keyed hash, the name's keyed-hash tokens, phone, address, use
history, referral number, guardian names, family contacts' names, phones and emails,
screening answers and results, what the client's data requests said (who asked, notes,
the parts), and the reasons and notes of the client's referrals (one still pending is
withdrawn). What law and reports need stays, without identity: ids, the client code,
status, sex, dates of episodes and their outcomes, screening scores and risks, consent
flags, and the audit trail (ids and actions only). Then the client's key is destroyed, so
any copy of a value under it (a backup, a queued event) reads as nothing any more.

The columns are overwritten with values that need no client key, and the key goes before
the transaction commits: should the commit fail, the redelivered answer erases again, and
the data it finds is unreadable meanwhile.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, cast

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from services.intake.models import (
    AuditEntry,
    Client,
    ClientNameToken,
    ConsentRecord,
    DataRequest,
    DataRequestPart,
    FamilyContact,
    Referral,
    ReferralChange,
    Screening,
)
from services.intake.referrals import withdraw_for_erasure
from shared.client_keys import KeyStore
from shared.db import rowcount
from shared.events.unit_of_work import UnitOfWork
from shared.vocabulary import DataRequestStatus

log = logging.getLogger(__name__)

#: What each table keeps of an erased client's personal columns.
SCRUBBED: dict[type[Any], dict[str, Any]] = {
    Client: {
        "full_name": "",
        "nik": None,
        "nik_index": None,
        "date_of_birth": None,
        "dob_index": None,
        "phone": None,
        "address": None,
        "health": None,
        "referral_reference_no": None,
        "consent_guardian_name": None,
    },
    FamilyContact: {"name": "", "phone": None, "email": None},
    ConsentRecord: {"guardian_name": None},
    Screening: {"answers": "null", "result": "{}"},
    DataRequest: {"requested_by": None, "notes": None},
    DataRequestPart: {"content": None},
    Referral: {"reason": "", "override_reason": None},
    ReferralChange: {"note": None},
}


def scrub(session: Session, client_id: str, now: datetime) -> dict[str, int]:
    """Overwrite the client's personal columns in every table; the rows touched, by table."""
    counts: dict[str, int] = {}
    for model, values in SCRUBBED.items():
        key = model.id if model is Client else model.client_id
        extra = {"erased_at": now, "updated_at": now} if model is Client else {}
        result = session.execute(
            update(model).where(key == client_id).values(**values, **extra),
            execution_options={"synchronize_session": False},
        )
        counts[model.__tablename__] = rowcount(result)
    tokens = session.execute(delete(ClientNameToken).where(ClientNameToken.client_id == client_id))
    counts[ClientNameToken.__tablename__] = rowcount(tokens)
    return counts


def erase_client(uow: UnitOfWork, request: DataRequest, now: datetime) -> None:
    """Erase intake's part of ``request``'s client, complete the request, refuse any other
    request of the client still open (``client_erased``: nothing can be answered for it
    now), destroy the client's key and tell the others (``client.erased``)."""
    session = uow.session
    client_id = request.client_id
    request.parts.append(DataRequestPart(service="intake", client_id=client_id, answered_at=now))
    request.status, request.completed_at = DataRequestStatus.COMPLETE, now
    others = select(DataRequest).where(
        DataRequest.client_id == client_id,
        DataRequest.status == DataRequestStatus.OPEN,
        DataRequest.id != request.id,
    )
    for other in session.execute(others).scalars():
        other.status, other.refused_code = DataRequestStatus.REFUSED, "client_erased"
    session.flush()
    counts = scrub(session, client_id, now)
    withdraw_for_erasure(uow, client_id, now)  # a referral nobody answered has nothing to share
    session.add(
        AuditEntry(
            foundation=request.foundation,
            actor="intake",
            role="system",
            action="erase",
            resource_type="client",
            resource_id=client_id,
            detail=request.id,
        )
    )
    uow.emit(
        "client.erased",
        subject=client_id,
        foundation=request.foundation,
        data={"client_id": client_id, "request_id": request.id, "erased_at": now},
    )
    cast(KeyStore, uow.db.key_store).destroy(client_id)
    log.info("client %s erased for data request %s: %s", client_id, request.id, counts)
