"""Registering, finding, changing and admitting clients.

Each change happens in one transaction together with the event that describes it and an
audit entry. Personal data is encrypted by the column types; look-ups use keyed hashes
(``nik_index``, ``dob_index``, name tokens) so no plaintext is ever stored or compared in SQL.

Registration, the busiest write, does its look-ups and computing before its transaction
(on SQLite the database's single write lock is held from a transaction's first statement to
its commit): the transaction only numbers the client and inserts. The unique constraint on
(foundation, NIK index) settles a race the look-up could not see.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, Select, bindparam, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.intake import audit
from services.intake.admission import AdmissionRefused, check_admittable
from services.intake.client_codes import code_prefix, format_code
from services.intake.client_state import client_state
from services.intake.foundations import find_foundation, local_today
from services.intake.health import HEALTH_FIELDS, with_health
from services.intake.identity import is_minor, name_tokens, names_alike
from services.intake.models import (
    Client,
    ClientNameToken,
    CodeCounter,
    ConsentRecord,
    Episode,
    FamilyContact,
    Foundation,
)
from services.intake.staff import require_case_worker
from shared.auth import Caller
from shared.crypto import cipher, seal_columns
from shared.db import bump_counter, insert_instances, new_id, utcnow
from shared.events.unit_of_work import UnitOfWork
from shared.problems import Conflict, NotFound, ValidationFailed
from shared.runtime import ServiceRuntime


def get_client(session: Session, foundation: str, client_id: str) -> Client:
    """The client, if it is this foundation's; another foundation's client does not exist."""
    client = session.execute(
        select(Client).where(Client.id == client_id, Client.foundation == foundation)
    ).scalar()
    if client is None:
        raise NotFound("No such client.")
    return client


def _next_code(session: Session, foundation: str, year: int, prefix: str) -> str:
    """The foundation's next client code for ``year`` (one atomic statement)."""
    number = bump_counter(session, CodeCounter.__table__, foundation=foundation, year=year)
    return format_code(prefix, year, number)


def _token_hashes(name: str) -> list[str]:
    return [cipher().blind_index("name:" + token) for token in name_tokens(name)]


def _set_name(client: Client, name: str) -> None:
    client.full_name = name
    client.name_tokens = [
        ClientNameToken(token=token, foundation=client.foundation) for token in _token_hashes(name)
    ]


# Registration's look-ups, built once (their values are bound when they run).
_NIK_HOLDER = select(Client.id).where(
    Client.foundation == bindparam("foundation"),
    Client.nik_index == bindparam("index"),
    Client.id != bindparam("id"),
)
_NUMBERING = select(Foundation.timezone, Foundation.code_prefix).where(
    Foundation.slug == bindparam("slug")
)  # what registration needs of its foundation: the calendar and the code prefix
_SAME_BIRTH_DATE = select(Client.id, Client.code, Client.full_name).where(
    Client.foundation == bindparam("foundation"),
    Client.dob_index == bindparam("index"),
    Client.id != bindparam("id"),
)


def _holder_of_nik(session: Session, client: Client, nik_index: str | None) -> str | None:
    """The id of another client of ``client``'s foundation with this NIK index, if any."""
    if not nik_index:
        return None
    params = {"foundation": client.foundation, "index": nik_index, "id": client.id}
    return session.execute(_NIK_HOLDER, params).scalar()


def _nik_taken(existing: str) -> Conflict:
    return Conflict("A client with this NIK exists.", existing_client_id=existing)


def _set_nik(session: Session, client: Client, nik: str | None) -> None:
    index = cipher().blind_index("nik:" + nik) if nik else None
    existing = _holder_of_nik(session, client, index)
    if existing:
        raise _nik_taken(existing)
    client.nik, client.nik_index = nik, index


def _set_date_of_birth(client: Client, value: date | None) -> None:
    client.date_of_birth = value.isoformat() if value else None
    client.dob_index = cipher().blind_index("dob:" + value.isoformat()) if value else None


