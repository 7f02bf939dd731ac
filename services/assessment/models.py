"""Assessment's tables: its view of clients (from intake's events) and its own records:
episodes, assessments, goals, programmes, placements, sessions, notes and follow-ups, and
the families' answers to session invitations and follow-up check-ins; the early warning's
flags, its thresholds per foundation, and the outreach it leads to; the summaries another
foundation shares when it transfers a client here. Free text (notes, goals, assessment
findings) is encrypted at rest."""

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

from shared.crypto import EncryptedOnceClearText, EncryptedText
from shared.db import UTCDateTime, new_id, utcnow
from shared.events.tables import event_tables
from shared.vocabulary import AssessmentStatus, GoalStatus, SessionStatus


class Base(DeclarativeBase):
    pass


metadata = Base.metadata
events = event_tables(metadata)


class FoundationView(Base):
    """What assessment knows of a foundation (its calendar), from ``foundation.saved``."""

    __tablename__ = "foundations"

    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    timezone: Mapped[str] = mapped_column(String(64))


class ClientView(Base):
    """A client as intake last described it, plus the treatment status assessment owns."""

    __tablename__ = "clients"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    foundation: Mapped[str] = mapped_column(String(40), index=True)
    code: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(16))
    case_worker_id: Mapped[str | None] = mapped_column(String(36))
    episode_id: Mapped[str | None] = mapped_column(String(36))
    admitted_on: Mapped[date | None] = mapped_column(Date)
    share_progress: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    #: when the client's personal data was erased here: nothing new is recorded about them
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class EpisodeRecord(Base):
    """One episode of care as assessment sees it: admitted, placed, discharged."""

    __tablename__ = "episodes"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    foundation: Mapped[str] = mapped_column(String(40), index=True)
    client_id: Mapped[str] = mapped_column(String(36), index=True)
    admitted_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    discharged_on: Mapped[date | None] = mapped_column(Date)
    discharge_reason: Mapped[str | None] = mapped_column(String(16))


class Assessment(Base):
    __tablename__ = "assessments"
    __client_key__ = "client_id"  # personal values under this client's key
    __table_args__ = (UniqueConstraint("episode_id", "sequence_no"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    foundation: Mapped[str] = mapped_column(String(40), index=True)
    client_id: Mapped[str] = mapped_column(String(36), index=True)
    episode_id: Mapped[str] = mapped_column(String(36))
    sequence_no: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(16), default=AssessmentStatus.DUE)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_by: Mapped[str | None] = mapped_column(String(64))
    recommended_level: Mapped[str | None] = mapped_column(String(32))
    level: Mapped[str | None] = mapped_column(String(32))
    level_override: Mapped[str | None] = mapped_column(String(32))
    override_reason: Mapped[str | None] = mapped_column(EncryptedText())
    findings: Mapped[str | None] = mapped_column(EncryptedText())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Goal(Base):
    """A treatment-plan goal, updated over time."""

    __tablename__ = "goals"
    __client_key__ = "client_id"  # personal values under this client's key

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    foundation: Mapped[str] = mapped_column(String(40), index=True)
    client_id: Mapped[str] = mapped_column(String(36), index=True)
    episode_id: Mapped[str | None] = mapped_column(String(36))
    text: Mapped[str] = mapped_column(EncryptedText())
    target_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default=GoalStatus.OPEN)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Program(Base):
    __tablename__ = "programs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    foundation: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))
    capacity: Mapped[int] = mapped_column(Integer)
    duration_days: Mapped[int] = mapped_column(Integer)
    occupied: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Placement(Base):
    __tablename__ = "placements"
    __table_args__ = (Index("ix_placements_active", "client_id", "active"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    foundation: Mapped[str] = mapped_column(String(40), index=True)
    client_id: Mapped[str] = mapped_column(String(36))
    episode_id: Mapped[str | None] = mapped_column(String(36))
    program_id: Mapped[str] = mapped_column(ForeignKey("programs.id"), index=True)
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    program: Mapped[Program] = relationship(lazy="joined")


class CounsellingSession(Base):
    """A counselling session. The title and place of a session only one client takes part
    in (an individual session, a family's) describe that client's care, a home visit's
    address say: they go under that client's key (``client_id``), so an erasure leaves
    them unreadable in backups and events too. A session of several clients names none,
    and its title and place stay under the deployment keys."""

    __tablename__ = "sessions"
    __client_key__ = "client_id"  # personal values under this client's key, when it names one

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    foundation: Mapped[str] = mapped_column(String(40), index=True)
    client_id: Mapped[str | None] = mapped_column(String(36))  # its only participant
    kind: Mapped[str] = mapped_column(String(16))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    duration_minutes: Mapped[int] = mapped_column(Integer)
    location: Mapped[str | None] = mapped_column(EncryptedText())
    title: Mapped[str | None] = mapped_column(EncryptedOnceClearText())  # in clear before 0006
    status: Mapped[str] = mapped_column(String(16), default=SessionStatus.SCHEDULED)
    facilitator_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    participants: Mapped[list[SessionParticipant]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="SessionParticipant.client_id"
    )
    # loaded for a whole page of sessions in one query, like the participants
    family_rsvp: Mapped[list[SessionFamilyRsvp]] = relationship(
        lazy="selectin",
        viewonly=True,
        order_by=lambda: (SessionFamilyRsvp.answered_at, SessionFamilyRsvp.contact_id),
    )


class SessionParticipant(Base):
    __tablename__ = "session_participants"

    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(36), primary_key=True, index=True)
    attendance: Mapped[str | None] = mapped_column(String(16))
    family_attended: Mapped[bool | None] = mapped_column(Boolean)


class SessionFamilyRsvp(Base):
    """A family contact's latest answer to a family session's invitation (``family.replied``);
    an older answer arriving later never replaces a newer one."""

    __tablename__ = "session_family_rsvps"

    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"), primary_key=True)
    contact_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(36), index=True)
    foundation: Mapped[str] = mapped_column(String(40))
    answer: Mapped[str] = mapped_column(String(8))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reply_id: Mapped[str] = mapped_column(String(36))


