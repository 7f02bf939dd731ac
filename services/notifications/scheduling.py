"""Putting messages on the schedule: one row per recipient, template and occurrence.

``dedupe_key`` (template, recipient, occurrence) is unique, so however often an event is
delivered a message exists once. Quiet hours are applied when the message is scheduled
(and again when it is sent); a family message is only scheduled while consent holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, update

from services.notifications.models import FamilyContact, FoundationProfile, Message, StaffMember
from services.notifications.quiet_hours import (
    QUIET_HOURS_EXEMPT,
    Calendar,
    defer_past_quiet_hours,
)
from services.notifications.send_decision import followup_of_another_episode
from services.notifications.templates import decode_context, encode_context
from shared.codes import reason_text
from shared.db import rowcount, utcnow
from shared.events.envelope import current_correlation_id
from shared.events.unit_of_work import UnitOfWork
from shared.vocabulary import (
    PENDING_MESSAGE_STATUSES,
    Channel,
    Locale,
    MessageStatus,
    RecipientKind,
    StaffRole,
)

# Asked on every scheduling and every admission: built once, values bound when they run.
_SCHEDULED_ONCE = select(Message.id).where(Message.dedupe_key == bindparam("key"))
# Locked (PostgreSQL) as they are read for a change: a send claiming one of them at this
# moment commits first, and the row, no longer pending, is left to it.
_WAITING_FOLLOWUPS = (
    select(Message)
    .where(
        Message.client_id == bindparam("client_id"),
        Message.template == "family.followup",
        Message.status.in_(PENDING_MESSAGE_STATUSES),
    )
    .with_for_update()
    .execution_options(populate_existing=True)
)


@dataclass(frozen=True)
class Recipient:
    kind: RecipientKind
    id: str
    name: str | None
    channel: str
    address: str | None
    locale: str
    foundation: str


def calendar_of(session, foundation: str) -> Calendar:
    return calendar_from(session.get(FoundationProfile, foundation))


def calendar_from(profile: FoundationProfile | None) -> Calendar:
    """The foundation's calendar, or Jakarta's defaults before ``foundation.saved`` came."""
    if profile is None:
        return Calendar("Asia/Jakarta", "21:00", "07:00", Locale.ID)
    return Calendar(profile.timezone, profile.quiet_start, profile.quiet_end, profile.locale)


def family_recipient(contact: FamilyContact) -> Recipient:
    return Recipient(
        kind=RecipientKind.FAMILY,
        id=contact.id,
        name=contact.name,
        channel=contact.channel,
        address=contact.email if contact.channel == Channel.EMAIL else contact.phone,
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
        chosen += [s for s in staff if s.role == StaffRole.ADMIN and s.id != case_worker_id]
    return chosen


def staff_recipient(staff: StaffMember, locale: str) -> Recipient:
    channel, address = (
        (Channel.EMAIL, staff.email)
        if staff.email
        else ((Channel.SMS, staff.phone) if staff.phone else (Channel.LOG, None))
    )
    return Recipient(
        RecipientKind.STAFF, staff.id, staff.name, channel, address, locale, staff.foundation
    )


def dedupe_key(template: str, recipient_id: str, occurrence: str) -> str:
    """A message's unique key: one per template, recipient and occurrence."""
    return f"{template}:{recipient_id}:{occurrence}"


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
    cancelled_reason_code: str | None = None,
) -> Message | None:
    """Schedule ``template`` for ``recipient`` once per ``occurrence``.

    Returns the new row, or ``None`` when this occurrence already exists. With
    ``cancelled_reason_code`` the row is recorded as cancelled (a reminder that cannot go).
    """
    session = uow.session
    key = dedupe_key(template, recipient.id, occurrence)
    if session.execute(_SCHEDULED_ONCE, {"key": key}).first():
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
        dedupe_key=key,
        context=encode_context(context),
        scheduled_for=when,
        correlation_id=current_correlation_id(),
    )
    if cancelled_reason_code:
        message.set_status(MessageStatus.CANCELLED, cancelled_reason_code)
    else:
        # a message held for the morning says so, in the list staff read
        held = "deferred_past_quiet_hours" if when > due else None
        message.set_status(MessageStatus.SCHEDULED, held)
    session.add(message)
    session.flush()
    return message


def pending_for_subject(
    uow: UnitOfWork, subject_id: str, template: str, recipient_id: str
) -> Message | None:
    """The message still waiting for ``subject_id``, ``template`` and ``recipient_id``, locked
    for a change (PostgreSQL): a send claiming it at this moment commits first, and then it
    is no longer waiting. Without the lock, moving it back on the schedule would overwrite
    ``sending`` or ``sent``, and it would go twice."""
    return uow.session.execute(
        select(Message)
        .where(
            Message.subject_id == subject_id,
            Message.template == template,
            Message.recipient_id == recipient_id,
            Message.status.in_(PENDING_MESSAGE_STATUSES),
        )
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar()


def cancel_pending(uow: UnitOfWork, reason_code: str, **filters: Any) -> int:
    """Cancel pending messages matching ``filters`` (column=value, or column=list), giving
    ``reason_code`` as the reason."""
    stmt = update(Message).where(Message.status.in_(PENDING_MESSAGE_STATUSES))
    for column, value in filters.items():
        attribute = getattr(Message, column)
        stmt = stmt.where(
            attribute.in_(value) if isinstance(value, list | tuple) else attribute == value
        )
    result = uow.session.execute(
        stmt.values(
            status=MessageStatus.CANCELLED,
            reason_code=reason_code,
            reason=reason_text(reason_code),
            updated_at=utcnow(),
        )
    )
    return rowcount(result)


def cancel_pending_for_contact(uow: UnitOfWork, contact_id: str, reason_code: str) -> int:
    return cancel_pending(uow, reason_code, recipient_id=contact_id)


def cancel_followups_of_other_episodes(uow: UnitOfWork, client_id: str, episode_id: str) -> int:
    """On a (re)admission: cancel the family's support messages still waiting from earlier
    episodes. The case worker's follow-up reminders stay: the outcome is theirs to record."""
    waiting = uow.session.execute(_WAITING_FOLLOWUPS, {"client_id": client_id}).scalars()
    cancelled = 0
    for message in waiting:
        followed = decode_context(message.context).get("episode_id")
        if followup_of_another_episode(followed, episode_id):
            message.set_status(MessageStatus.CANCELLED, "client_readmitted")
            cancelled += 1
    return cancelled


def erase_contact_details(uow: UnitOfWork, contact_id: str) -> int:
    """Forget a family contact's name and address on every message to them (the contact
    was removed, barred or its client's consent withdrawn); the messages stay, as the
    record of what was sent, with their status and reason."""
    result = uow.session.execute(
        update(Message)
        .where(Message.recipient_kind == RecipientKind.FAMILY, Message.recipient_id == contact_id)
        .values(recipient_name=None, address=None, updated_at=utcnow())
    )
    return rowcount(result)


def cancel_pending_family_messages(uow: UnitOfWork, client_id: str, reason_code: str) -> int:
    return cancel_pending(
        uow, reason_code, client_id=client_id, recipient_kind=RecipientKind.FAMILY
    )
