"""JWT authentication, roles and the tenant taken from the token.

A token's ``foundation`` claim *is* the tenant: every query a service makes for a caller is
filtered by it. Operators have no foundation and manage only foundations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import wraps

import jwt
from flask import g

from shared.problems import Forbidden, Unauthorized

ROLES = ("operator", "admin", "social_worker", "counselor", "viewer")
FOUNDATION_ROLES = ("admin", "social_worker", "counselor", "viewer")
STAFF_WRITERS = ("admin", "social_worker", "counselor")
ALGORITHM = "HS256"
DEFAULT_TTL_SECONDS = 3600


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


def decode_token(secret: str, token: str) -> Caller:
    """The caller a token names; :class:`Unauthorized` for anything short of valid."""
    try:
        claims = jwt.decode(
            token, secret, algorithms=[ALGORITHM], options={"require": ["exp", "sub", "role"]}
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("The token has expired.") from exc
    except jwt.PyJWTError as exc:
        raise Unauthorized("The token is not valid.") from exc
    role = claims.get("role")
    foundation = claims.get("foundation")
    sub = claims.get("sub")
    if role not in ROLES or not isinstance(sub, str) or not sub:
        raise Unauthorized("The token names no known role or subject.")
    if role != "operator" and (not isinstance(foundation, str) or not foundation):
        raise Unauthorized("The token names no foundation.")
    return Caller(sub=sub, role=role, foundation=foundation if role != "operator" else None)


def current_caller() -> Caller:
    caller = g.get("caller")
    if caller is None:
        raise Unauthorized("A bearer token is required.")
    return caller


def require_roles(*roles: str) -> Callable:
    """Allow only ``roles`` into the view (403 for other valid callers)."""
    allowed: Iterable[str] = roles

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            caller = current_caller()
            if caller.role not in allowed:
                raise Forbidden(f"The role {caller.role!r} may not do this.")
            return view(*args, **kwargs)

        return wrapper

    return decorator


def tenant() -> str:
    """The caller's foundation slug; every tenant-scoped query filters by it."""
    caller = current_caller()
    if caller.foundation is None:
        raise Forbidden("This needs a foundation token.")
    return caller.foundation
