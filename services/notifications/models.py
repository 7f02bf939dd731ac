"""Notifications' tables: what it knows of foundations, clients and contacts (from intake's
events), and every message as a row. Contact details and bodies are encrypted at rest."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.codes import reason_text
from shared.crypto import EncryptedText
from shared.db import UTCDateTime, new_id, utcnow
from shared.events.tables import event_tables
from shared.index_check import key_checks_table
from shared.vocabulary import MessageStatus


class Base(DeclarativeBase):
    pass


metadata = Base.metadata
events = event_tables(metadata)
key_checks = key_checks_table(metadata)  # the blind-index key in use (shared.index_check)


class FoundationProfile(Base):
    __tablename__ = "foundations"

    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str] = mapped_column(String(8))
    quiet_start: Mapped[str] = mapped_column(String(5))
    quiet_end: Mapped[str] = mapped_column(String(5))
    sender_name: Mapped[str] = mapped_column(String(60))


class ClientRecord(Base):
    __tablename__ = "clients"
    __client_key__ = "id"  # personal values under this client's key

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    foundation: Mapped[str] = mapped_column(String(40), index=True)
    code: Mapped[str] = mapped_column(String(24))
    first_name: Mapped[str] = mapped_column(EncryptedText())
    status: Mapped[str] = mapped_column(String(16))
    case_worker_id: Mapped[str | None] = mapped_column(String(36))
    episode_id: Mapped[str | None] = mapped_column(String(36))
    contact_family: Mapped[bool] = mapped_column(Boolean, default=False)
    share_progress: Mapped[bool] = mapped_column(Boolean, default=False)


class FamilyContact(Base):
    """A contact we may message. Removed (or no longer consented) contacts are deleted:
    the service keeps no copy of details it may not use."""

    __tablename__ = "family_contacts"
    __client_key__ = "client_id"  # personal values under this client's key

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(36), index=True)
    foundation: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(EncryptedText())
    relationship_: Mapped[str | None] = mapped_column("relationship", String(40))
    phone: Mapped[str | None] = mapped_column(EncryptedText())
    email: Mapped[str | None] = mapped_column(EncryptedText())
    channel: Mapped[str] = mapped_column(String(16))
    locale: Mapped[str] = mapped_column(String(8))
    # blind indexes of the normalised phone and e-mail (addresses.py): who wrote a reply
    phone_index: Mapped[str | None] = mapped_column(String(64), index=True)
    email_index: Mapped[str | None] = mapped_column(String(64), index=True)


class Message(Base):
    """One message to one recipient for one occurrence; ``dedupe_key`` makes it unique."""

    __tablename__ = "messages"
    __client_key__ = "client_id"  # personal values under this client's key
    __table_args__ = (
        Index("ix_messages_due", "status", "scheduled_for"),
        Index("ix_messages_client", "foundation", "client_id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    foundation: Mapped[str] = mapped_column(String(40))
    client_id: Mapped[str | None] = mapped_column(String(36))
    recipient_kind: Mapped[str] = mapped_column(String(8))
    recipient_id: Mapped[str] = mapped_column(String(36))
    recipient_name: Mapped[str | None] = mapped_column(EncryptedText())
    channel: Mapped[str] = mapped_column(String(16))
    address: Mapped[str | None] = mapped_column(EncryptedText())
    template: Mapped[str] = mapped_column(String(48))
    locale: Mapped[str] = mapped_column(String(8))
    subject_id: Mapped[str | None] = mapped_column(String(36), index=True)
    occurrence: Mapped[str] = mapped_column(String(96))
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    context: Mapped[str] = mapped_column(EncryptedText(), default="{}")
    status: Mapped[str] = mapped_column(String(12), default=MessageStatus.SCHEDULED)
    scheduled_for: Mapped[datetime] = mapped_column(UTCDateTime())
    queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    body: Mapped[str | None] = mapped_column(EncryptedText())
    provider_message_id: Mapped[str | None] = mapped_column(String(120))
    delivery_status: Mapped[str | None] = mapped_column(String(24))
    # why it is held, cancelled, suppressed, retried or failed: a stable code
    # (shared/codes/notifications.py) and its English text
    reason: Mapped[str | None] = mapped_column(String(200))
    reason_code: Mapped[str | None] = mapped_column(String(48))
    # the user action that caused the message: its send is logged under the same id
    correlation_id: Mapped[str | None] = mapped_column(String(64))
    # a family WhatsApp message the provider reported failed, sent again by SMS as this one
    fallback_of: Mapped[str | None] = mapped_column(String(36), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    @property
    def recipient(self) -> dict[str, str | None]:
        """Who the message is for, as the API shows it: ``{kind, id, name}``."""
        return {"kind": self.recipient_kind, "id": self.recipient_id, "name": self.recipient_name}

    def set_status(
        self, status: MessageStatus, reason_code: str | None = None, **reason_params: object
    ) -> None:
        """Move the message to ``status``, with the reason code (and its English ``reason``,
        filled from ``reason_params``) or none."""
        self.status = status
        self.reason_code = reason_code
        self.reason = reason_text(reason_code, **reason_params)[:200] if reason_code else None


class Reply(Base):
    """What a family contact wrote back, kept with the client's case (and erased with it).

    Only replies from a known contact of the foundation are kept. ``text`` is encrypted;
    ``dedupe_key`` (a blind index of the provider's message id, else of the address, text and
    minute) makes a redelivered webhook one reply. ``in_reply_to`` is the open question it
    answers (an invitation, reminder or check-in message), with its session or follow-up.
    """

    __tablename__ = "replies"
    __client_key__ = "client_id"  # personal values under this client's key
    __table_args__ = (
        Index("ix_replies_client", "foundation", "client_id", "received_at"),
        Index("ix_replies_contact", "foundation", "contact_id", "received_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    foundation: Mapped[str] = mapped_column(String(40))
    client_id: Mapped[str] = mapped_column(String(36))
    contact_id: Mapped[str] = mapped_column(String(36))
    channel: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(EncryptedText())
    intent: Mapped[str] = mapped_column(String(16))
    in_reply_to: Mapped[str | None] = mapped_column(String(36))
    session_id: Mapped[str | None] = mapped_column(String(36))
    followup_id: Mapped[str | None] = mapped_column(String(36))
    dedupe_key: Mapped[str] = mapped_column(String(64), unique=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    read_by: Mapped[str | None] = mapped_column(String(64))


class StaffMember(Base):
    """Staff to remind and alert, from ``staff.saved``."""

    __tablename__ = "staff"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    foundation: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(EncryptedText())
    role: Mapped[str] = mapped_column(String(16))
    email: Mapped[str | None] = mapped_column(EncryptedText())
    phone: Mapped[str | None] = mapped_column(EncryptedText())
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ChannelSetting(Base):
    """A foundation's provider settings for one channel; ``config`` holds credentials and
    is encrypted; the API never returns credentials."""

    __tablename__ = "channel_settings"

    foundation: Mapped[str] = mapped_column(String(40), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    config: Mapped[str] = mapped_column(EncryptedText(), default="{}")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class OptOut(Base):
    """An address that replied STOP/BERHENTI: it gets nothing any more."""

    __tablename__ = "opt_outs"

    foundation: Mapped[str] = mapped_column(String(40), primary_key=True)
    address_index: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    opted_out_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class InboundReceipt(Base):
    """A provider message id the inbound webhook has taken (:mod:`.inbound_receipts`)."""

    __tablename__ = "inbound_receipts"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # a blind index
    foundation: Mapped[str] = mapped_column(String(40))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class TemplateOverride(Base):
    """A foundation's own wording of a template in one locale (admins edit it)."""

    __tablename__ = "templates"

    foundation: Mapped[str] = mapped_column(String(40), primary_key=True)
    key: Mapped[str] = mapped_column(String(48), primary_key=True)
    locale: Mapped[str] = mapped_column(String(8), primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class ProducerHeartbeat(Base):
    """The last heartbeat seen from a producer (intake): family messages wait while stale."""

    __tablename__ = "heartbeats"

    producer: Mapped[str] = mapped_column(String(32), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
