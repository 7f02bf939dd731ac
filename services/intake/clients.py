"""Registering and admitting clients: each change in one transaction with its event."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from services.intake.admission import AdmissionRefused, check_admittable
from services.intake.client_codes import code_prefix, format_code
from services.intake.client_state import client_state
from services.intake.foundations import find_foundation, local_today
from services.intake.models import Client, CodeCounter, ConsentRecord, Episode, FamilyContact
from shared.auth import Caller
from shared.db import utcnow
from shared.events.outbox import UnitOfWork
from shared.problems import Conflict, NotFound, ValidationFailed


def get_client(session: Session, foundation: str, client_id: str) -> Client:
    """The client, if it is this foundation's; another foundation's client does not exist."""
    client = session.execute(
        select(Client).where(Client.id == client_id, Client.foundation == foundation)
    ).scalar()
    if client is None:
        raise NotFound("No such client.")
    return client


def _next_code(session: Session, foundation: str, year: int) -> str:
    existing = session.get(CodeCounter, (foundation, year))
    if existing is None:
        session.add(CodeCounter(foundation=foundation, year=year, last=1))
        number = 1
    else:
        session.execute(
            update(CodeCounter)
            .where(CodeCounter.foundation == foundation, CodeCounter.year == year)
            .values(last=CodeCounter.last + 1)
        )
        session.refresh(existing)
        number = existing.last
    record = find_foundation(session, foundation)
    prefix = record.code_prefix if record else code_prefix(foundation)
    return format_code(prefix, year, number)


def register_client(uow: UnitOfWork, caller: Caller, data: dict[str, Any]) -> Client:
    session = uow.session
    foundation = caller.foundation
    assert foundation is not None
    now = utcnow()
    consent = data["consent"]
    client = Client(
        foundation=foundation,
        code=_next_code(
            session, foundation, local_today(find_foundation(session, foundation), now).year
        ),
        full_name=data["full_name"],
        status="registered",
        consent_contact_family=consent["contact_family"],
        consent_share_progress=consent["share_progress"],
        consent_given_by=consent["given_by"],
        consent_guardian_name=consent.get("guardian_name"),
        family_contacts=[
            FamilyContact(
                foundation=foundation,
                name=c["name"],
                relationship_=c["relationship"],
                phone=c.get("phone"),
                email=c.get("email"),
                channel=c["channel"],
                locale=c["locale"],
                may_contact=c["may_contact"],
                created_at=now,
            )
            for c in data["family_contacts"]
        ],
    )
    session.add(client)
    session.flush()
    session.add(
        ConsentRecord(
            client_id=client.id,
            foundation=foundation,
            contact_family=consent["contact_family"],
            share_progress=consent["share_progress"],
            given_by=consent["given_by"],
            guardian_name=consent.get("guardian_name"),
            recorded_by=caller.sub,
        )
    )
    uow.emit(
        "client.registered", subject=client.id, foundation=foundation, data=client_state(client)
    )
    return client


def admit_client(uow: UnitOfWork, caller: Caller, client_id: str, data: dict[str, Any]) -> Client:
    session = uow.session
    foundation = caller.foundation
    assert foundation is not None
    client = get_client(session, foundation, client_id)
    try:
        check_admittable(client.status)
    except AdmissionRefused as exc:
        raise Conflict(str(exc), status_now=client.status) from exc
    now = utcnow()
    today = local_today(find_foundation(session, foundation), now)
    admitted_on = data.get("admitted_on") or today
    if admitted_on > today:
        raise ValidationFailed(errors={"admitted_on": ["May not be in the future."]})
    episode = Episode(
        client_id=client.id,
        foundation=foundation,
        number=len(client.episodes) + 1,
        admitted_on=admitted_on,
        admitted_at=now,
        family_agreement=data["family_agreement"],
        treatment_status="admitted",
        recorded_by=caller.sub,
    )
    session.add(episode)
    session.flush()
    client.episodes.append(episode)
    client.status = "admitted"
    client.current_episode_id = episode.id
    client.updated_at = now
    session.flush()
    state = client_state(client)
    state["admission"] = {
        "episode_id": episode.id,
        "admitted_on": admitted_on,
        "admitted_at": now,
        "family_agreement": episode.family_agreement,
    }
    uow.emit("client.admitted", subject=client.id, foundation=foundation, data=state)
    return client


def list_clients_query(foundation: str, args: dict[str, Any]):
    stmt = select(Client).where(Client.foundation == foundation).order_by(Client.created_at.desc())
    if args.get("status"):
        stmt = stmt.where(Client.status == args["status"])
    if args.get("q"):
        stmt = stmt.where(or_(Client.code.icontains(args["q"], autoescape=True)))
    return stmt