def _apply_fields(session: Session, client: Client, data: dict[str, Any]) -> None:
    if "full_name" in data:
        _set_name(client, data["full_name"])
    if "nik" in data:
        _set_nik(session, client, data["nik"])
    if "date_of_birth" in data:
        _set_date_of_birth(client, data["date_of_birth"])
    for name in ("sex", "phone", "address", "date_of_birth_estimated"):
        if name in data:
            setattr(client, name, data[name])
    if any(name in data for name in HEALTH_FIELDS):
        client.health = with_health(client, data)
    if "case_worker_id" in data:
        client.case_worker_id = require_case_worker(
            session, client.foundation, data["case_worker_id"]
        )
    if "referral" in data:
        referral = data["referral"] or {}
        client.referral_source = referral.get("source")
        client.referral_compulsory = bool(referral.get("compulsory"))
        client.referral_reference_no = referral.get("reference_no")


def _check_birth_date(client: Client, today: date) -> None:
    """A birth date is a day of the foundation's calendar that has come; an estimated one
    is still a date (e.g. 1 July of the year the family remembers)."""
    if client.date_of_birth and date.fromisoformat(client.date_of_birth) > today:
        raise ValidationFailed(errors={"date_of_birth": ["May not be in the future."]})
    if client.date_of_birth_estimated and not client.date_of_birth:
        raise ValidationFailed(
            errors={
                "date_of_birth_estimated": [
                    "Give the estimated date_of_birth with it (e.g. 1 July of the year)."
                ]
            }
        )


def _check_minor_consent(client: Client, consent: dict[str, Any], today: date) -> None:
    dob = date.fromisoformat(client.date_of_birth) if client.date_of_birth else None
    wants = consent.get("contact_family") or consent.get("share_progress")
    if wants and consent.get("given_by") != "guardian" and is_minor(dob, today):
        raise ValidationFailed(
            errors={"consent.given_by": ["A minor's consent is given by a guardian."]}
        )


def possible_duplicates(session: Session, client: Client) -> list[Row]:
    """Other clients of the foundation born the same day whose names are alike: their
    ``id``, ``code`` and ``full_name``."""
    if not client.dob_index:
        return []
    params = {"foundation": client.foundation, "index": client.dob_index, "id": client.id}
    candidates = session.execute(_SAME_BIRTH_DATE, params)
    return [c for c in candidates if names_alike(c.full_name, client.full_name)]


def register_client(
    runtime: ServiceRuntime, caller: Caller, data: dict[str, Any]
) -> tuple[Client, list[Row]]:
    """Create a client; returns it with any likely duplicates (same birth date, alike name).

    A client with the same NIK in the foundation is a ``Conflict`` naming it, also when it
    was registered concurrently, after the look-up below.
    """
    foundation = caller.foundation
    assert foundation is not None
    now = utcnow()
    consent = data["consent"]
    client = Client(
        id=new_id(),
        foundation=foundation,
        status="registered",
        health="{}",
        date_of_birth_estimated=False,
        referral_compulsory=False,
        consent_contact_family=consent["contact_family"],
        consent_share_progress=consent["share_progress"],
        consent_given_by=consent["given_by"],
        consent_guardian_name=consent.get("guardian_name"),
        family_contacts=[_new_contact(foundation, c, now) for c in data["family_contacts"]],
        episodes=[],
        created_at=now,
        updated_at=now,
    )
    with runtime.db.reading() as session:  # look-ups and checks: no write lock yet
        record = session.execute(_NUMBERING, {"slug": foundation}).first()
        today = local_today(record, now)  # reads only the timezone
        _apply_fields(session, client, data)
        _check_birth_date(client, today)
        _check_minor_consent(client, consent, today)
        duplicates = possible_duplicates(session, client)
    prefix = record.code_prefix if record else code_prefix(foundation)
    consent_record = _consent_record(client, caller, now)
    for instance in (client, *client.family_contacts, consent_record):
        seal_columns(instance)
    for child in (*client.name_tokens, *client.family_contacts):
        child.client_id = client.id
    entry = audit.entry(caller, "create", "client", client.id)
    try:
        with runtime.unit_of_work() as uow:  # only numbering and inserts hold the lock
            client.code = _next_code(uow.session, foundation, today.year, prefix)
            # Core inserts, one statement per table, instead of the ORM's unit of work:
            # the instances stay transient, filled in as a flush would leave them.
            insert_instances(
                uow.session.connection(),
                [client, *client.name_tokens, *client.family_contacts, consent_record, entry],
            )
            uow.emit(
                "client.registered",
                subject=client.id,
                foundation=foundation,
                data=client_state(client),
            )
    except IntegrityError:
        with runtime.db.reading() as session:
            existing = _holder_of_nik(session, client, client.nik_index)
        if existing:  # registered since the look-up: the constraint refused this one
            raise _nik_taken(existing) from None
        raise
    return client, duplicates


