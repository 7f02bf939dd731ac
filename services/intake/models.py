"""Intake's tables. Personal data (names, phones, emails) is encrypted at rest."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from shared.crypto import EncryptedText
from shared.db import UTCDateTime, new_id, utcnow
from shared.events.tables import event_tables
from shared.index_check import key_checks_table
from shared.vocabulary import ClientStatus


class Base(DeclarativeBase):
    pass


metadata = Base.metadata
events = event_tables(metadata)
key_checks = key_checks_table(metadata)  # the blind-index key in use (shared.index_check)


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
    # years a discharged client's data is kept before the retention sweep proposes erasure
    retention_years: Mapped[int] = mapped_column(Integer, default=5, server_default="5")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class CodeCounter(Base):
    """The last client number handed out per foundation and year (``MP-2026-0007``)."""

    __tablename__ = "client_code_counters"

    foundation: Mapped[str] = mapped_column(String(40), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class Staff(Base):
    """A member of a foundation's staff: case workers, counsellors, admins."""

    __tablename__ = "staff"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    foundation: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(EncryptedText())
    role: Mapped[str] = mapped_column(String(16))
    email: Mapped[str | None] = mapped_column(EncryptedText())
    phone: Mapped[str | None] = mapped_column(EncryptedText())
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Client(Base):
    """A client. Identity and health data are encrypted; ``nik_index``, ``dob_index`` and
    the name tokens are keyed hashes, so duplicates and searches need no plaintext."""

    __tablename__ = "clients"
    __client_key__ = "id"  # personal values under this client's key
    __table_args__ = (
        UniqueConstraint("foundation", "code"),
        UniqueConstraint("foundation", "nik_index", name="uq_clients_foundation_nik"),
        Index("ix_clients_dob", "foundation", "dob_index"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    foundation: Mapped[str] = mapped_column(String(40), index=True)
    code: Mapped[str] = mapped_column(String(24))
    full_name: Mapped[str] = mapped_column(EncryptedText())
    nik: Mapped[str | None] = mapped_column(EncryptedText())
    nik_index: Mapped[str | None] = mapped_column(String(64))
    date_of_birth: Mapped[str | None] = mapped_column(EncryptedText())
    date_of_birth_estimated: Mapped[bool] = mapped_column(Boolean, default=False)
    dob_index: Mapped[str | None] = mapped_column(String(64))
    sex: Mapped[str | None] = mapped_column(String(8))
    phone: Mapped[str | None] = mapped_column(EncryptedText())
    address: Mapped[str | None] = mapped_column(EncryptedText())
    health: Mapped[str | None] = mapped_column(EncryptedText())
    referral_source: Mapped[str | None] = mapped_column(String(16))
    referral_compulsory: Mapped[bool] = mapped_column(Boolean, default=False)
    referral_reference_no: Mapped[str | None] = mapped_column(EncryptedText())
    status: Mapped[str] = mapped_column(String(16), default=ClientStatus.REGISTERED)
    case_worker_id: Mapped[str | None] = mapped_column(String(36))
    consent_contact_family: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_share_progress: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_given_by: Mapped[str | None] = mapped_column(String(16))
    consent_guardian_name: Mapped[str | None] = mapped_column(EncryptedText())
    current_episode_id: Mapped[str | None] = mapped_column(String(36))
    # set when every service erased the client's personal data (UU PDP art. 43)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # a transfer between foundations links both records (services/intake/transfer.py)
    transferred_to_foundation: Mapped[str | None] = mapped_column(String(40))
    transferred_to_client_id: Mapped[str | None] = mapped_column(String(36))
    transferred_from_foundation: Mapped[str | None] = mapped_column(String(40))
    transferred_from_client_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    family_contacts: Mapped[list[FamilyContact]] = relationship(
        back_populates="client",
        order_by="[FamilyContact.created_at, FamilyContact.id]",
        lazy="selectin",
    )
    episodes: Mapped[list[Episode]] = relationship(
        back_populates="client", order_by="Episode.number", lazy="selectin"
    )
    # read only when a name changes (search goes through the table), so not with every
    # client a request loads, as the contacts and episodes are
    name_tokens: Mapped[list[ClientNameToken]] = relationship(
        cascade="all, delete-orphan", lazy="select"
    )


class ClientNameToken(Base):
    """A keyed hash of one normalised token of a client's name, for search and duplicates."""

    __tablename__ = "client_name_tokens"
    __table_args__ = (Index("ix_name_tokens_lookup", "foundation", "token"),)

    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id"), primary_key=True)
    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    foundation: Mapped[str] = mapped_column(String(40))


class FamilyContact(Base):
    __tablename__ = "family_contacts"
    __client_key__ = "client_id"  # personal values under this client's key

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
    __client_key__ = "client_id"  # personal values under this client's key

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
    treatment_status: Mapped[str] = mapped_column(String(16), default=ClientStatus.ADMITTED)
    discharged_on: Mapped[date | None] = mapped_column(Date)
    discharge_reason: Mapped[str | None] = mapped_column(String(16))
    recorded_by: Mapped[str] = mapped_column(String(64))

    client: Mapped[Client] = relationship(back_populates="episodes")


class Screening(Base):
    """One screening (DAST-10 or ASSIST) with its answers and the server's result."""

    __tablename__ = "screenings"
    __client_key__ = "client_id"  # personal values under this client's key

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id"), index=True)
    foundation: Mapped[str] = mapped_column(String(40))
    instrument: Mapped[str] = mapped_column(String(16))
    answers: Mapped[str] = mapped_column(EncryptedText())
    result: Mapped[str] = mapped_column(EncryptedText())
    score: Mapped[int | None] = mapped_column(Integer)
    risk: Mapped[str] = mapped_column(String(16))
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AuditEntry(Base):
    """Who read or changed a client record, and when. Only ever inserted."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_resource", "foundation", "resource_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    foundation: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(16))
    resource_type: Mapped[str] = mapped_column(String(24))
    resource_id: Mapped[str | None] = mapped_column(String(36))
    detail: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DataRequest(Base):
    """A client's access or erasure request (UU PDP art. 7, 8, 32, 43), answered by every
    service within ``due_by`` (72 hours). ``requested_by`` and ``notes`` are under the
    client's key: an erasure takes them too, and the request keeps ids, kind and dates."""

    __tablename__ = "data_requests"
    __client_key__ = "client_id"  # personal values under this client's key
    __table_args__ = (Index("ix_data_requests_foundation", "foundation", "status", "due_by"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    foundation: Mapped[str] = mapped_column(String(40))
    client_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(16))
    requested_by: Mapped[str | None] = mapped_column(EncryptedText())
    notes: Mapped[str | None] = mapped_column(EncryptedText())
    opened_by: Mapped[str] = mapped_column(String(64))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    due_by: Mapped[datetime] = mapped_column(UTCDateTime())
    # an erasure the retention sweep opened waits for an admin: NULL until confirmed
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    confirmed_by: Mapped[str | None] = mapped_column(String(64))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    refused_code: Mapped[str | None] = mapped_column(String(40))

    parts: Mapped[list[DataRequestPart]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="DataRequestPart.service"
    )


class DataRequestPart(Base):
    """One service's answer: for access, what it holds (JSON, under the client's key)."""

    __tablename__ = "data_request_parts"
    __client_key__ = "client_id"  # personal values under this client's key

    request_id: Mapped[str] = mapped_column(ForeignKey("data_requests.id"), primary_key=True)
    service: Mapped[str] = mapped_column(String(16), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(36))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    content: Mapped[str | None] = mapped_column(EncryptedText())


class Partner(Base):
    """An organisation a foundation refers clients to: a job or sports partner, a hospital,
    legal aid, another foundation (``foundation_slug``: one of this deployment, which then
    answers the referral itself). Its email and phone are the organisation's, not a
    client's: under the deployment keys."""

    __tablename__ = "partners"
    __table_args__ = (Index("ix_partners_foundation", "foundation", "active", "name"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    foundation: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    email: Mapped[str | None] = mapped_column(EncryptedText())
    phone: Mapped[str | None] = mapped_column(EncryptedText())
    foundation_slug: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Referral(Base):
    """A client referred to a partner, with the parts of the record it shares (``share``,
    comma-separated) and its ground: the client's consent, or an admin's override with a
    reason. ``to_foundation`` is the partner's foundation at the time of referral: that
    foundation answers it. ``reason`` and ``override_reason`` are under the client's key."""

    __tablename__ = "referrals"
    __client_key__ = "client_id"  # personal values under this client's key
    __table_args__ = (
        Index("ix_referrals_foundation", "foundation", "status", "created_at"),
        Index("ix_referrals_to_foundation", "to_foundation", "status", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    foundation: Mapped[str] = mapped_column(String(40))
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id"), index=True)
    partner_id: Mapped[str] = mapped_column(ForeignKey("partners.id"), index=True)
    to_foundation: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(EncryptedText())
    share: Mapped[str] = mapped_column(String(60), default="")
    consent: Mapped[bool] = mapped_column(Boolean)
    override_reason: Mapped[str | None] = mapped_column(EncryptedText())
    status: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # a transfer: the client registered at the receiving foundation on acceptance
    received_client_id: Mapped[str | None] = mapped_column(String(36))

    partner: Mapped[Partner] = relationship(lazy="joined")
    changes: Mapped[list[ReferralChange]] = relationship(
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="[ReferralChange.changed_at, ReferralChange.id]",
    )


class ReferralChange(Base):
    """One change of a referral's status, by which side and whom, with its note (under the
    client's key). Only ever added."""

    __tablename__ = "referral_changes"
    __client_key__ = "client_id"  # personal values under this client's key

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    referral_id: Mapped[str] = mapped_column(ForeignKey("referrals.id"), index=True)
    client_id: Mapped[str] = mapped_column(String(36))
    status: Mapped[str] = mapped_column(String(16))
    side: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(EncryptedText())
    changed_by: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CareSummary(Base):
    """What assessment last said of a client's care (``care_summary.changed``): attendance
    counts, the latest placement, follow-up dates and outcomes. Counts, dates and outcomes
    only, for the report to a compulsory referrer; nothing here is under a client's key."""

    __tablename__ = "care_summaries"

    client_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    foundation: Mapped[str] = mapped_column(String(40))
    attended: Mapped[int] = mapped_column(Integer, default=0)
    absent: Mapped[int] = mapped_column(Integer, default=0)
    excused: Mapped[int] = mapped_column(Integer, default=0)
    last_attended_on: Mapped[date | None] = mapped_column(Date)
    program_name: Mapped[str | None] = mapped_column(String(120))
    placed_on: Mapped[date | None] = mapped_column(Date)
    placement_ended_on: Mapped[date | None] = mapped_column(Date)
    followups: Mapped[str] = mapped_column(Text, default="[]")
    as_of: Mapped[datetime] = mapped_column(UTCDateTime())
