"""SMS fallback: a family WhatsApp message that did not arrive goes once more, by SMS.

When the provider reports a family WhatsApp message ``failed``, or its send finally fails,
and the foundation has its ``sms`` channel configured and enabled, the same message (its
template, values, client and contact) is scheduled again as an SMS to the contact's phone:
a new message whose ``fallback_of`` names the original, one per original however often the
failure is reported. It goes under every rule a family message goes under: the client's
consent and a contact still there, a phone that did not opt out (checked now, and again by
the send decision when it goes), quiet hours.

The case worker is alerted (``staff.delivery_failed``) when no fallback can go, or when the
fallback fails too; not while one is on its way.
"""

from __future__ import annotations

from sqlalchemy import select

from services.notifications.channel_settings import load_channel_setting
from services.notifications.consent import family_message_refusal
from services.notifications.failure_alerts import alert_staff_of_failure
from services.notifications.models import ClientRecord, FamilyContact, Message
from services.notifications.opt_outs import is_opted_out
from services.notifications.scheduling import Recipient, schedule_message
from services.notifications.templates import decode_context
from shared.db import utcnow
from shared.events.unit_of_work import UnitOfWork
from shared.vocabulary import Channel, RecipientKind


def may_fall_back(message: Message) -> bool:
    """Whether ``message`` is one an SMS may stand in for: a family WhatsApp message that
    is not itself a fallback."""
    return (
        message.recipient_kind == RecipientKind.FAMILY
        and message.channel == Channel.WHATSAPP
        and message.fallback_of is None
    )


def _fallback_recipient(uow: UnitOfWork, message: Message) -> Recipient | None:
    """The contact, reached by SMS at their phone as it is now, when an SMS may go to them;
    else ``None`` (no SMS configured, no consent, contact or phone, the phone opted out)."""
    session = uow.session
    if load_channel_setting(session, message.foundation, Channel.SMS) is None:
        return None
    contact = session.execute(
        select(FamilyContact).where(
            FamilyContact.id == message.recipient_id,
            FamilyContact.foundation == message.foundation,
        )
    ).scalar()
    client = session.execute(
        select(ClientRecord).where(
            ClientRecord.id == message.client_id, ClientRecord.foundation == message.foundation
        )
    ).scalar()
    if contact is None or family_message_refusal(client, contact, message.template):
        return None
    if not contact.phone or is_opted_out(session, message.foundation, contact.phone):
        return None
    return Recipient(
        kind=RecipientKind.FAMILY,
        id=contact.id,
        name=contact.name,
        channel=Channel.SMS,
        address=contact.phone,
        locale=contact.locale,
        foundation=contact.foundation,
    )


def schedule_sms_fallback(uow: UnitOfWork, message: Message) -> Message | None:
    """Schedule the SMS that stands in for ``message`` (due now, or after quiet hours);
    ``None`` when none may go."""
    if not may_fall_back(message):
        return None
    recipient = _fallback_recipient(uow, message)
    if recipient is None:
        return None
    fallback = schedule_message(
        uow,
        recipient=recipient,
        template=message.template,
        occurrence=f"fallback:{message.id}",
        due=utcnow(),
        context=decode_context(message.context),
        client_id=message.client_id,
        subject_id=message.subject_id,
    )
    if fallback is not None:
        fallback.fallback_of = message.id
    return fallback


def fall_back_or_alert(
    uow: UnitOfWork, message: Message, failure: str | None = None
) -> list[Message | None]:
    """What follows a family message that did not arrive: its SMS fallback, else an alert
    to the case worker (``failure``: what the alert says went wrong, by default the
    message's reason). Returns the messages scheduled, to dispatch after the commit;
    nothing when a fallback was already scheduled (a failure reported again)."""
    already = uow.session.execute(
        select(Message.id).where(Message.fallback_of == message.id).limit(1)
    ).first()
    if already is not None:
        return []
    fallback = schedule_sms_fallback(uow, message)
    if fallback is not None:
        return [fallback]
    return alert_staff_of_failure(uow, message, failure)
