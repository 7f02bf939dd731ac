"""The console's settings: where the APIs are, its database and key, sign-in policy."""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Mapping
from dataclasses import dataclass

from shared.settings import CONSOLE, DEFAULT_PORTS, SERVICES, ConfigurationError, Settings


@dataclass(frozen=True)
class ConsoleConfig:
    database_url: str
    console_key: str
    api_urls: dict[str, str]
    production: bool
    secure_cookies: bool
    lockout_failures: int = 5
    lockout_minutes: int = 15
    address_failures: int = 20
    token_ttl_seconds: int = 300
    session_hours: int = 8
    api_timeout_seconds: float = 10.0

    def derived_key(self, purpose: str) -> str:
        """A key for ``purpose`` (cookie signing, CSRF) derived from the console key, so
        the key that signs API tokens never signs anything else."""
        return hmac.new(self.console_key.encode(), purpose.encode(), hashlib.sha256).hexdigest()


def _number(env: Mapping[str, str], name: str, default: int, minimum: int = 1) -> int:
    raw = env.get(name, str(default))
    try:
        value = int(raw)
    except ValueError:
        value = minimum - 1
    if value < minimum:
        raise ConfigurationError(f"{name} must be a whole number >= {minimum}, not {raw!r}")
    return value


def console_config(settings: Settings, environ: Mapping[str, str] | None = None) -> ConsoleConfig:
    """Read ``CONSOLE_*`` from ``environ`` (default: the process environment).

    The API URLs default to the ports ``make run`` uses; production names them explicitly.
    """
    env = os.environ if environ is None else environ
    if not settings.console_key:
        raise ConfigurationError("PENDAMPING_CONSOLE_KEY must be set")
    urls: dict[str, str] = {}
    missing = []
    for service in SERVICES:
        name = f"CONSOLE_{service.upper()}_URL"
        if env.get(name):
            urls[service] = env[name].rstrip("/")
        elif settings.production:
            missing.append(f"{name} must be set")
        else:
            port = env.get(f"{service.upper()}_PORT") or DEFAULT_PORTS[service]
            urls[service] = f"http://127.0.0.1:{port}"
    if missing:
        raise ConfigurationError("; ".join(missing))
    secure = env.get("CONSOLE_SECURE_COOKIES", "")
    return ConsoleConfig(
        database_url=env.get("CONSOLE_DATABASE_URL") or settings.database_url(CONSOLE),
        console_key=settings.console_key,
        api_urls=urls,
        production=settings.production,
        secure_cookies=settings.production if secure == "" else secure.lower() in ("1", "true"),
        lockout_failures=_number(env, "CONSOLE_LOCKOUT_FAILURES", 5),
        lockout_minutes=_number(env, "CONSOLE_LOCKOUT_MINUTES", 15),
        address_failures=_number(env, "CONSOLE_ADDRESS_FAILURES", 20),
        token_ttl_seconds=_number(env, "CONSOLE_TOKEN_TTL", 300, minimum=30),
        session_hours=_number(env, "CONSOLE_SESSION_HOURS", 8),
    )
