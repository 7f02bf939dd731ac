"""Whether a claimed message may go now, and if not, why: the send decision.

Pure: plain values in, one of three answers out; no database, no clock, no framework.
Delivery loads what the decision reads, asks :func:`send_decision`, and acts on the answer:

- :class:`Send`: render it and hand it to its channel now;
- :class:`Defer`: back on the schedule until ``until`` (quiet hours, or a hold while
  intake's consent data is stale), with the reason code staff see meanwhile;
- :class:`Refuse`: it never goes; ``cancelled`` (or ``suppressed``: an opt-out) with the
  reason code.

The checks, in order: who may receive it (the client's consent and a contact still there,
a progress update only while progress is shared, a follow-up only of the client's current
episode; a staff member still active), whether their address opted out, then when (consent
data current, quiet hours, a session reminder that would land once the session started,
a staff answer that would reach WhatsApp outside the 24-hour window of free text).
A message that passes "who" is addressed as its recipient is reached now (``to``): a phone
number or e-mail changed since it was scheduled is the one used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from services.notifications.consent import family_message_refusal
from services.notifications.conversations import DIRECT_TEMPLATE, free_text_window_closed
from services.notifications.quiet_hours import (
    QUIET_HOURS_EXEMPT,
    Calendar,
    defer_past_quiet_hours,
)
from services.notifications.reminder_timing import AFTER_START, lands_after_start
from shared.vocabulary import MessageStatus, RecipientKind

#: How long a family message waits before consent freshness is checked again.
HOLD_WHILE_STALE: Final = timedelta(seconds=30)
FOLLOWUP_TEMPLATE: Final = "family.followup"
REMINDER_TEMPLATE: Final = "family.session_reminder"
WINDOW_CLOSED: Final = "whatsapp_window_closed"


# --- what the decision reads -----------------------------------------------------------------


@dataclass(frozen=True)
class Address:
    """How a recipient is reached: the channel, the phone or e-mail on it, the name."""

    channel: str
    address: str | None
    name: str | None


@dataclass(frozen=True)
class PendingMessage:
    """The message as scheduled: for whom, which template, and what its occurrence is tied
    to (a follow-up's episode, a reminder's session start)."""

    kind: RecipientKind
    template: str
    episode_id: str | None = None
    session_starts_at: datetime | None = None


@dataclass(frozen=True)
class CurrentRecipient:
    """The recipient as known now (``None`` in its place: gone, or of another foundation).

    ``contactable``: a staff member still active; a family contact that may be contacted
    (one that may not is deleted, so the loader finds none). ``opted_out``: whether the
    current address asked for nothing more. ``free_text_until``: until when WhatsApp takes
    free text to them (24 hours after their last WhatsApp reply; ``None``: no window open;
    loaded for staff answers only)."""

    address: Address
    contactable: bool = True
    opted_out: bool = False
    free_text_until: datetime | None = None


@dataclass(frozen=True)
class ClientConsent:
    """The client's consent as known now (``None`` in its place: the client is unknown).

    ``fresh``: intake's heartbeat is recent, so no withdrawal can be stuck upstream."""

    contact_family: bool
    share_progress: bool
    episode_id: str | None = None
    fresh: bool = True


# --- the answers -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Send:
    """Send now, to ``to``."""

    to: Address


@dataclass(frozen=True)
class Defer:
    """Not yet: back on the schedule until ``until``, addressed to ``to``."""

    until: datetime
    reason_code: str
    to: Address


@dataclass(frozen=True)
class Refuse:
    """Never: the message ends ``status`` with ``reason_code``. ``to`` is set when the
    recipient was found reachable first (an opted-out address, a reminder too late): the
    message then records where it would have gone."""

    reason_code: str
    status: MessageStatus = MessageStatus.CANCELLED
    to: Address | None = None


Decision = Send | Defer | Refuse


# --- the rules -------------------------------------------------------------------------------


def followup_of_another_episode(followed: str | None, current: str | None) -> bool:
    """A post-discharge support message of an episode that is not the client's current one
    (the client is back in care): a family is not asked how life after treatment goes then."""
    return bool(followed and current and followed != current)


def _reachable(
    message: PendingMessage, recipient: CurrentRecipient | None, consent: ClientConsent | None
) -> CurrentRecipient | Refuse:
    """The recipient, when they may get this message; else why not."""
    if message.kind != RecipientKind.FAMILY:
        if recipient is None or not recipient.contactable:
            return Refuse("staff_inactive")
        return recipient
    contact = recipient if recipient is not None and recipient.contactable else None
    refusal = family_message_refusal(consent, contact, message.template)
    if refusal is not None or contact is None:
        return Refuse(refusal or "contact_removed")
    if message.template == FOLLOWUP_TEMPLATE and followup_of_another_episode(
        message.episode_id, consent.episode_id if consent else None
    ):
        return Refuse("client_readmitted")
    return contact


def send_decision(
    message: PendingMessage,
    recipient: CurrentRecipient | None,
    consent: ClientConsent | None,
    calendar: Calendar,
    now: datetime,
) -> Decision:
    """Whether ``message`` goes at ``now`` (aware), waits, or never goes; see the module."""
    reachable = _reachable(message, recipient, consent)
    if isinstance(reachable, Refuse):
        return reachable
    to = reachable.address
    if reachable.opted_out:
        return Refuse("recipient_opted_out", MessageStatus.SUPPRESSED, to)
    until, why = now, None
    if message.kind == RecipientKind.FAMILY and consent is not None and not consent.fresh:
        # A withdrawal may be stuck upstream: hold, do not send and do not drop.
        until, why = now + HOLD_WHILE_STALE, "held_for_consent_data"
    if message.template not in QUIET_HOURS_EXEMPT:
        resume = defer_past_quiet_hours(
            until, calendar.timezone, calendar.quiet_start, calendar.quiet_end
        )
        if resume > until:
            until, why = resume, why or "deferred_past_quiet_hours"
    starts_at = message.session_starts_at
    if message.template == REMINDER_TEMPLATE and starts_at and lands_after_start(until, starts_at):
        return Refuse(AFTER_START, MessageStatus.CANCELLED, to)
    if message.template == DIRECT_TEMPLATE and free_text_window_closed(
        to.channel, reachable.free_text_until, until
    ):
        return Refuse(WINDOW_CLOSED, MessageStatus.CANCELLED, to)
    if why is not None:
        return Defer(until, why, to)
    return Send(to)
