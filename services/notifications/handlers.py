"""What each incoming event does to notifications: keep recipients current, and turn the
events of intake and assessment into family messages and staff reminders."""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from services.notifications.data_rights import (
    ForeignClient,
    check_owner,
    erase_client,
    export_part,
)
from services.notifications.dispatcher import dispatch_after_commit
from services.notifications.models import ClientRecord, Message, ProducerHeartbeat
from services.notifications.recipients import (
    ForeignRecord,
    apply_client_state,
    messageable_contacts,
    save_foundation,
    save_staff,
)
from services.notifications.reminder_timing import session_reminder_time
from services.notifications.risk_words import rule_words
from services.notifications.scheduling import (
    calendar_of,
    cancel_followups_of_other_episodes,
    cancel_pending,
    family_recipient,
    pending_for_subject,
    schedule_message,
    staff_recipient,
    staff_to_notify,
)
from services.notifications.templates import encode_context
from shared.db import utcnow
from shared.events import Event
from shared.events.data_request_answer import answer_request, erase_with_keys
from shared.events.unit_of_work import UnitOfWork
from shared.transport_keys import install_published
from shared.vocabulary import MessageStatus, SessionKind, SessionStatus

log = logging.getLogger(__name__)


def _client(uow: UnitOfWork, event: Event, client_id: str) -> ClientRecord | None:
    client = uow.session.get(ClientRecord, client_id)
    if client is None or client.foundation != event.foundation:
        return None
    return client


def _local(day, at: time, timezone: str) -> datetime:
    return datetime.combine(day, at, tzinfo=ZoneInfo(timezone))


# --- recipients ------------------------------------------------------------------------------


def remember_foundation(uow: UnitOfWork, event: Event, newer: bool) -> None:
    if newer:
        save_foundation(uow, event.data)


def remember_staff(uow: UnitOfWork, event: Event, newer: bool) -> None:
    if not newer:
        return
    try:
        save_staff(uow, event.foundation, event.data)
    except ForeignRecord:
        log.error("event %s names staff of another foundation; ignored", event.id)


def remember_heartbeat(uow: UnitOfWork, event: Event, newer: bool) -> None:
    seen = uow.session.get(ProducerHeartbeat, event.producer)
    at = event.data["at"]
    if seen is None:
        uow.session.add(ProducerHeartbeat(producer=event.producer, at=at))
    elif at > seen.at:
        seen.at = at


def _current_client(uow: UnitOfWork, event: Event, newer: bool) -> ClientRecord | None:
    """Apply the event's client state if it is newer; the freshest known client either way."""
    try:
        if newer:
            return apply_client_state(uow, event.foundation, event.data)
    except ForeignRecord:
        log.error("event %s names a client of another foundation; ignored", event.id)
        return None
    return _client(uow, event, event.data["id"])


def update_client(uow: UnitOfWork, event: Event, newer: bool) -> None:
    _current_client(uow, event, newer)


# --- family messages --------------------------------------------------------------------------


def welcome_family(uow: UnitOfWork, event: Event, newer: bool) -> None:
    """``family.welcome`` to each contact we may message, once per episode of care."""
    client = _current_client(uow, event, newer)
    if client is None:
        return
    admission = event.data["admission"]
    cancel_followups_of_other_episodes(uow, client.id, admission["episode_id"])
    scheduled = [
        schedule_message(
            uow,
            recipient=family_recipient(contact),
            template="family.welcome",
            occurrence=f"episode:{admission['episode_id']}",
            due=max(admission["admitted_at"], utcnow()),
            context={"admitted_on": admission["admitted_on"]},
            client_id=client.id,
            subject_id=admission["episode_id"],
        )
        for contact in messageable_contacts(uow, client)
    ]
    dispatch_after_commit(uow, scheduled)


def _family_of_session(uow: UnitOfWork, event: Event):
    for client_id in event.data["client_ids"]:
        client = _client(uow, event, client_id)
        if client is None:
            continue
        for contact in messageable_contacts(uow, client):
            yield client, contact


def _session_context(data: dict) -> dict:
    return {"starts_at": data["starts_at"], "location": data.get("location")}


