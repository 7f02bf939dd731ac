"""Finding, changing and listing a foundation's clients.

A client of another foundation does not exist for the caller (404 ``client_not_found``).
Each change happens in one transaction together with the event that describes it and an
audit entry (:func:`services.intake.client_state.publish_client_state`). Personal data is
encrypted by the column types; look-ups use keyed hashes (``nik_index``, ``dob_index``, name
tokens) so no plaintext is ever stored or compared in SQL. Registration is in
:mod:`services.intake.registration`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, bindparam, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.intake import audit
from services.intake.client_fields import (
    apply_fields,
    birth_date_of,
    check_birth_date,
    name_token_hashes,
)
from services.intake.client_state import publish_client_state
from services.intake.foundations import find_foundation, local_today
from services.intake.identity import needs_guardian_consent
from services.intake.models import Client, ClientNameToken
from services.intake.nik import holder_of_nik, nik_index, nik_taken
from shared.auth import Caller, foundation_of
from shared.codes import field_error
from shared.db import utcnow
from shared.events.unit_of_work import UnitOfWork
from shared.pagination import paginate
from shared.problems import Gone, NotFound, ValidationFailed
from shared.runtime import ServiceRuntime

# Every request about one client starts here: built once, its values bound when it runs.
_CLIENT_OF = select(Client).where(
    Client.id == bindparam("id"), Client.foundation == bindparam("foundation")
)
# A change starts here: the client's row stays locked until the change commits (PostgreSQL;
# SQLite's writers take turns anyway), and what the session held of it is read afresh.
_CLIENT_TO_CHANGE = _CLIENT_OF.with_for_update(of=Client).execution_options(populate_existing=True)


def get_client(
    session: Session, foundation: str | None, client_id: str, *, for_update: bool = False
) -> Client:
    """The client, if it is this foundation's; another foundation's client does not exist.
    An erased client's record is gone (410 ``client_erased``): nothing is read or changed
    on it any more, so no event about it is emitted again.

    ``for_update``: for a change. Two changes of one client at once then take turns, the
    second reading the client (its contacts, consent, episodes) as the first left it. Without
    it, each could publish its own state over the other's: a consent withdrawn at the same
    moment as a phone changed would be undone by the later event, which carried the consent
    read before the withdrawal."""
    statement = _CLIENT_TO_CHANGE if for_update else _CLIENT_OF
    client = session.execute(statement, {"id": client_id, "foundation": foundation}).scalar()
    if client is None:
        raise NotFound(code="client_not_found")
    if client.erased_at is not None:
        raise Gone(code="client_erased")
    return client


def read_client(session: Session, caller: Caller, client_id: str) -> Client:
    """One client of the caller's foundation; the read is audited."""
    client = get_client(session, caller.foundation, client_id)
    audit.record(session, caller, "read", "client", client.id)
    return client


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
            existing = holder_of_nik(session, client, nik_index(data["nik"]))
        if existing is None:
            raise
        raise nik_taken(existing) from None


def update_client(uow: UnitOfWork, caller: Caller, client_id: str, data: dict[str, Any]) -> Client:
    """Change the fields ``data`` names; ``client.updated`` tells the other services."""
    session = uow.session
    client = get_client(session, caller.foundation, client_id, for_update=True)
    apply_fields(session, client, data)
    if {"date_of_birth", "date_of_birth_estimated"} & set(data):
        today = local_today(find_foundation(session, client.foundation), utcnow())
        check_birth_date(client, today)
        # a new birth date may make the client a minor: their consent must fit
        if needs_guardian_consent(birth_date_of(client), _consent_of(client), today):
            raise ValidationFailed(
                errors={"date_of_birth": [field_error("birth_date_makes_minor")]}
            )
    client.updated_at = utcnow()
    publish_client_state(
        uow, caller, client, "client.updated", action="update", detail=",".join(sorted(data))
    )
    return client


def _consent_of(client: Client) -> dict[str, Any]:
    return {
        "contact_family": client.consent_contact_family,
        "share_progress": client.consent_share_progress,
        "given_by": client.consent_given_by,
    }


def list_clients(session: Session, caller: Caller, filters: dict[str, Any], page: dict) -> dict:
    """A page of the caller's foundation's clients (the search is audited)."""
    audit.record(session, caller, "search", "client")
    return paginate(session, list_clients_query(foundation_of(caller), filters), page)


def list_clients_query(foundation: str, args: dict[str, Any]) -> Select:
    """This foundation's clients, newest first; ``status`` filters, ``q`` matches the code
    or whole words of the name. Erased clients are not listed."""
    stmt = (
        select(Client)
        .where(Client.foundation == foundation, Client.erased_at.is_(None))
        .order_by(Client.created_at.desc(), Client.id.desc())
    )
    if args.get("status"):
        stmt = stmt.where(Client.status == args["status"])
    if args.get("q"):
        query = args["q"]
        matches = [Client.code.icontains(query.strip(), autoescape=True)]
        hashes = name_token_hashes(query)
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
