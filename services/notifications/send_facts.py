"""Loading what the send decision reads (:mod:`services.notifications.send_decision`) for a
whole send task at once: its messages still ``queued``, their clients, their recipients
(family contacts or staff) and the opt-outs of the addresses they are reached at now, one
query per kind and foundation for the chunk (a chunk is usually one foundation's) rather
than per message, each scoped to the foundation of the message that asks; then copied into
the decision's plain values, message by message.

Read in the transaction that claims the messages, so the consent a message is sent on is
the consent that holds when it is claimed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from services.notifications.addresses import address_index
from services.notifications.conversation_history import last_whatsapp_replies
from services.notifications.conversations import DIRECT_TEMPLATE, window_open_until
from services.notifications.models import (
    ClientRecord,
    FamilyContact,
    Message,
    OptOut,
    StaffMember,
)
from services.notifications.scheduling import Recipient, family_recipient, staff_recipient
from services.notifications.send_decision import (
    Address,
    ClientConsent,
    CurrentRecipient,
    PendingMessage,
)
from shared.vocabulary import Channel, MessageStatus, RecipientKind

Scoped = tuple[str, str]  # (foundation, id): a record is only ever found within its tenant

# A chunk's messages still queued: built once, the ids bound when it runs (no clause object
# holds a chunk's ids).
_QUEUED_AMONG = select(Message).where(
    Message.id.in_(bindparam("ids", expanding=True)), Message.status == MessageStatus.QUEUED
)


@dataclass(frozen=True)
class ChunkRecords:
    """A chunk's queued messages (in the order asked) and what each is decided on."""

    messages: list[Message]
    clients: dict[Scoped, ClientRecord]
    recipients: dict[str, CurrentRecipient | None]  # by message id

    def client_of(self, message: Message) -> ClientRecord | None:
        if not message.client_id:
            return None
        return self.clients.get((message.foundation, message.client_id))

    def recipient_of(self, message: Message) -> CurrentRecipient | None:
        """The message's recipient as its foundation knows them now; ``None`` when gone."""
        return self.recipients.get(message.id)


def read_chunk(session: Session, message_ids: list[str]) -> ChunkRecords:
    """The messages of ``message_ids`` that are still ``queued``, with their records."""
    found = {m.id: m for m in session.execute(_QUEUED_AMONG, {"ids": message_ids}).scalars()}
    messages = [found[i] for i in message_ids if i in found]
    family = [m for m in messages if m.recipient_kind == RecipientKind.FAMILY]
    staff_messages = [m for m in messages if m.recipient_kind != RecipientKind.FAMILY]
    clients = _scoped(session, ClientRecord, ((m.foundation, m.client_id) for m in messages))
    contacts = _scoped(session, FamilyContact, ((m.foundation, m.recipient_id) for m in family))
    staff = _scoped(session, StaffMember, ((m.foundation, m.recipient_id) for m in staff_messages))
    reached: dict[str, tuple[Recipient, bool] | None] = {}
    for message in messages:
        if message.recipient_kind == RecipientKind.FAMILY:
            reached[message.id] = _family(message, contacts.get(_key(message)))
        else:
            reached[message.id] = _staff(message, staff.get(_key(message)))
    opted_out = _opted_out(
        session,
        {
            (r.foundation, r.address)
            for r, contactable in filter(None, reached.values())
            if contactable and r.address
        },
    )
    windows = _free_text_windows(
        session,
        (
            (m.foundation, m.recipient_id)
            for m in family
            if m.template == DIRECT_TEMPLATE
            and (reached_as := reached.get(m.id)) is not None
            and reached_as[0].channel == Channel.WHATSAPP
        ),
    )
    recipients: dict[str, CurrentRecipient | None] = {}
    for message_id, found_recipient in reached.items():
        if found_recipient is None:
            recipients[message_id] = None
            continue
        r, contactable = found_recipient
        stopped = bool(contactable and r.address and (r.foundation, r.address) in opted_out)
        recipients[message_id] = CurrentRecipient(
            Address(r.channel, r.address, r.name),
            contactable,
            stopped,
            windows.get(_key(found[message_id])),
        )
    return ChunkRecords(messages, clients, recipients)


def _free_text_windows(
    session: Session, contacts: Iterable[tuple[str, str | None]]
) -> dict[Scoped, datetime | None]:
    """Until when WhatsApp takes free text to each of ``contacts`` (``(foundation, contact
    id)``): one query per foundation for the last WhatsApp reply of each."""
    windows: dict[Scoped, datetime | None] = {}
    for foundation, ids in _by_foundation(contacts).items():
        for contact_id, last_reply_at in last_whatsapp_replies(session, foundation, ids).items():
            windows[(foundation, contact_id)] = window_open_until(Channel.WHATSAPP, last_reply_at)
    return windows


def _key(message: Message) -> Scoped:
    return (message.foundation, message.recipient_id)


def _scoped(session: Session, model: Any, wanted: Iterable[tuple[str, str | None]]) -> dict:
    """``model`` rows by ``(foundation, id)``: a query per foundation, each id looked for
    only within the foundation that asks for it."""
    found = {}
    for foundation, ids in _by_foundation(wanted).items():
        rows = session.execute(_of_one_foundation(model), {"foundation": foundation, "ids": ids})
        found.update({(row.foundation, row.id): row for row in rows.scalars()})
    return found


def _by_foundation(pairs: Iterable[tuple[str, str | None]]) -> dict[str, list[str]]:
    """``(foundation, value)`` pairs as each foundation's values (sorted, each once)."""
    grouped: dict[str, set[str]] = defaultdict(set)
    for foundation, value in pairs:
        if value:
            grouped[foundation].add(value)
    return {foundation: sorted(values) for foundation, values in grouped.items()}


@cache
def _of_one_foundation(model: Any) -> Select:
    """``model``'s rows of one foundation among some ids: built once per model, the values
    bound when it runs (building a statement and its cache key cost more than running it)."""
    return select(model).where(
        model.foundation == bindparam("foundation"), model.id.in_(bindparam("ids", expanding=True))
    )


def _family(message: Message, contact: FamilyContact | None) -> tuple[Recipient, bool] | None:
    if contact is None:
        return None
    recipient = family_recipient(contact)
    if message.fallback_of is not None:
        # an SMS standing in for a WhatsApp message that did not arrive (fallback.py) stays
        # an SMS: to the contact's phone as it is now, whatever channel they prefer
        recipient = replace(recipient, channel=Channel.SMS, address=contact.phone)
    return recipient, True


def _staff(message: Message, staff: StaffMember | None) -> tuple[Recipient, bool] | None:
    if staff is None:
        return None
    return staff_recipient(staff, message.locale), bool(staff.active)


_OPTED_OUT_OF_ONE_FOUNDATION = select(OptOut.foundation, OptOut.address_index).where(
    OptOut.foundation == bindparam("foundation"),
    OptOut.address_index.in_(bindparam("indexes", expanding=True)),
)


def _opted_out(session: Session, addresses: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which of ``(foundation, address)`` asked that foundation to send nothing more."""
    indexes = {
        (foundation, address_index(address)): (foundation, address)
        for foundation, address in addresses
    }
    opted_out = set()
    for foundation, found in _by_foundation(indexes).items():
        rows = session.execute(
            _OPTED_OUT_OF_ONE_FOUNDATION, {"foundation": foundation, "indexes": found}
        )
        opted_out |= {indexes[(row.foundation, row.address_index)] for row in rows}
    return opted_out


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
