"""Admitting a client: who may be admitted, from which day, and the new episode of care.

A registered client is admitted, and so is a discharged one coming back: relapse is common,
and readmission opens a new episode of care rather than a new client. An admitted or placed
client is not admitted again (409 ``client_already_admitted``, naming ``client_status``), nor
is one whose confirmed erasure is under way (409 ``erasure_in_progress``).
The admission day is a day of the foundation's calendar that has come, and a readmission
starts on or after the last discharge. :func:`may_be_admitted` and
:func:`admission_day_error` decide (pure); :func:`admit_client` applies them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from services.intake.client_state import publish_client_state
from services.intake.clients import get_client
from services.intake.data_requests import open_request_of
from services.intake.foundations import find_foundation, local_today
from services.intake.models import Client, Episode
from shared.auth import Caller, foundation_of
from shared.codes import FieldMessage, field_error
from shared.db import new_id, utcnow
from shared.events.unit_of_work import UnitOfWork
from shared.problems import Conflict, ValidationFailed
from shared.vocabulary import ClientStatus, DataRequestKind

ADMITTABLE = frozenset({ClientStatus.REGISTERED, ClientStatus.DISCHARGED})


def may_be_admitted(status: str) -> bool:
    """Whether a client in ``status`` may be admitted (again)."""
    return status in ADMITTABLE


def admission_day_error(
    admitted_on: date, today: date, last_discharge: date | None
) -> FieldMessage | None:
    """Why ``admitted_on`` cannot start an episode of care, or ``None`` when it can."""
    if admitted_on > today:
        return field_error("date_in_future")
    if last_discharge and admitted_on < last_discharge:
        return field_error("readmission_before_discharge", last_discharge=last_discharge)
    return None


def admit_client(uow: UnitOfWork, caller: Caller, client_id: str, data: dict[str, Any]) -> Client:
    """Admit the client: a new episode of care, announced by ``client.admitted``."""
    session = uow.session
    foundation = foundation_of(caller)
    client = get_client(session, foundation, client_id, for_update=True)
    erasure = open_request_of(session, client.id, DataRequestKind.ERASURE)
    if erasure is not None and erasure.confirmed_at is not None:
        # Services erase their part as the request reaches them: some may have already.
        # An admission now would be wiped by the parts still to come.
        raise Conflict(code="erasure_in_progress")
    if not may_be_admitted(client.status):
        # ``status_now`` is the member's older name, kept for clients that read it
        raise Conflict(
            code="client_already_admitted", client_status=client.status, status_now=client.status
        )
    now = utcnow()
    today = local_today(find_foundation(session, foundation), now)
    admitted_on = data.get("admitted_on") or today
    last_discharge = max(
        (e.discharged_on for e in client.episodes if e.discharged_on), default=None
    )
    refused = admission_day_error(admitted_on, today, last_discharge)
    if refused:
        raise ValidationFailed(errors={"admitted_on": [refused]})
    episode = Episode(
        id=new_id(),  # known now: the episode is flushed with the client's change, once
        client_id=client.id,
        foundation=foundation,
        number=len(client.episodes) + 1,
        admitted_on=admitted_on,
        admitted_at=now,
        family_agreement=data["family_agreement"],
        treatment_status=ClientStatus.ADMITTED,
        recorded_by=caller.sub,
    )
    client.episodes.append(episode)
    client.status = ClientStatus.ADMITTED
    client.current_episode_id = episode.id
    client.updated_at = now
    admission = {
        "episode_id": episode.id,
        "admitted_on": admitted_on,
        "admitted_at": now,
        "family_agreement": episode.family_agreement,
    }
    publish_client_state(
        uow,
        caller,
        client,
        "client.admitted",
        action="admit",
        detail=episode.id,
        admission=admission,
    )
    return client
