"""The console's staff accounts (and its blind-index key check). Names and emails are
encrypted at rest; the email is found through a keyed hash of its lower-cased form."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.crypto import EncryptedText
from shared.db import UTCDateTime, new_id, utcnow
from shared.index_check import key_checks_table
from shared.vocabulary import FOUNDATION_ROLES, Locale, values

ROLES = tuple(role.value for role in FOUNDATION_ROLES)
LOCALES = values(Locale)


class Base(DeclarativeBase):
    pass


metadata = Base.metadata
key_checks = key_checks_table(metadata)  # the blind-index key in use (shared.index_check)


class Account(Base):
    """Someone who signs in to the console: one staff member of one foundation."""

    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    email_index: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(EncryptedText())
    name: Mapped[str] = mapped_column(EncryptedText())
    password_hash: Mapped[str] = mapped_column(String(200))
    foundation: Mapped[str] = mapped_column(String(40), index=True)
    role: Mapped[str] = mapped_column(String(16))
    staff_id: Mapped[str] = mapped_column(String(36))
    # none until the account signs in (it keeps the sign-in page's) or chooses one
    locale: Mapped[str | None] = mapped_column(String(8), nullable=True, default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
