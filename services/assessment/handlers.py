"""What each incoming event does to assessment."""

from __future__ import annotations

import logging

from services.assessment.assessments import open_initial_assessment
from services.assessment.client_view import ForeignRecord, apply_client_state
from services.assessment.data_rights import ForeignClient, check_owner, erase_client, export_part
from services.assessment.family_answers import AnswerNotHere, NotAnAnswer, record_family_answer
from services.assessment.models import EpisodeRecord, FoundationView
from services.assessment.risk_flags import recompute_flag
from services.assessment.staff_view import apply_staff_state
from services.assessment.transfer_summaries import write_transfer_summary
from shared.events import Event
from shared.events.data_request_answer import answer_request, erase_with_keys
from shared.events.unit_of_work import UnitOfWork
from shared.transport_keys import install_published
from shared.vocabulary import ClientStatus

log = logging.getLogger(__name__)


def remember_foundation(uow: UnitOfWork, event: Event, newer: bool) -> None:
    if not newer:
        return
    view = uow.session.get(FoundationView, event.data["slug"])
    if view is None:
        uow.session.add(FoundationView(slug=event.data["slug"], timezone=event.data["timezone"]))
    else:
        view.timezone = event.data["timezone"]


def remember_staff_role(uow: UnitOfWork, event: Event, newer: bool) -> None:
    """A staff member's role and whether active (for caseloads against the staffing norm)."""
    if not newer:
        return
    try:
        apply_staff_state(uow.session, event.foundation, event.data)
    except ForeignRecord:
        log.error("event %s names staff of another foundation; ignored", event.id)


def update_client_view(uow: UnitOfWork, event: Event, newer: bool) -> None:
    try:
        apply_client_state(uow.session, event.foundation, event.data, newer)
    except ForeignRecord:
        log.error("event %s names a client of another foundation; ignored", event.id)


def open_assessment_on_admission(uow: UnitOfWork, event: Event, newer: bool) -> None:
    try:
        view = apply_client_state(uow.session, event.foundation, event.data, newer)
    except ForeignRecord:
        log.error("event %s names a client of another foundation; ignored", event.id)
        return
    admission = event.data["admission"]
    if uow.session.get(EpisodeRecord, admission["episode_id"]) is None:
        uow.session.add(
            EpisodeRecord(
                id=admission["episode_id"],
                foundation=view.foundation,
                client_id=view.id,
                admitted_on=admission["admitted_on"],
                status=ClientStatus.ADMITTED,
            )
        )
        # A new episode is the client's current one, whatever older events said.
        view.status = ClientStatus.ADMITTED
        view.episode_id = admission["episode_id"]
        view.admitted_on = admission["admitted_on"]
    open_initial_assessment(uow, view, admission["episode_id"], admission["admitted_at"])
    recompute_flag(uow, view.id)  # a new episode starts a fresh window


def keep_family_answer(uow: UnitOfWork, event: Event, newer: bool) -> None:
    """An RSVP or a check-in answer. Whether it is the latest is decided by when the family
    answered, not by the event's sequence (``newer``): see :mod:`.family_answers`."""
    try:
        if not record_family_answer(uow.session, event.foundation, event.data):
            log.info("event %s carries an answer older than the one kept; ignored", event.id)
        elif event.data.get("followup_id"):  # a check-in: the early warning reads it
            recompute_flag(uow, event.data["client_id"])
    except AnswerNotHere:
        log.warning(
            "event %s answers a session or follow-up unknown to its foundation; ignored", event.id
        )
    except NotAnAnswer:
        log.info("event %s carries no answer assessment keeps; ignored", event.id)


def answer_data_request(uow: UnitOfWork, event: Event, newer: bool) -> None:
    """A client's data request: access is answered with everything assessment holds about
    the client; erasure empties it (keys first) and answers with the counts. Once per
    request, whatever ``newer`` says: a request is an action, not a state."""
    try:
        check_owner(uow.session, event.foundation, event.data["client_id"])
    except ForeignClient:
        log.error("event %s names a client of another foundation; ignored", event.id)
        return
    answer_request(uow, event, "assessment", export_part, erase_client)


def forget_erased_client(uow: UnitOfWork, event: Event, newer: bool) -> None:
    """Every service erased the client: empty again whatever arrived since the request was
    answered (a note written meanwhile), and make sure its keys are gone."""
    client_id = event.data["client_id"]
    try:
        check_owner(uow.session, event.foundation, client_id)
    except ForeignClient:
        log.error("event %s names a client of another foundation; ignored", event.id)
        return
    erased = erase_with_keys(uow, str(event.foundation), client_id, erase_client)
    log.info("erased client %s again: %s", client_id, erased)


EVENT_HANDLERS = {
    "transport_key.intake": [install_published],
    "transport_key.notifications": [install_published],
    "foundation.saved": [remember_foundation],
    "staff.saved": [remember_staff_role],
    "client.registered": [update_client_view],
    "client.updated": [update_client_view],
    "consent.changed": [update_client_view],
    "client.admitted": [open_assessment_on_admission],
    "family.replied": [keep_family_answer],
    "data_request.opened": [answer_data_request],
    "client.erased": [forget_erased_client],
    "referral.changed": [write_transfer_summary],
}
