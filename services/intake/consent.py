"""A client's consent: what the family may be told, who gave it, and every change kept.

Consent is given by the client, or for a minor by a guardian (a minor's own consent to
contact the family or share progress is refused on ``consent.given_by``). Every change adds
a record to the history, with who recorded it and when, and ``consent.changed`` carries the
current flags: notifications cancels pending family messages when ``contact_family`` goes.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.intake import audit
from services.intake.client_fields import birth_date_of
from services.intake.client_state import publish_client_state
from services.intake.clients import get_client
from services.intake.foundations import find_foundation, local_today
from services.intake.identity import needs_guardian_consent
from services.intake.models import Client, ConsentRecord
from shared.auth import Caller
from shared.codes import field_error
from shared.db import utcnow
from shared.events.unit_of_work import UnitOfWork
from shared.problems import ValidationFailed
from shared.vocabulary import ConsentGiver


def check_minor_consent(client: Client, consent: dict[str, Any], today: date) -> None:
    """Refuse ``consent`` when the client is a minor and it is not a guardian's."""
    if needs_guardian_consent(birth_date_of(client), consent, today):
        raise ValidationFailed(
            errors={"consent.given_by": [field_error("minor_consent_by_guardian")]}
        )


def consent_record(client: Client, caller: Caller, now: datetime | None = None) -> ConsentRecord:
    """The history's record of ``client``'s current consent, recorded by ``caller``."""
    return ConsentRecord(
        client_id=client.id,
        foundation=client.foundation,
        contact_family=client.consent_contact_family,
        share_progress=client.consent_share_progress,
        given_by=client.consent_given_by or ConsentGiver.CLIENT,
        guardian_name=client.consent_guardian_name,
        recorded_by=caller.sub,
        recorded_at=now or utcnow(),
    )


def change_consent(uow: UnitOfWork, caller: Caller, client_id: str, data: dict[str, Any]) -> Client:
    """Record a consent change (kept in the history) and announce the current flags."""
    session = uow.session
    client = get_client(session, caller.foundation, client_id, for_update=True)
    today = local_today(find_foundation(session, client.foundation), utcnow())
    check_minor_consent(client, data, today)
    client.consent_contact_family = data["contact_family"]
    client.consent_share_progress = data["share_progress"]
    client.consent_given_by = data["given_by"]
    client.consent_guardian_name = data.get("guardian_name")
    client.updated_at = utcnow()
    session.add(consent_record(client, caller))
    publish_client_state(
        uow, caller, client, "consent.changed", action="update", resource_type="consent"
    )
    return client


def consent_history(session: Session, caller: Caller, client_id: str) -> list[ConsentRecord]:
    """Every consent change of the client, oldest first (the read is audited)."""
    client = get_client(session, caller.foundation, client_id)
    audit.record(session, caller, "read", "consent_history", client.id)
    return list(
        session.execute(
            select(ConsentRecord)
            .where(ConsentRecord.client_id == client.id)
            .order_by(ConsentRecord.recorded_at)
        ).scalars()
    )
