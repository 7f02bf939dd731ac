"""What each incoming event does to intake: it mirrors each episode's treatment status,
keeps the other services' answers to a client's data request, and assessment's summary of
a client's care (for the report to a compulsory referrer)."""

from __future__ import annotations

from sqlalchemy import select

from services.intake.care_summaries import keep_care_summary
from services.intake.data_request_parts import record_part
from services.intake.models import Client, Episode
from shared.events import Event
from shared.events.unit_of_work import UnitOfWork
from shared.transport_keys import install_published
from shared.vocabulary import ClientStatus


def _episode(uow: UnitOfWork, event: Event) -> tuple[Client, Episode] | None:
    client = uow.session.execute(
        select(Client).where(
            Client.id == event.data["client_id"], Client.foundation == event.foundation
        )
    ).scalar()
    if client is None:
        return None
    episode_id = event.data.get("episode_id") or client.current_episode_id
    episode = next((e for e in client.episodes if e.id == episode_id), None)
    return (client, episode) if episode else None


def mirror_placement(uow: UnitOfWork, event: Event, newer: bool) -> None:
    found = _episode(uow, event)
    if found is None or not newer:
        return
    client, episode = found
    if episode.treatment_status == ClientStatus.ADMITTED:
        episode.treatment_status = ClientStatus.PLACED
        if client.current_episode_id == episode.id:
            client.status = ClientStatus.PLACED


def mirror_discharge(uow: UnitOfWork, event: Event, newer: bool) -> None:
    found = _episode(uow, event)
    if found is None or not newer:
        return
    client, episode = found
    episode.treatment_status = ClientStatus.DISCHARGED
    episode.discharged_on = event.data["discharged_on"]
    episode.discharge_reason = event.data["reason"]
    if client.current_episode_id == episode.id:
        client.status = ClientStatus.DISCHARGED


EVENT_HANDLERS = {
    "transport_key.assessment": [install_published],
    "transport_key.notifications": [install_published],
    "placement.started": [mirror_placement],
    "client.discharged": [mirror_discharge],
    "data_request.assessment_part": [record_part],
    "data_request.notifications_part": [record_part],
    "care_summary.changed": [keep_care_summary],
}
