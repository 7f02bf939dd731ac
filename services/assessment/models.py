"""Assessment's tables: its view of clients (from intake's events) and its own records."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db import UTCDateTime, new_id, utcnow
from shared.events.tables import event_tables


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


class Assessment(Base):
    __tablename__ = "assessments"
    __table_args__ = (UniqueConstraint("episode_id", "sequence_no"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    foundation: Mapped[str] = mapped_column(String(40), index=True)
    client_id: Mapped[str] = mapped_column(String(36), index=True)
    episode_id: Mapped[str] = mapped_column(String(36))
    sequence_no: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(16), default="due")
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    recommended_level: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
