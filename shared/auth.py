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

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import wraps

import jwt
import redis
from flask import g

from shared.problems import Forbidden, Unauthorized

log = logging.getLogger(__name__)

ROLES = ("operator", "admin", "social_worker", "counselor", "viewer")
FOUNDATION_ROLES = ("admin", "social_worker", "counselor", "viewer")
STAFF_WRITERS = ("admin", "social_worker", "counselor")
ALGORITHM = "HS256"
DEFAULT_TTL_SECONDS = 3600
CONSOLE_AUDIENCE = "pendamping-console"
CONSOLE_TTL_SECONDS = 300


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
    """
    console = _addressed_to_console(token)
    if console and not console_key:
        raise Unauthorized("The token is not valid.")
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
        raise Unauthorized("The token has expired.") from exc
    except jwt.PyJWTError as exc:
        raise Unauthorized("The token is not valid.") from exc
    if console and claims.get("role") not in FOUNDATION_ROLES:
        raise Unauthorized("A console token speaks only for a foundation's staff.")
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


# --- repeated authentication failures ---------------------------------------------------

DEFAULT_FAILURE_LIMIT = 20
DEFAULT_FAILURE_WINDOW_SECONDS = 60
# After Redis failed, counters stay in process for this long before Redis is tried again, so
# a Redis that is down costs a failing request nothing.
REDIS_RETRY_SECONDS = 5.0
_MAX_LOCAL_ADDRESSES = 10_000

# INCR the address's counter, starting its window on the first failure; answers the count
# and the seconds left in the window. One script, so a window can never lose its expiry.
_HIT = """
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
"""


class AuthFailureLimiter:
    """Counts failed authentications (401) per client address in a fixed window.

    Once an address has failed ``limit`` times within ``window_seconds``, its further
    requests without a valid token are answered 429 until the window ends. Only failures
    are counted and only failures are refused: a valid token is never looked up here.

    Counters live in Redis, shared by every process serving the same service deployment
    (``namespace``); when Redis cannot be reached, or there is none (``redis_url`` None: the
    staff console), they are kept in this process instead, so the API never fails because
    Redis is down. ``limit`` 0 turns the limiter off.
    """

    def __init__(
        self,
        redis_url: str | None,
        *,
        namespace: str,
        window_seconds: int = DEFAULT_FAILURE_WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.namespace = namespace
        self.window_seconds = max(1, int(window_seconds))
        self._clock = clock
        self._redis = (
            redis.Redis.from_url(redis_url, socket_connect_timeout=0.25, socket_timeout=0.25)
            if redis_url
            else None
        )
        self._hit = self._redis.register_script(_HIT) if self._redis else None
        self._redis_down_until = 0.0
        self._local: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def namespace_for(service: str, database_url: str) -> str:
        """One deployment of a service: its name and (a digest of) its database."""
        return f"{service}:{hashlib.sha256(database_url.encode()).hexdigest()[:12]}"

    def key(self, address: str) -> str:
        return f"pendamping:auth-failures:{self.namespace}:{address}"

    def record_failure(self, address: str, limit: int) -> int | None:
        """Count a failure from ``address``; the seconds to wait if it is over ``limit``."""
        if limit <= 0:
            return None
        count, seconds_left = self._hit_redis(address) or self._hit_local(address)
        return max(1, seconds_left) if count > limit else None

    def wait_seconds(self, address: str, limit: int) -> int | None:
        """Seconds ``address`` must wait before it may try again, without counting anything:
        it has failed ``limit`` times in the current window (``None``: it may try)."""
        if limit <= 0:
            return None
        count, seconds_left = self._peek_redis(address) or self._peek_local(address)
        return max(1, seconds_left) if count >= limit else None

    def _peek_redis(self, address: str) -> tuple[int, int] | None:
        if self._redis is None or self._clock() < self._redis_down_until:
            return None
        try:
            with self._redis.pipeline() as pipe:
                pipe.get(self.key(address))
                pipe.ttl(self.key(address))
                count, ttl = pipe.execute()
        except redis.RedisError:
            return None
        return int(count or 0), max(0, int(ttl))

    def _peek_local(self, address: str) -> tuple[int, int]:
        now = self._clock()
        with self._lock:
            ends, count = self._local.get(address, (0.0, 0))
        return (count, int(ends - now + 0.999)) if ends > now else (0, 0)

    def _hit_redis(self, address: str) -> tuple[int, int] | None:
        if self._hit is None or self._clock() < self._redis_down_until:
            return None
        try:
            count, ttl = self._hit(keys=[self.key(address)], args=[self.window_seconds])
            return int(count), int(ttl)
        except redis.RedisError as exc:
            log.warning(
                "auth failure counters: Redis unavailable (%s); counting in process",
                type(exc).__name__,
            )
            self._redis_down_until = self._clock() + REDIS_RETRY_SECONDS
            return None

    def _hit_local(self, address: str) -> tuple[int, int]:
        now = self._clock()
        with self._lock:
            ends, count = self._local.get(address, (0.0, 0))
            if ends <= now:
                ends, count = now + self.window_seconds, 0
                if len(self._local) >= _MAX_LOCAL_ADDRESSES:
                    self._local = {a: v for a, v in self._local.items() if v[0] > now}
            count += 1
            self._local[address] = (ends, count)
        return count, int(ends - now + 0.999)

    def reset(self) -> None:
        """Forget every counter of this deployment (for tests and operators)."""
        with self._lock:
            self._local.clear()
        if self._redis is None:
            return
        try:
            for key in self._redis.scan_iter(match=self.key("*")):
                self._redis.delete(key)
        except redis.RedisError:
            pass
