"""Putting messages on the schedule: one row per recipient, template and occurrence.

``dedupe_key`` (template, recipient, occurrence) is unique, so however often an event is
delivered a message exists once. Quiet hours are applied when the message is scheduled
(and again when it is sent); a family message is only scheduled while consent holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from services.notifications.models import FamilyContact, FoundationProfile, Message, StaffMember
from services.notifications.quiet_hours import defer_past_quiet_hours
from services.notifications.templates import decode_context, encode_context
from shared.db import utcnow
from shared.events.envelope import current_correlation_id
from shared.events.unit_of_work import UnitOfWork

PENDING = ("scheduled", "queued")
QUIET_HOURS_EXEMPT = frozenset({"staff.crisis_alert"})


@dataclass(frozen=True)
class Recipient:
    kind: str  # family | staff
    id: str
    name: str | None
    channel: str
    address: str | None
    locale: str
    foundation: str


@dataclass(frozen=True)
class Calendar:
    timezone: str
    quiet_start: str
    quiet_end: str
    locale: str


DEFERRED = "deferred past quiet hours"


def calendar_of(session, foundation: str) -> Calendar:
    return calendar_from(session.get(FoundationProfile, foundation))


def calendar_from(profile: FoundationProfile | None) -> Calendar:
    """The foundation's calendar, or Jakarta's defaults before ``foundation.saved`` came."""
    if profile is None:
        return Calendar("Asia/Jakarta", "21:00", "07:00", "id")
    return Calendar(profile.timezone, profile.quiet_start, profile.quiet_end, profile.locale)


def family_recipient(contact: FamilyContact) -> Recipient:
    return Recipient(
        kind="family",
        id=contact.id,
        name=contact.name,
        channel=contact.channel,
        address=contact.email if contact.channel == "email" else contact.phone,
        locale=contact.locale,
        foundation=contact.foundation,
    )


def staff_to_notify(
    uow: UnitOfWork, foundation: str, case_worker_id: str | None, admins: bool
) -> list[StaffMember]:
    """Active staff to tell: the case worker, with the admins too when ``admins`` (a crisis)
    or instead when the client has no active case worker."""
    query = select(StaffMember).where(
        StaffMember.foundation == foundation, StaffMember.active.is_(True)
    )
    staff = list(uow.session.execute(query).scalars())
    chosen = [s for s in staff if s.id == case_worker_id]
    if admins or not chosen:
        chosen += [s for s in staff if s.role == "admin" and s.id != case_worker_id]
    return chosen


def staff_recipient(staff: StaffMember, locale: str) -> Recipient:
    channel, address = (
        ("email", staff.email)
        if staff.email
        else (("sms", staff.phone) if staff.phone else ("log", None))
    )
    return Recipient("staff", staff.id, staff.name, channel, address, locale, staff.foundation)


def schedule_message(
    uow: UnitOfWork,
    *,
    recipient: Recipient,
    template: str,
    occurrence: str,
    due: datetime,
    context: dict[str, Any],
    client_id: str | None,
    subject_id: str | None = None,
    cancelled_reason: str | None = None,
) -> Message | None:
    """Schedule ``template`` for ``recipient`` once per ``occurrence``.

    Returns the new row, or ``None`` when this occurrence already exists. With
    ``cancelled_reason`` the row is recorded as cancelled (a reminder that cannot go).
    """
    session = uow.session
    dedupe_key = f"{template}:{recipient.id}:{occurrence}"
    if session.execute(select(Message.id).where(Message.dedupe_key == dedupe_key)).first():
        return None
    calendar = calendar_of(session, recipient.foundation)
    when = due
    if template not in QUIET_HOURS_EXEMPT:
        when = defer_past_quiet_hours(
            due, calendar.timezone, calendar.quiet_start, calendar.quiet_end
        )
    message = Message(
        foundation=recipient.foundation,
        client_id=client_id,
        recipient_kind=recipient.kind,
        recipient_id=recipient.id,
        recipient_name=recipient.name,
        channel=recipient.channel,
        address=recipient.address,
        template=template,
        locale=recipient.locale,
        subject_id=subject_id,
        occurrence=occurrence,
        dedupe_key=dedupe_key,
        context=encode_context(context),
        status="cancelled" if cancelled_reason else "scheduled",
        # a message held for the morning says so, in the list staff read
        reason=cancelled_reason or (DEFERRED if when > due else None),
        scheduled_for=when,
        correlation_id=current_correlation_id(),
    )
    session.add(message)
    session.flush()
    return message


def pending_for_subject(
    uow: UnitOfWork, subject_id: str, template: str, recipient_id: str
) -> Message | None:
    return uow.session.execute(
        select(Message).where(
            Message.subject_id == subject_id,
            Message.template == template,
            Message.recipient_id == recipient_id,
            Message.status.in_(PENDING),
        )
    ).scalar()


def cancel_pending(uow: UnitOfWork, reason: str, **filters: Any) -> int:
    """Cancel pending messages matching ``filters`` (column=value, or column=list)."""
    stmt = update(Message).where(Message.status.in_(PENDING))
    for column, value in filters.items():
        attribute = getattr(Message, column)
        stmt = stmt.where(
            attribute.in_(value) if isinstance(value, list | tuple) else attribute == value
        )
    result = uow.session.execute(
        stmt.values(status="cancelled", reason=reason, updated_at=utcnow())
    )
    return result.rowcount or 0


def cancel_pending_for_contact(uow: UnitOfWork, contact_id: str, reason: str) -> int:
    return cancel_pending(uow, reason, recipient_id=contact_id)


READMITTED = "client readmitted"


def followup_of_another_episode(context: dict[str, Any], episode_id: str | None) -> bool:
    """A post-discharge support message of an episode that is not the client's current one
    (the client is back in care): a family is not asked how life after treatment goes then."""
    followed = context.get("episode_id")
    return bool(followed and episode_id and followed != episode_id)


def cancel_followups_of_other_episodes(uow: UnitOfWork, client_id: str, episode_id: str) -> int:
    """On a (re)admission: cancel the family's support messages still waiting from earlier
    episodes. The case worker's follow-up reminders stay: the outcome is theirs to record."""
    waiting = uow.session.execute(
        select(Message).where(
            Message.client_id == client_id,
            Message.template == "family.followup",
            Message.status.in_(PENDING),
        )
    ).scalars()
    cancelled = 0
    for message in waiting:
        if followup_of_another_episode(decode_context(message.context), episode_id):
            message.status, message.reason = "cancelled", READMITTED
            cancelled += 1
    return cancelled


def erase_contact_details(uow: UnitOfWork, contact_id: str) -> int:
    """Forget a family contact's name and address on every message to them (the contact
    was removed, barred or its client's consent withdrawn); the messages stay, as the
    record of what was sent, with their status and reason."""
    result = uow.session.execute(
        update(Message)
        .where(Message.recipient_kind == "family", Message.recipient_id == contact_id)
        .values(recipient_name=None, address=None, updated_at=utcnow())
    )
    return result.rowcount or 0


def cancel_pending_family_messages(uow: UnitOfWork, client_id: str, reason: str) -> int:
    return cancel_pending(uow, reason, client_id=client_id, recipient_kind="family")
