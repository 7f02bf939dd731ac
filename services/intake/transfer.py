"""A transfer to another foundation of this deployment, as its admin accepts the referral.

The receiving foundation registers the client anew, in its own numbering, with only the
parts the referral shares: ``identity`` (name, NIK, birth date, sex, phone, address) and
``screening`` (the screenings, and the use history they belong with). Without ``identity``
the new record is named by its code until the client comes in person. Nothing else
crosses: no family contact, no consent (both flags are false, so the family is told nothing
until the receiving foundation records consent of its own), no notes. Assessment writes the
``assessment`` and ``plan`` parts as a summary document on the new client when it hears of
the acceptance (``referral.changed``). Both records are linked: the sender's client shows
``transferred_to``, the new one ``transferred_from``.

A client whose NIK the receiving foundation already holds is that client: the referral is
linked to it, its own identity is left as it is, and shared screenings are added to it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from services.intake import audit
from services.intake.client_codes import code_prefix
from services.intake.client_fields import apply_fields
from services.intake.client_state import emit_client_state
from services.intake.clients import get_client
from services.intake.foundations import find_foundation, local_today
from services.intake.health import health_of, with_health
from services.intake.models import Client, Referral, Screening
from services.intake.nik import holder_of_nik, nik_index
from services.intake.referral_views import shares_of
from services.intake.registration import next_code
from shared.auth import Caller
from shared.db import new_id
from shared.events.unit_of_work import UnitOfWork
from shared.vocabulary import ClientStatus, ReferralShare, ReferralSource


def _identity(source: Client) -> dict[str, Any]:
    return {
        "full_name": source.full_name,
        "nik": source.nik,
        "date_of_birth": date.fromisoformat(source.date_of_birth) if source.date_of_birth else None,
        "date_of_birth_estimated": source.date_of_birth_estimated,
        "sex": source.sex,
        "phone": source.phone,
        "address": source.address,
    }


def _new_client(uow: UnitOfWork, source: Client, foundation: str, now: datetime) -> Client:
    """An empty record at ``foundation``: registered, referred by another foundation, no
    family and no consent, linked to ``source``."""
    return Client(
        id=new_id(),
        foundation=foundation,
        status=ClientStatus.REGISTERED,
        health="{}",
        full_name="",
        date_of_birth_estimated=False,
        referral_source=ReferralSource.OTHER,
        referral_compulsory=False,
        consent_contact_family=False,
        consent_share_progress=False,
        family_contacts=[],
        episodes=[],
        transferred_from_foundation=source.foundation,
        transferred_from_client_id=source.id,
        created_at=now,
        updated_at=now,
    )


def _copy_screenings(uow: UnitOfWork, source: Client, client: Client, referral: Referral) -> int:
    """The sender's screenings, answers and results included, under the new client's key;
    one the receiving record holds already (the same instrument at the same moment: a
    client transferred here before) is not copied again."""
    screenings = uow.session.execute(
        select(Screening)
        .where(Screening.client_id == source.id)
        .order_by(Screening.recorded_at, Screening.id)
    ).scalars()
    held = {
        (instrument, recorded_at)
        for instrument, recorded_at in uow.session.execute(
            select(Screening.instrument, Screening.recorded_at).where(
                Screening.client_id == client.id
            )
        )
    }
    copied = 0
    for screening in list(screenings):
        if (screening.instrument, screening.recorded_at) in held:
            continue
        uow.session.add(
            Screening(
                client_id=client.id,
                foundation=client.foundation,
                instrument=screening.instrument,
                answers=screening.answers,
                result=screening.result,
                score=screening.score,
                risk=screening.risk,
                recorded_by=f"referral:{referral.id}",
                recorded_at=screening.recorded_at,
            )
        )
        copied += 1
    return copied


def accept_transfer(uow: UnitOfWork, caller: Caller, referral: Referral, now: datetime) -> Client:
    """Register the referral's client at the caller's (receiving) foundation with the shared
    parts, link both records and answer the new client (see the module)."""
    session = uow.session
    receiving = str(caller.foundation)
    source = session.get(Client, referral.client_id)
    assert source is not None  # a referral's client exists: the foreign key says so
    shares = set(shares_of(referral))
    client = _new_client(uow, source, receiving, now)
    holder = None
    if ReferralShare.IDENTITY in shares and source.nik:
        holder = holder_of_nik(session, client, nik_index(source.nik))
    if holder is not None:  # already known here: that record is the client
        # locked as every change of a client locks it: a consent withdrawn at this moment
        # is read, not published over by this record's state read before it
        client = get_client(session, receiving, holder, for_update=True)
        client.transferred_from_foundation = source.foundation
        client.transferred_from_client_id = source.id
    else:
        foundation = find_foundation(session, receiving)
        today = local_today(foundation, now)
        prefix = foundation.code_prefix if foundation else code_prefix(receiving)
        client.code = next_code(session, receiving, today.year, prefix)
        if ReferralShare.IDENTITY in shares:
            apply_fields(session, client, _identity(source))
        else:  # named by its code until the client comes in person
            apply_fields(session, client, {"full_name": client.code})
        if ReferralShare.SCREENING in shares:
            client.health = with_health(client, health_of(source))
        session.add(client)
    session.flush()
    if ReferralShare.SCREENING in shares:
        _copy_screenings(uow, source, client, referral)
    source.transferred_to_foundation = receiving
    source.transferred_to_client_id = client.id
    referral.received_client_id = client.id
    session.flush()
    action = "create" if holder is None else "update"
    audit.record(session, caller, action, "client", client.id, f"referral:{referral.id}")
    event = "client.registered" if holder is None else "client.updated"
    emit_client_state(uow, client, event)
    return client