def change_client(
    runtime: ServiceRuntime, caller: Caller, client_id: str, data: dict[str, Any]
) -> Client:
    """``update_client`` in a unit of work of its own. A NIK given to another client at the
    same moment is a ``Conflict`` naming it, as on registration."""
    try:
        with runtime.unit_of_work() as uow:
            return update_client(uow, caller, client_id, data)
    except IntegrityError:
        if not data.get("nik"):
            raise
        with runtime.db.reading() as session:
            client = get_client(session, caller.foundation, client_id)
            existing = _holder_of_nik(session, client, cipher().blind_index("nik:" + data["nik"]))
        if existing is None:
            raise
        raise _nik_taken(existing) from None


def update_client(uow: UnitOfWork, caller: Caller, client_id: str, data: dict[str, Any]) -> Client:
    session = uow.session
    client = get_client(session, caller.foundation, client_id)
    _apply_fields(session, client, data)
    if {"date_of_birth", "date_of_birth_estimated"} & set(data):
        today = local_today(find_foundation(session, client.foundation), utcnow())
        _check_birth_date(client, today)
        try:  # a new birth date may make the client a minor: their consent must fit
            _check_minor_consent(client, _consent_of(client), today)
        except ValidationFailed:
            raise ValidationFailed(
                errors={
                    "date_of_birth": [
                        "With this date the client is a minor: record a guardian's consent "
                        "first (PUT /clients/{id}/consent)."
                    ]
                }
            ) from None
    client.updated_at = utcnow()
    session.flush()
    audit.record(session, caller, "update", "client", client.id, ",".join(sorted(data)))
    uow.emit(
        "client.updated", subject=client.id, foundation=client.foundation, data=client_state(client)
    )
    return client


def _new_contact(foundation: str, data: dict[str, Any], now) -> FamilyContact:
    return FamilyContact(
        id=new_id(),
        foundation=foundation,
        name=data["name"],
        relationship_=data["relationship"],
        phone=data.get("phone"),
        email=data.get("email"),
        channel=data["channel"],
        locale=data["locale"],
        may_contact=data["may_contact"],
        created_at=now,
    )


def _consent_record(client: Client, caller: Caller, now: datetime | None = None) -> ConsentRecord:
    return ConsentRecord(
        client_id=client.id,
        foundation=client.foundation,
        contact_family=client.consent_contact_family,
        share_progress=client.consent_share_progress,
        given_by=client.consent_given_by or "client",
        guardian_name=client.consent_guardian_name,
        recorded_by=caller.sub,
        recorded_at=now or utcnow(),
    )


def change_consent(uow: UnitOfWork, caller: Caller, client_id: str, data: dict[str, Any]) -> Client:
    """Record a consent change (kept in the history) and announce the current flags."""
    session = uow.session
    client = get_client(session, caller.foundation, client_id)
    _check_minor_consent(
        client, data, local_today(find_foundation(session, client.foundation), utcnow())
    )
    client.consent_contact_family = data["contact_family"]
    client.consent_share_progress = data["share_progress"]
    client.consent_given_by = data["given_by"]
    client.consent_guardian_name = data.get("guardian_name")
    client.updated_at = utcnow()
    session.add(_consent_record(client, caller))
    audit.record(session, caller, "update", "consent", client.id)
    uow.emit(
        "consent.changed",
        subject=client.id,
        foundation=client.foundation,
        data=client_state(client),
    )
    return client


def _consent_of(client: Client) -> dict[str, Any]:
    return {
        "contact_family": client.consent_contact_family,
        "share_progress": client.consent_share_progress,
        "given_by": client.consent_given_by,
    }


def consent_history(session: Session, caller: Caller, client_id: str) -> list[ConsentRecord]:
    client = get_client(session, caller.foundation, client_id)
    audit.record(session, caller, "read", "consent_history", client.id)
    return list(
        session.execute(
            select(ConsentRecord)
            .where(ConsentRecord.client_id == client.id)
            .order_by(ConsentRecord.recorded_at)
        ).scalars()
    )


