"""Repeated authentication failures, counted per client address: when to answer 429.

Used by every API (:mod:`shared.web`) for requests without a valid token, and by the staff
console for failed sign-ins.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable

import redis

log = logging.getLogger(__name__)

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
        except redis.RedisError as exc:
            log.warning("auth failure counters: Redis counters not reset (%s)", type(exc).__name__)
