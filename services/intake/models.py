"""Intake's tables. Personal data (names, phones, emails) is encrypted at rest."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from shared.crypto import EncryptedText
from shared.db import UTCDateTime, new_id, utcnow
from shared.events.tables import event_tables


class Base(DeclarativeBase):
    pass


metadata = Base.metadata
events = event_tables(metadata)


class Foundation(Base):
    __tablename__ = "foundations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str] = mapped_column(String(8))
    quiet_start: Mapped[str] = mapped_column(String(5))
    quiet_end: Mapped[str] = mapped_column(String(5))
    sender_name: Mapped[str] = mapped_column(String(60))
    code_prefix: Mapped[str] = mapped_column(String(6))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class CodeCounter(Base):
    """The last client number handed out per foundation and year (``MP-2026-0007``)."""

    __tablename__ = "client_code_counters"

    foundation: Mapped[str] = mapped_column(String(40), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class Client(Base):
    __tablename__ = "clients"
    __table_args__ = (UniqueConstraint("foundation", "code"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    foundation: Mapped[str] = mapped_column(String(40), index=True)
    code: Mapped[str] = mapped_column(String(24))
    full_name: Mapped[str] = mapped_column(EncryptedText())
    status: Mapped[str] = mapped_column(String(16), default="registered")
    case_worker_id: Mapped[str | None] = mapped_column(String(36))
    consent_contact_family: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_share_progress: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_given_by: Mapped[str | None] = mapped_column(String(16))
    consent_guardian_name: Mapped[str | None] = mapped_column(EncryptedText())
    current_episode_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    family_contacts: Mapped[list[FamilyContact]] = relationship(
        back_populates="client", order_by="FamilyContact.created_at", lazy="selectin"
    )
    episodes: Mapped[list[Episode]] = relationship(
        back_populates="client", order_by="Episode.number", lazy="selectin"
    )


class FamilyContact(Base):
    __tablename__ = "family_contacts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id"), index=True)
    foundation: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(EncryptedText())
    relationship_: Mapped[str] = mapped_column("relationship", String(40))
    phone: Mapped[str | None] = mapped_column(EncryptedText())
    email: Mapped[str | None] = mapped_column(EncryptedText())
    channel: Mapped[str] = mapped_column(String(16))
    locale: Mapped[str] = mapped_column(String(8))
    may_contact: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    client: Mapped[Client] = relationship(back_populates="family_contacts")


class ConsentRecord(Base):
    """Every consent change, with who recorded it and when (never updated, only added)."""

    __tablename__ = "consent_history"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id"), index=True)
    foundation: Mapped[str] = mapped_column(String(40))
    contact_family: Mapped[bool] = mapped_column(Boolean)
    share_progress: Mapped[bool] = mapped_column(Boolean)
    given_by: Mapped[str] = mapped_column(String(16))
    guardian_name: Mapped[str | None] = mapped_column(EncryptedText())
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Episode(Base):
    """One episode of care: an admission, and later its placement and discharge."""

    __tablename__ = "episodes"
    __table_args__ = (UniqueConstraint("client_id", "number"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id"), index=True)
    foundation: Mapped[str] = mapped_column(String(40))
    number: Mapped[int] = mapped_column(Integer)
    admitted_on: Mapped[date] = mapped_column(Date)
    admitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    family_agreement: Mapped[bool] = mapped_column(Boolean)
    treatment_status: Mapped[str] = mapped_column(String(16), default="admitted")
    discharged_on: Mapped[date | None] = mapped_column(Date)
    discharge_reason: Mapped[str | None] = mapped_column(String(16))
    recorded_by: Mapped[str] = mapped_column(String(64))

    client: Mapped[Client] = relationship(back_populates="episodes")
