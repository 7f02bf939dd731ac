"""JWT authentication, roles and the tenant taken from the token.

A token's ``foundation`` claim *is* the tenant: every query a service makes for a caller is
filtered by it. Operators have no foundation and manage only foundations.

Two keys sign tokens. The main secret (``PENDAMPING_SECRET_KEY``) signs what ``pendamping
token`` prints, for any role. The staff console's key (``PENDAMPING_CONSOLE_KEY``) signs the
short-lived tokens the console mints for a signed-in user: those carry the audience
``pendamping-console`` and speak only for foundation roles, so the console's key can never
act as an operator.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache, wraps

import jwt
from flask import g

from shared.problems import Forbidden, Unauthorized
from shared.vocabulary import FOUNDATION_ROLES as VOCABULARY_FOUNDATION_ROLES
from shared.vocabulary import Role, values

log = logging.getLogger(__name__)

ROLES: tuple[str, ...] = values(Role)
FOUNDATION_ROLES: tuple[str, ...] = tuple(VOCABULARY_FOUNDATION_ROLES)
#: the roles that write casework (sessions, notes, contacts): every foundation role but viewer
STAFF_WRITERS: tuple[str, ...] = (Role.ADMIN, Role.SOCIAL_WORKER, Role.COUNSELOR)
ALGORITHM = "HS256"
DEFAULT_TTL_SECONDS = 3600
CONSOLE_AUDIENCE = "pendamping-console"
CONSOLE_TTL_SECONDS = 300
#: What the records can keep of a caller: who acted (``created_by``, an audit entry's
#: actor) in 64 characters, the foundation's slug in 40. A token claiming more would be
#: refused by PostgreSQL at the first write, so it is refused as a token.
SUB_MAX_LENGTH = 64
FOUNDATION_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")


def claims_fit(sub: str, foundation: str | None) -> bool:
    """Whether a token's subject and foundation fit the records that name them."""
    if len(sub) > SUB_MAX_LENGTH or not sub.isprintable():  # NUL, a lone surrogate...
        return False
    return foundation is None or FOUNDATION_SLUG.fullmatch(foundation) is not None


@dataclass(frozen=True)
class Caller:
    """Who is calling: the token's subject, role and tenant."""

    sub: str
    role: str
    foundation: str | None

    @property
    def read_only(self) -> bool:
        return self.role == "viewer"


def issue_token(
    secret: str,
    *,
    sub: str,
    role: str,
    foundation: str | None = None,
    ttl_seconds: int = DEFAULT_TTL_SECONDS,
) -> str:
    """A signed token for ``sub`` acting as ``role`` in ``foundation``."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    if role == "operator" and foundation:
        raise ValueError("an operator token has no foundation")
    if role != "operator" and not foundation:
        raise ValueError(f"a {role} token needs a foundation")
    now = datetime.now(UTC)
    claims = {"sub": sub, "role": role, "iat": now, "exp": now + timedelta(seconds=ttl_seconds)}
    if foundation:
        claims["foundation"] = foundation
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def issue_console_token(
    console_key: str,
    *,
    sub: str,
    role: str,
    foundation: str,
    ttl_seconds: int = CONSOLE_TTL_SECONDS,
) -> str:
    """A short-lived token the staff console sends the APIs for its signed-in user."""
    if role not in FOUNDATION_ROLES:
        raise ValueError(f"a console token speaks for foundation staff, not {role!r}")
    if not foundation:
        raise ValueError("a console token needs a foundation")
    if not console_key:
        raise ValueError("no console key is configured")
    now = datetime.now(UTC)
    claims = {
        "sub": sub,
        "role": role,
        "foundation": foundation,
        "aud": CONSOLE_AUDIENCE,
        "iat": now,
        "exp": now + timedelta(seconds=ttl_seconds),
    }
    return jwt.encode(claims, console_key, algorithm=ALGORITHM)


def _addressed_to_console(token: str) -> bool:
    """Whether the token *claims* the console's audience; only chooses the key to check it
    with (the signature decides). A token that does not is checked with the main secret,
    which refuses any audience, so a console-key token without it is refused too."""
    try:
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return False
    return unverified.get("aud") == CONSOLE_AUDIENCE


def decode_token(secret: str, token: str, console_key: str | None = None) -> Caller:
    """The caller a token names; :class:`Unauthorized` for anything short of valid.

    A token for the console's audience must be signed with ``console_key`` and name a
    foundation role; every other token must be signed with ``secret`` and carry no audience.

    A client sends the same token with every request of its hour: the verified result is
    remembered (:func:`_verified`, a bounded cache keyed by the token and the keys), and
    only its expiry is checked again. A refused token is never remembered.
    """
    caller, expires = _verified(secret, token, console_key)
    if time.time() >= expires:
        raise Unauthorized(code="token_expired")
    return caller


CACHED_TOKENS = 4096


@lru_cache(maxsize=CACHED_TOKENS)
def _verified(secret: str, token: str, console_key: str | None) -> tuple[Caller, float]:
    """The caller and expiry of a token whose signature and claims check out."""
    console = _addressed_to_console(token)
    if console and not console_key:
        raise Unauthorized(code="token_invalid")
    try:
        if console:
            claims = jwt.decode(
                token,
                console_key or "",
                algorithms=[ALGORITHM],
                audience=CONSOLE_AUDIENCE,
                options={"require": ["exp", "sub", "role", "aud"]},
            )
        else:
            claims = jwt.decode(
                token, secret, algorithms=[ALGORITHM], options={"require": ["exp", "sub", "role"]}
            )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized(code="token_expired") from exc
    except jwt.PyJWTError as exc:
        raise Unauthorized(code="token_invalid") from exc
    if console and claims.get("role") not in FOUNDATION_ROLES:
        raise Unauthorized(code="console_token_not_staff")
    role = claims.get("role")
    foundation = claims.get("foundation")
    sub = claims.get("sub")
    if role not in ROLES or not isinstance(sub, str) or not sub:
        raise Unauthorized(code="token_incomplete")
    if role != "operator" and (not isinstance(foundation, str) or not foundation):
        raise Unauthorized(code="token_without_foundation")
    caller = Caller(sub=sub, role=role, foundation=foundation if role != "operator" else None)
    if not claims_fit(caller.sub, caller.foundation):
        raise Unauthorized(code="token_invalid")
    return caller, float(claims["exp"])


def current_caller() -> Caller:
    caller = g.get("caller")
    if caller is None:
        raise Unauthorized(code="bearer_required")
    return caller


def require_roles(*roles: str) -> Callable:
    """Allow only ``roles`` into the view (403 for other valid callers)."""
    allowed: Iterable[str] = roles

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            caller = current_caller()
            if caller.role not in allowed:
                raise Forbidden(code="role_forbidden", role=caller.role)
            return view(*args, **kwargs)

        return wrapper

    return decorator


def foundation_of(caller: Caller) -> str:
    """The caller's foundation slug; every tenant-scoped query filters by it. A token that
    names none (an operator's) may not act on a foundation's records: 403
    ``foundation_token_required``."""
    if caller.foundation is None:
        raise Forbidden(code="foundation_token_required")
    return caller.foundation


def tenant() -> str:
    """The current caller's foundation slug (see ``foundation_of``)."""
    return foundation_of(current_caller())
