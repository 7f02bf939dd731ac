"""The case worker learns when a message to a family did not arrive: they are the one who
can phone the family instead."""

from __future__ import annotations

from services.notifications.models import ClientRecord, Message
from services.notifications.scheduling import (
    calendar_of,
    schedule_message,
    staff_recipient,
    staff_to_notify,
)
from shared.db import utcnow
from shared.events.unit_of_work import UnitOfWork
from shared.vocabulary import RecipientKind


def alert_staff_of_failure(
    uow: UnitOfWork, message: Message, failure: str | None = None
) -> list[Message | None]:
    """``staff.delivery_failed`` to the client's case worker (else the admins), once per
    failed family message, whether the send failed or the provider reported it later."""
    if message.recipient_kind != RecipientKind.FAMILY:
        return []
    session = uow.session
    client = session.get(ClientRecord, message.client_id) if message.client_id else None
    calendar = calendar_of(session, message.foundation)
    case_worker = client.case_worker_id if client else None
    chosen = staff_to_notify(uow, message.foundation, case_worker, admins=False)
    return [
        schedule_message(
            uow,
            recipient=staff_recipient(member, calendar.locale),
            template="staff.delivery_failed",
            occurrence=f"message:{message.id}",
            due=utcnow(),
            context={
                "client_code": client.code if client else "",
                "failed_template": message.template,
                "failure": failure or message.reason,
            },
            client_id=message.client_id,
            subject_id=message.id,
        )
        for member in chosen
    ]