def _place_reminder(
    uow: UnitOfWork, event: Event, client, contact, booked_at: datetime
) -> Message | None:
    """Schedule the 24-hour reminder, or move the pending one, or record why none goes."""
    data = event.data
    calendar = calendar_of(uow.session, event.foundation)
    send_at, reason_code = session_reminder_time(
        data["starts_at"], booked_at, calendar.timezone, calendar.quiet_start, calendar.quiet_end
    )
    pending = pending_for_subject(uow, data["id"], "family.session_reminder", contact.id)
    if pending is not None:
        if reason_code:
            pending.set_status(MessageStatus.CANCELLED, reason_code)
        else:
            # back to waiting: a send task already queued for the old time finds it
            # no longer `queued` and leaves it to the sweep at the new time
            assert send_at is not None
            pending.status, pending.queued_at = MessageStatus.SCHEDULED, None
            pending.scheduled_for = send_at
            pending.context = encode_context(_session_context(data))
        return pending
    return schedule_message(
        uow,
        recipient=family_recipient(contact),
        template="family.session_reminder",
        occurrence=f"session:{data['id']}@{data['starts_at'].isoformat()}",
        due=send_at or data["starts_at"],
        context=_session_context(data),
        client_id=client.id,
        subject_id=data["id"],
        cancelled_reason_code=reason_code,
    )


def _session_notice(
    uow: UnitOfWork, event: Event, client, contact, template: str, occurrence: str
) -> Message | None:
    """``template`` about the event's session to one family contact, due now, once per
    ``occurrence`` (``None``: already written)."""
    data = event.data
    return schedule_message(
        uow,
        recipient=family_recipient(contact),
        template=template,
        occurrence=occurrence,
        due=utcnow(),
        context=_session_context(data),
        client_id=client.id,
        subject_id=data["id"],
    )


#: what a family is told of a session: a change to anything else tells them nothing
FAMILY_SEES = frozenset({"starts_at", "location"})
INVITATION = "family.session_invitation"


def _still_to_come(data: dict, event: Event) -> bool:
    """Whether the session had not started when the event happened: a session booked
    afterwards (to record its attendance) invites nobody, and one cancelled after it took
    place tells nobody it is off."""
    return bool(data["starts_at"] > event.occurred_at)


def _is_family_session(event: Event, newer: bool) -> bool:
    # A stale state must not invite anyone: a newer event (a cancellation) already applied.
    data = event.data
    return (
        newer and data["kind"] == SessionKind.FAMILY and data["status"] != SessionStatus.CANCELLED
    )


def _invitation_occurrence(data: dict) -> str:
    return f"session:{data['id']}"


def invite_family(uow: UnitOfWork, event: Event, newer: bool) -> None:
    """The invitation to each consenting family, and its reminder placed."""
    if not (_is_family_session(event, newer) and _still_to_come(event.data, event)):
        return
    occurrence = _invitation_occurrence(event.data)
    messages = []
    for client, contact in _family_of_session(uow, event):
        messages.append(_session_notice(uow, event, client, contact, INVITATION, occurrence))
        _place_reminder(uow, event, client, contact, booked_at=event.occurred_at)
    dispatch_after_commit(uow, messages)


def tell_family_of_change(uow: UnitOfWork, event: Event, newer: bool) -> None:
    """Each change of the time or the place is told (one notice per change: its event's
    sequence names it); a new title or length is not; an event of an earlier release, which
    does not say what changed, is. A family not invited yet is invited instead, with the
    session as it now stands: a change applied before the booking (which then arrives stale
    and invites no one), or a contact added since. The pending reminder follows every change:
    moved, or cancelled once it can no longer go."""
    if not _is_family_session(event, newer):
        return
    data = event.data
    to_come = _still_to_come(data, event)
    changed = data.get("changed")
    visible = changed is None or bool(FAMILY_SEES & set(changed))
    messages = []
    for client, contact in _family_of_session(uow, event):
        if to_come:
            notice = _session_notice(
                uow, event, client, contact, INVITATION, _invitation_occurrence(data)
            )
            if notice is None and visible:  # invited before: told of the change
                occurrence = f"session:{data['id']}#{event.sequence}"
                notice = _session_notice(
                    uow, event, client, contact, "family.session_changed", occurrence
                )
            messages.append(notice)
        _place_reminder(uow, event, client, contact, booked_at=event.occurred_at)
    dispatch_after_commit(uow, messages)


def tell_family_of_cancellation(uow: UnitOfWork, event: Event, newer: bool) -> None:
    data = event.data
    cancel_pending(uow, "session_cancelled", subject_id=data["id"])
    if data["kind"] != SessionKind.FAMILY or not _still_to_come(data, event):
        return
    invited = set(
        uow.session.execute(
            select(Message.recipient_id).where(
                Message.subject_id == data["id"], Message.status == MessageStatus.SENT
            )
        ).scalars()
    )
    messages = [
        schedule_message(
            uow,
            recipient=family_recipient(contact),
            template="family.session_cancelled",
            occurrence=f"session:{data['id']}:cancelled",
            due=utcnow(),
            context=_session_context(data),
            client_id=client.id,
            subject_id=data["id"],
        )
        for client, contact in _family_of_session(uow, event)
        if contact.id in invited
    ]
    dispatch_after_commit(uow, messages)