class Note(Base):
    __tablename__ = "notes"
    __client_key__ = "client_id"  # personal values under this client's key

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    foundation: Mapped[str] = mapped_column(String(40), index=True)
    client_id: Mapped[str] = mapped_column(String(36), index=True)
    episode_id: Mapped[str | None] = mapped_column(String(36))
    program_id: Mapped[str | None] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(EncryptedText())
    obstacles: Mapped[str] = mapped_column(String(200), default="")
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Followup(Base):
    """Follow-up guidance after discharge (bimbingan lanjut): +30, +90 and +180 days."""

    __tablename__ = "followups"
    __client_key__ = "client_id"  # personal values under this client's key
    __table_args__ = (UniqueConstraint("episode_id", "offset_days"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    foundation: Mapped[str] = mapped_column(String(40), index=True)
    client_id: Mapped[str] = mapped_column(String(36), index=True)
    episode_id: Mapped[str] = mapped_column(String(36))
    offset_days: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(16))
    notes: Mapped[str | None] = mapped_column(EncryptedText())
    recorded_by: Mapped[str | None] = mapped_column(String(64))
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: the family's latest answer to the check-in message (``ok`` or ``help``), and when
    family_checkin: Mapped[str | None] = mapped_column(String(8))
    family_checkin_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class StaffView(Base):
    """What assessment knows of a staff member (from ``staff.saved``): the role and whether
    active, for caseloads against the staffing norm. No name or contact details."""

    __tablename__ = "staff"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    foundation: Mapped[str] = mapped_column(String(40), index=True)
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class RiskFlag(Base):
    """A client's early-warning flag as last computed: the level, the reasons that hold
    (``reasons``: JSON list of ``{rule, level, since, params}``), and how often it rose to
    high (``rises``; ``alerted_rise`` is the last rise that alerted the case worker)."""

    __tablename__ = "risk_flags"

    client_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    foundation: Mapped[str] = mapped_column(String(40), index=True)
    level: Mapped[str] = mapped_column(String(8))
    reasons: Mapped[str] = mapped_column(Text, default="[]")
    high_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    rises: Mapped[int] = mapped_column(Integer, default=0)
    alerted_rise: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RiskSettings(Base):
    """A foundation's own thresholds for the early warning's rules (JSON; the defaults
    apply to any it leaves out)."""

    __tablename__ = "risk_settings"

    foundation: Mapped[str] = mapped_column(String(40), primary_key=True)
    thresholds: Mapped[str] = mapped_column(Text, default="{}")
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Outreach(Base):
    """Reaching out to a client the early warning (or a worried worker) pointed at. It
    never discharges anyone; ``notes`` are encrypted."""

    __tablename__ = "outreach"
    __client_key__ = "client_id"  # personal values under this client's key
    __table_args__ = (Index("ix_outreach_client", "foundation", "client_id", "recorded_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    foundation: Mapped[str] = mapped_column(String(40))
    client_id: Mapped[str] = mapped_column(String(36))
    episode_id: Mapped[str | None] = mapped_column(String(36))
    method: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(16))
    notes: Mapped[str | None] = mapped_column(EncryptedText())
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TransferSummary(Base):
    """The assessment and plan another foundation shared when it transferred a client here
    (a referral this foundation accepted): a summary document on the client it registered,
    written from the sending foundation's records. ``content`` (JSON) is under the client's
    key."""

    __tablename__ = "transfer_summaries"
    __client_key__ = "client_id"  # personal values under this client's key

    referral_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    foundation: Mapped[str] = mapped_column(String(40))
    client_id: Mapped[str] = mapped_column(String(36), index=True)
    from_foundation: Mapped[str] = mapped_column(String(40))
    content: Mapped[str] = mapped_column(EncryptedText())
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
