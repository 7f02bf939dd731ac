"""Loading what the send decision reads (:mod:`services.notifications.send_decision`): the
message's recipient, the client's consent and the message itself, as this foundation knows
them at the moment of sending, copied into the decision's plain values."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.notifications.inbound import is_opted_out
from services.notifications.models import ClientRecord, FamilyContact, Message, StaffMember
from services.notifications.scheduling import Recipient, family_recipient, staff_recipient
from services.notifications.send_decision import (
    Address,
    ClientConsent,
    CurrentRecipient,
    PendingMessage,
)
from shared.vocabulary import Channel, RecipientKind


def current_recipient(session: Session, message: Message) -> CurrentRecipient | None:
    """The message's recipient as this foundation knows them now; ``None`` when gone."""
    recipient: Recipient
    if message.recipient_kind == RecipientKind.FAMILY:
        contact = session.execute(
            select(FamilyContact).where(
                FamilyContact.id == message.recipient_id,
                FamilyContact.foundation == message.foundation,
            )
        ).scalar()
        if contact is None:
            return None
        recipient, contactable = family_recipient(contact), True
        if message.fallback_of is not None:
            # an SMS standing in for a WhatsApp message that did not arrive (fallback.py)
            # stays an SMS: to the contact's phone as it is now, whatever channel they prefer
            recipient = replace(recipient, channel=Channel.SMS, address=contact.phone)
    else:
        staff = session.get(StaffMember, message.recipient_id)
        if staff is None or staff.foundation != message.foundation:
            return None
        recipient, contactable = staff_recipient(staff, message.locale), staff.active
    opted_out = bool(
        contactable
        and recipient.address
        and is_opted_out(session, message.foundation, recipient.address)
    )
    return CurrentRecipient(
        Address(recipient.channel, recipient.address, recipient.name), contactable, opted_out
    )


def client_consent(
    client: ClientRecord | None, family: bool, consent_data_is_fresh: Callable[[], bool]
) -> ClientConsent | None:
    """What the client agreed to, and (for a family message) whether that is current
    (``consent_data_is_fresh``: asked only then)."""
    if client is None:
        return None
    return ClientConsent(
        contact_family=bool(client.contact_family),
        share_progress=bool(client.share_progress),
        episode_id=client.episode_id,
        fresh=not family or consent_data_is_fresh(),
    )


def pending_message(message: Message, context: dict[str, Any]) -> PendingMessage:
    """The message as the decision reads it (``context``: its decoded template values)."""
    starts_at = context.get("starts_at")
    return PendingMessage(
        kind=RecipientKind(message.recipient_kind),
        template=message.template,
        episode_id=context.get("episode_id"),
        session_starts_at=starts_at if isinstance(starts_at, datetime) else None,
    )