def _contact(client: Client, contact_id: str) -> FamilyContact:
    contact = next((c for c in client.family_contacts if c.id == contact_id), None)
    if contact is None:
        raise NotFound("No such family contact.")
    return contact


def _check_reachable(contact: FamilyContact) -> None:
    if contact.channel in ("sms", "whatsapp") and not contact.phone:
        raise ValidationFailed(errors={"phone": [f"A phone is needed for {contact.channel}."]})
    if contact.channel == "email" and not contact.email:
        raise ValidationFailed(errors={"email": ["An email is needed for the email channel."]})


def add_contact(
    uow: UnitOfWork, caller: Caller, client_id: str, data: dict[str, Any]
) -> FamilyContact:
    session = uow.session
    client = get_client(session, caller.foundation, client_id)
    if len(client.family_contacts) >= 20:
        raise Conflict("A client has at most 20 family contacts.")
    contact = _new_contact(client.foundation, data, utcnow())
    client.family_contacts.append(contact)
    session.flush()
    audit.record(session, caller, "create", "family_contact", client.id, contact.id)
    uow.emit(
        "family_contact.saved",
        subject=client.id,
        foundation=client.foundation,
        data=client_state(client),
    )
    return contact


def update_contact(
    uow: UnitOfWork, caller: Caller, client_id: str, contact_id: str, data: dict[str, Any]
) -> FamilyContact:
    session = uow.session
    client = get_client(session, caller.foundation, client_id)
    contact = _contact(client, contact_id)
    for name, value in data.items():
        setattr(contact, "relationship_" if name == "relationship" else name, value)
    _check_reachable(contact)
    session.flush()
    audit.record(session, caller, "update", "family_contact", client.id, contact.id)
    uow.emit(
        "family_contact.saved",
        subject=client.id,
        foundation=client.foundation,
        data=client_state(client),
    )
    return contact


def remove_contact(uow: UnitOfWork, caller: Caller, client_id: str, contact_id: str) -> None:
    session = uow.session
    client = get_client(session, caller.foundation, client_id)
    contact = _contact(client, contact_id)
    client.family_contacts.remove(contact)
    session.delete(contact)
    session.flush()
    audit.record(session, caller, "delete", "family_contact", client.id, contact_id)
    state = client_state(client)
    state["removed_contact_id"] = contact_id
    uow.emit("family_contact.removed", subject=client.id, foundation=client.foundation, data=state)


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
    last_discharge = max(
        (e.discharged_on for e in client.episodes if e.discharged_on), default=None
    )
    if last_discharge and admitted_on < last_discharge:
        raise ValidationFailed(
            errors={
                "admitted_on": [
                    f"A readmission starts on or after the last discharge ({last_discharge})."
                ]
            }
        )
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
    audit.record(session, caller, "admit", "client", client.id, episode.id)
    state = client_state(client)
    state["admission"] = {
        "episode_id": episode.id,
        "admitted_on": admitted_on,
        "admitted_at": now,
        "family_agreement": episode.family_agreement,
    }
    uow.emit("client.admitted", subject=client.id, foundation=foundation, data=state)
    return client


def list_clients_query(foundation: str, args: dict[str, Any]) -> Select:
    """This foundation's clients; ``q`` matches the code or whole words of the name."""
    stmt = (
        select(Client)
        .where(Client.foundation == foundation)
        .order_by(Client.created_at.desc(), Client.id.desc())
    )
    if args.get("status"):
        stmt = stmt.where(Client.status == args["status"])
    if args.get("q"):
        query = args["q"]
        matches = [Client.code.icontains(query.strip(), autoescape=True)]
        hashes = _token_hashes(query)
        if hashes:
            # every word of the query must be a word of the name
            named = (
                select(ClientNameToken.client_id)
                .where(ClientNameToken.foundation == foundation, ClientNameToken.token.in_(hashes))
                .group_by(ClientNameToken.client_id)
            )
            named = named.having(func.count(func.distinct(ClientNameToken.token)) == len(hashes))
            matches.append(Client.id.in_(named))
        stmt = stmt.where(or_(*matches))
    return stmt
