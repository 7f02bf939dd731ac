"""What every page needs: the signed-in account, the APIs as that account, the foundation."""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import abort, current_app, g

from services.console.api_client import Api, ApiError
from services.console.config import ConsoleConfig
from services.console.models import Account
from shared.db import Database
from shared.events.envelope import current_correlation_id
from shared.rate_limit import AuthFailureLimiter

FOUNDATION_CACHE_SECONDS = 300
WRITERS = ("admin", "social_worker", "counselor")


@dataclass
class ConsoleState:
    """The console's dependencies, built once in ``create_app``."""

    config: ConsoleConfig
    db: Database
    foundations: dict[str, tuple[float, dict[str, Any]]]
    throttle: AuthFailureLimiter  # failed sign-ins per address


def state() -> ConsoleState:
    return current_app.extensions["console"]


def account() -> Account:
    return g.account


def api() -> Api:
    """The APIs as the signed-in user (one token for the whole request)."""
    if "api" not in g:
        config = state().config
        user = account()
        g.api = Api(
            config.api_urls,
            config.console_key,
            sub=user.staff_id,
            role=user.role,
            foundation=user.foundation,
            ttl_seconds=config.token_ttl_seconds,
            timeout_seconds=config.api_timeout_seconds,
            correlation_id=current_correlation_id(),  # the page's, in every service's log
        )
    return g.api


def foundation() -> dict[str, Any]:
    """The user's foundation (name, time zone), cached for a few minutes per process."""
    slug = account().foundation
    cache = state().foundations
    cached = cache.get(slug)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    try:
        found = api().get("intake", f"/foundations/{slug}")
    except ApiError as exc:
        if exc.status != 404:
            raise
        # staff of a foundation intake has not heard of yet: Jakarta time, its slug as name
        found = {"slug": slug, "name": slug, "timezone": "Asia/Jakarta", "locale": "id"}
    cache[slug] = (time.monotonic() + FOUNDATION_CACHE_SECONDS, found)
    return found


def timezone_name() -> str:
    return foundation().get("timezone") or "Asia/Jakarta"


def can_write() -> bool:
    return account().role in WRITERS


def roles_required(*roles: str):
    """Only ``roles`` may open the page (403 page otherwise)."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if account().role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator
