"""Registering a client: the record, its family contacts and first consent, its code.

Registration, the busiest write, does its look-ups and computing before its transaction
(on SQLite the database's single write lock is held from a transaction's first statement to
its commit): the transaction only numbers the client and inserts. The unique constraint on
(foundation, NIK index) settles a race the look-up could not see. A client without NIK who
looks like one already registered (same birth date, an alike name) is created, and answered
with those ``possible_duplicates`` for a person to judge.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Row, Table, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.intake import audit
from services.intake.client_codes import code_prefix, format_code
from services.intake.client_fields import apply_fields, check_birth_date
from services.intake.client_state import emit_client_state
from services.intake.consent import check_minor_consent, consent_record
from services.intake.family_contacts import new_contact
from services.intake.foundations import local_today
from services.intake.identity import names_alike
from services.intake.models import Client, CodeCounter, Foundation
from services.intake.nik import holder_of_nik, nik_taken
from shared.auth import Caller, foundation_of
from shared.crypto import seal_columns
from shared.db import bump_counter, insert_instances, new_id, utcnow
from shared.runtime import ServiceRuntime
from shared.vocabulary import ClientStatus

# Registration's look-ups, built once (their values are bound when they run).
_NUMBERING = select(Foundation.timezone, Foundation.code_prefix).where(
    Foundation.slug == bindparam("slug")
)  # what registration needs of its foundation: the calendar and the code prefix
_SAME_BIRTH_DATE = select(Client.id, Client.code, Client.full_name).where(
    Client.foundation == bindparam("foundation"),
    Client.dob_index == bindparam("index"),
    Client.id != bindparam("id"),
)


def possible_duplicates(session: Session, client: Client) -> list[Row]:
    """Other clients of the foundation born the same day whose names are alike: their
    ``id``, ``code`` and ``full_name``."""
    if not client.dob_index:
        return []
    params = {"foundation": client.foundation, "index": client.dob_index, "id": client.id}
    candidates = session.execute(_SAME_BIRTH_DATE, params)
    return [c for c in candidates if names_alike(c.full_name, client.full_name)]


def next_code(session: Session, foundation: str, year: int, prefix: str) -> str:
    """The foundation's next client code for ``year`` (one atomic statement)."""
    counters = cast(Table, CodeCounter.__table__)
    number = bump_counter(session, counters, foundation=foundation, year=year)
    return format_code(prefix, year, number)


def register_client(
    runtime: ServiceRuntime, caller: Caller, data: dict[str, Any]
) -> tuple[Client, list[Row]]:
    """Create a client; returns it with any likely duplicates (same birth date, alike name).

    A client with the same NIK in the foundation is a ``Conflict`` naming it, also when it
    was registered concurrently, after the look-up below.
    """
    foundation = foundation_of(caller)
    now = utcnow()
    consent = data["consent"]
    client = Client(
        id=new_id(),
        foundation=foundation,
        status=ClientStatus.REGISTERED,
        health="{}",
        date_of_birth_estimated=False,
        referral_compulsory=False,
        consent_contact_family=consent["contact_family"],
        consent_share_progress=consent["share_progress"],
        consent_given_by=consent["given_by"],
        consent_guardian_name=consent.get("guardian_name"),
        family_contacts=[new_contact(foundation, c, now) for c in data["family_contacts"]],
        episodes=[],
        created_at=now,
        updated_at=now,
    )
    with runtime.db.reading() as session:  # look-ups and checks: no write lock yet
        record = session.execute(_NUMBERING, {"slug": foundation}).first()
        today = local_today(record, now)  # reads only the timezone
        apply_fields(session, client, data)
        check_birth_date(client, today)
        check_minor_consent(client, consent, today)
        duplicates = possible_duplicates(session, client)
    prefix = record.code_prefix if record else code_prefix(foundation)
    first_consent = consent_record(client, caller, now)
    for token in client.name_tokens:
        token.client_id = client.id
    for contact in client.family_contacts:
        contact.client_id = client.id
    store = runtime.db.key_store
    if store is not None:
        store.for_new_client(client.id, foundation)
    for instance in (client, *client.family_contacts, first_consent):
        seal_columns(instance, store)  # under the client's own key
    entry = audit.entry(caller, "create", "client", client.id)
    try:
        with runtime.unit_of_work() as uow:  # only numbering and inserts hold the lock
            client.code = next_code(uow.session, foundation, today.year, prefix)
            # Core inserts, one statement per table, instead of the ORM's unit of work:
            # the instances stay transient, filled in as a flush would leave them.
            insert_instances(
                uow.session.connection(),
                [client, *client.name_tokens, *client.family_contacts, first_consent, entry],
            )
            emit_client_state(uow, client, "client.registered")
    except IntegrityError:
        with runtime.db.reading() as session:
            existing = holder_of_nik(session, client, client.nik_index)
        if existing:  # registered since the look-up: the constraint refused this one
            raise nik_taken(existing) from None
        raise
    return client, duplicates