def _progress_update(uow: UnitOfWork, event: Event, occurrence: str, context: dict) -> None:
    client = _client(uow, event, event.data["client_id"])
    if client is None or not client.share_progress:
        return
    messages = [
        schedule_message(
            uow,
            recipient=family_recipient(contact),
            template="family.progress_update",
            occurrence=occurrence,
            due=utcnow(),
            context=context,
            client_id=client.id,
            subject_id=client.id,
        )
        for contact in messageable_contacts(uow, client)
    ]
    dispatch_after_commit(uow, messages)


def progress_on_assessment(uow: UnitOfWork, event: Event, newer: bool) -> None:
    cancel_pending(
        uow,
        "assessment_completed",
        subject_id=event.data["assessment_id"],
        template="staff.assessment_due",
    )
    _progress_update(
        uow, event, f"assessment:{event.data['assessment_id']}", {"program_name": None}
    )


def progress_on_placement(uow: UnitOfWork, event: Event, newer: bool) -> None:
    _progress_update(
        uow,
        event,
        f"placement:{event.data['placement_id']}",
        {"program_name": event.data["program_name"], "start_on": event.data["start_on"]},
    )


def followup_family_and_staff(uow: UnitOfWork, event: Event, newer: bool) -> None:
    """The family's check-in at 09:00 on the follow-up's day, and the case worker's reminder
    at 08:00. A follow-up whose day had already passed when the discharge was recorded (a
    discharge entered late) asks the family nothing: months-old check-ins would all arrive at
    once, each asking how the client is now. The case worker is still reminded."""
    data = event.data
    client = _client(uow, event, data["client_id"])
    calendar = calendar_of(uow.session, event.foundation)
    recorded_on = event.occurred_at.astimezone(ZoneInfo(calendar.timezone)).date()
    messages = []
    if client is not None and data["due_on"] >= recorded_on:
        for contact in messageable_contacts(uow, client):
            messages.append(
                schedule_message(
                    uow,
                    recipient=family_recipient(contact),
                    template="family.followup",
                    occurrence=f"followup:{data['followup_id']}",
                    due=_local(data["due_on"], time(9, 0), calendar.timezone),
                    context={"due_on": data["due_on"], "episode_id": data["episode_id"]},
                    client_id=client.id,
                    subject_id=data["followup_id"],
                )
            )
    for staff in staff_to_notify(uow, event.foundation, data.get("case_worker_id"), admins=False):
        messages.append(
            schedule_message(
                uow,
                recipient=staff_recipient(staff, calendar.locale),
                template="staff.followup_due",
                occurrence=f"followup:{data['followup_id']}",
                due=_local(data["due_on"], time(8, 0), calendar.timezone),
                context={
                    "client_code": data["client_code"],
                    "due_on": data["due_on"],
                    "offset_days": data["offset_days"],
                },
                client_id=data["client_id"],
                subject_id=data["followup_id"],
            )
        )
    dispatch_after_commit(uow, messages)


# --- staff reminders and alerts ---------------------------------------------------------------


def remind_assessment_due(uow: UnitOfWork, event: Event, newer: bool) -> None:
    """24 hours before the assessment is due, and again when it is overdue."""
    data = event.data
    calendar = calendar_of(uow.session, event.foundation)
    now = utcnow()
    messages = []
    for staff in staff_to_notify(uow, event.foundation, data.get("case_worker_id"), admins=False):
        recipient = staff_recipient(staff, calendar.locale)
        base = {"client_code": data["client_code"], "due_at": data["due_at"]}
        messages.append(
            schedule_message(
                uow,
                recipient=recipient,
                template="staff.assessment_due",
                occurrence=f"assessment:{data['assessment_id']}@{data['due_at'].isoformat()}",
                due=max(data["due_at"] - timedelta(hours=24), now),
                context={**base, "overdue": False},
                client_id=data["client_id"],
                subject_id=data["assessment_id"],
            )
        )
        messages.append(
            schedule_message(
                uow,
                recipient=recipient,
                template="staff.assessment_due",
                occurrence=f"assessment:{data['assessment_id']}@{data['due_at'].isoformat()}:overdue",
                due=max(data["due_at"], now),
                context={**base, "overdue": True},
                client_id=data["client_id"],
                subject_id=data["assessment_id"],
            )
        )
    dispatch_after_commit(uow, messages)


def forget_assessment_on_discharge(uow: UnitOfWork, event: Event, newer: bool) -> None:
    """The assessments a discharge closed: their reminders are nobody's task now (those of
    a later admission are not touched, however late this event arrives)."""
    closed = event.data["closed_assessment_ids"]
    if closed:
        cancel_pending(
            uow,
            "client_discharged",
            foundation=event.foundation,
            subject_id=closed,
            template="staff.assessment_due",
        )


