"""When repeated failed sign-ins lock an account, and for how long; and when one address
trying many accounts is made to wait.

Counted per account: ``limit`` failures in a row lock it for ``duration``; a success, or
the end of the lock, starts the count again. Failures while locked change nothing (an
attacker cannot keep an account locked for ever by hammering it).

Per address (``shared.rate_limit.AuthFailureLimiter``, counted in the console's process): one
password tried against many accounts locks none of them, so an address with that many
failed sign-ins within a window is refused until the window ends, before any password is
checked (each check costs Argon2's memory).
"""

from __future__ import annotations

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
