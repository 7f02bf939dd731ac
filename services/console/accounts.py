"""Console accounts: creating them, and signing in with an email and a password.

Passwords are hashed with Argon2id. An unknown email, a wrong password, a locked or a
disabled account all get the same answer (``None``), after the same amount of hashing work.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.console import lockout
from services.console.models import LOCALES, ROLES, Account
from shared.crypto import cipher
from shared.db import Database, utcnow

MIN_PASSWORD_LENGTH = 10
_hasher = PasswordHasher()
# Verified against when the email is unknown, so that answer takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """An account cannot be created as asked; ``field`` names what to fix."""

    def __init__(self, field: str, message_key: str):
        super().__init__(message_key)
        self.field = field
        self.message_key = message_key


def normalise_email(email: str) -> str:
    return email.strip().lower()


# the role of an account's staff record in intake (a console viewer is intake's "other")
INTAKE_ROLE = {
    "admin": "admin",
    "social_worker": "social_worker",
    "counselor": "counselor",
    "viewer": "other",
}


def email_index(email: str) -> str:
    return cipher().blind_index("console-email:" + normalise_email(email))


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def find_by_email(session: Session, email: str) -> Account | None:
    return session.execute(
        select(Account).where(Account.email_index == email_index(email))
    ).scalar()


def check_account_values(*, email: str, password: str, role: str, locale: str | None) -> None:
    """:class:`AccountError` for a value no account may have (checked before anything is
    made for the account elsewhere, such as its intake staff record)."""
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise AccountError("email", "error.email")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError("password", "error.password_short")
    if role not in ROLES:
        raise AccountError("role", "error.choice")
    if locale is not None and locale not in LOCALES:
        raise AccountError("locale", "error.choice")


def create_account(
    db: Database,
    *,
    email: str,
    password: str,
    name: str,
    foundation: str,
    role: str,
    staff_id: str,
    locale: str | None = None,
) -> Account:
    """A new account; :class:`AccountError` for a taken email or an unusable value. Without
    ``locale`` it has no language until it signs in (:func:`settle_locale`)."""
    email = normalise_email(email)
    check_account_values(email=email, password=password, role=role, locale=locale)
    account = Account(
        email_index=email_index(email),
        email=email,
        name=name.strip() or email,
        password_hash=hash_password(password),
        foundation=foundation,
        role=role,
        staff_id=staff_id,
        locale=locale,
    )
    try:
        with db.transaction() as session:
            if find_by_email(session, email) is not None:
                raise AccountError("email", "error.email_taken")
            session.add(account)
    except IntegrityError as exc:  # the same email created at the same moment
        raise AccountError("email", "error.email_taken") from exc
    return account


def authenticate(
    db: Database,
    email: str,
    password: str,
    *,
    limit: int,
    lock_for: timedelta,
    now: datetime | None = None,
) -> Account | None:
    """The account if ``password`` is its password and it may sign in now; else ``None``.

    Every wrong password counts towards the account's lock-out, in the same transaction
    that read the count (SQLite takes the write lock first; PostgreSQL locks the row).
    """
    now = now or utcnow()
    with db.transaction() as session:
        account = session.execute(
            select(Account).where(Account.email_index == email_index(email)).with_for_update()
        ).scalar()
        if account is None:
            _verify(_DUMMY_HASH, password)
            return None
        state = lockout.LockState(account.failed_sign_ins, account.locked_until)
        if lockout.is_locked(state, now) or not account.active:
            _verify(_DUMMY_HASH, password)
            return None
        if not _verify(account.password_hash, password):
            state = lockout.after_failure(state, now, limit, lock_for)
            account.failed_sign_ins, account.locked_until = state.failures, state.locked_until
            return None
        state = lockout.after_success()
        account.failed_sign_ins, account.locked_until = state.failures, state.locked_until
        account.last_sign_in_at = now
        if _hasher.check_needs_rehash(account.password_hash):
            account.password_hash = hash_password(password)
        return account


def settle_locale(db: Database, account_id: str, signed_in_with: str) -> str:
    """The account's language: the one it has, or, when it has none yet, the language it
    signed in with (chosen on the sign-in page, or the one that page was shown in), kept."""
    with db.transaction() as session:
        account = session.get(Account, account_id)
        if account is None:
            return signed_in_with
        if account.locale is None:
            account.locale = signed_in_with
        return account.locale


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def session_stamp(account: Account) -> str:
    """Changes when the password does, so a new password ends every other session."""
    return hashlib.sha256(account.password_hash.encode()).hexdigest()[:16]
