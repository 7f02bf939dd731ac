"""When repeated failed sign-ins lock an account, and for how long; and when one address
trying many accounts is made to wait.

Counted per account: ``limit`` failures in a row lock it for ``duration``; a success, or
the end of the lock, starts the count again. Failures while locked change nothing (an
attacker cannot keep an account locked for ever by hammering it).

Counted per address (:class:`AddressThrottle`): one password tried against many accounts
locks none of them, so an address with ``limit`` failed sign-ins within a window is refused
until the window ends, before any password is checked (each check costs Argon2's memory).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class LockState:
    failures: int
    locked_until: datetime | None


def is_locked(state: LockState, now: datetime) -> bool:
    return state.locked_until is not None and now < state.locked_until


def after_failure(state: LockState, now: datetime, limit: int, duration: timedelta) -> LockState:
    """The state after one more failed sign-in at ``now``."""
    if is_locked(state, now):
        return state
    failures = 0 if state.locked_until is not None else state.failures
    failures += 1
    if failures >= limit:
        return LockState(failures=failures, locked_until=now + duration)
    return LockState(failures=failures, locked_until=None)


def after_success() -> LockState:
    return LockState(failures=0, locked_until=None)


class AddressThrottle:
    """Failed sign-ins per client address in a fixed window, kept in this process (the
    console has no broker of its own; with several gunicorn workers each counts apart, so
    an address gets at most ``limit`` tries per worker and window)."""

    MAX_ADDRESSES = 10_000

    def __init__(
        self, limit: int, window_seconds: float, clock: Callable[[], float] = time.monotonic
    ):
        self.limit = limit
        self.window_seconds = window_seconds
        self._clock = clock
        self._windows: dict[str, tuple[float, int]] = {}  # address: (window ends, failures)
        self._lock = threading.Lock()

    def wait_seconds(self, address: str) -> int | None:
        """Seconds ``address`` must wait before trying again, or ``None``."""
        now = self._clock()
        with self._lock:
            ends, failures = self._windows.get(address, (0.0, 0))
        if self.limit <= 0 or ends <= now or failures < self.limit:
            return None
        return max(1, int(ends - now + 0.999))

    def failed(self, address: str) -> None:
        now = self._clock()
        with self._lock:
            ends, failures = self._windows.get(address, (0.0, 0))
            if ends <= now:
                if len(self._windows) >= self.MAX_ADDRESSES:
                    self._windows = {a: w for a, w in self._windows.items() if w[0] > now}
                ends, failures = now + self.window_seconds, 0
            self._windows[address] = (ends, failures + 1)