def _alert_staff_now(
    uow: UnitOfWork,
    event: Event,
    *,
    template: str,
    occurrence: str,
    context: dict,
    subject_id: str,
    admins: bool,
) -> None:
    """``template`` at once to the client's case worker (with the admins when ``admins``,
    or instead when the client has no active case worker), once per ``occurrence``."""
    data = event.data
    calendar = calendar_of(uow.session, event.foundation)
    messages = [
        schedule_message(
            uow,
            recipient=staff_recipient(staff, calendar.locale),
            template=template,
            occurrence=occurrence,
            due=utcnow(),
            context=context,
            client_id=data["client_id"],
            subject_id=subject_id,
        )
        for staff in staff_to_notify(uow, event.foundation, data.get("case_worker_id"), admins)
    ]
    dispatch_after_commit(uow, messages)


def alert_crisis(uow: UnitOfWork, event: Event, newer: bool) -> None:
    """A crisis note alerts the case worker and the foundation's admins at once."""
    data = event.data
    _alert_staff_now(
        uow,
        event,
        template="staff.crisis_alert",
        occurrence=f"note:{data['note_id']}",
        context={"client_code": data["client_code"], "recorded_at": data["recorded_at"]},
        subject_id=data["note_id"],
        admins=True,
    )


def alert_risk(uow: UnitOfWork, event: Event, newer: bool) -> None:
    """A client's flag rose to high: the case worker (else the admins) hears once per rise."""
    data = event.data
    locale = calendar_of(uow.session, event.foundation).locale
    _alert_staff_now(
        uow,
        event,
        template="staff.risk_alert",
        occurrence=f"risk:{data['client_id']}#{data['rise']}",
        context={"client_code": data["client_code"], "rules": rule_words(data["rules"], locale)},
        subject_id=data["client_id"],
        admins=False,
    )


def remind_referral_pending(uow: UnitOfWork, event: Event, newer: bool) -> None:
    """A referral still pending a week after it was made reminds the client's case worker
    (else the admins); leaving ``pending`` cancels that reminder. A stale state changes
    nothing: a newer one was applied already."""
    if not newer:
        return
    data = event.data
    if data["remind_at"] is None:
        cancel_pending(
            uow,
            "referral_answered",
            foundation=event.foundation,
            subject_id=data["referral_id"],
            template="staff.referral_pending",
        )
        return
    calendar = calendar_of(uow.session, event.foundation)
    messages = [
        schedule_message(
            uow,
            recipient=staff_recipient(staff, calendar.locale),
            template="staff.referral_pending",
            occurrence=f"referral:{data['referral_id']}",
            due=data["remind_at"],
            context={
                "client_code": data["client_code"],
                "partner_name": data["partner_name"],
                "referred_at": data["created_at"],
            },
            client_id=data["client_id"],
            subject_id=data["referral_id"],
        )
        for staff in staff_to_notify(uow, event.foundation, data.get("case_worker_id"), False)
    ]
    dispatch_after_commit(uow, messages)


# --- personal-data rights ---------------------------------------------------------------------


def answer_data_request(uow: UnitOfWork, event: Event, newer: bool) -> None:
    """A client's data request: access is answered with everything notifications holds
    about the client; erasure cancels its waiting messages, empties it (keys first) and
    answers with the counts. Once per request, whatever ``newer`` says."""
    try:
        check_owner(uow.session, event.foundation, event.data["client_id"])
    except ForeignClient:
        log.error("event %s names a client of another foundation; ignored", event.id)
        return
    answer_request(uow, event, "notifications", export_part, erase_client)


def forget_erased_client(uow: UnitOfWork, event: Event, newer: bool) -> None:
    """Every service erased the client: cancel and empty again whatever arrived since the
    request was answered, and make sure its keys are gone."""
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
    "transport_key.assessment": [install_published],
    "foundation.saved": [remember_foundation],
    "staff.saved": [remember_staff],
    "intake.heartbeat": [remember_heartbeat],
    "client.registered": [update_client],
    "client.updated": [update_client],
    "consent.changed": [update_client],
    "family_contact.saved": [update_client],
    "family_contact.removed": [update_client],
    "client.admitted": [welcome_family],
    "session.scheduled": [invite_family],
    "session.rescheduled": [tell_family_of_change],
    "session.cancelled": [tell_family_of_cancellation],
    "assessment.due": [remind_assessment_due],
    "assessment.completed": [progress_on_assessment],
    "placement.started": [progress_on_placement],
    "followup.due": [followup_family_and_staff],
    "client.discharged": [forget_assessment_on_discharge],
    "note.crisis_recorded": [alert_crisis],
    "risk.raised": [alert_risk],
    "data_request.opened": [answer_data_request],
    "client.erased": [forget_erased_client],
    "referral.changed": [remind_referral_pending],
}
