"""Settings from the environment, with generated development secrets.

In development (the default) missing secrets are generated once into ``var/`` so that
``make run`` and the ``pendamping`` CLI agree on them. With ``PENDAMPING_ENV=production``
nothing is generated: a missing or development secret stops the process at start.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.fernet import Fernet

SERVICES = ("intake", "assessment", "notifications")
DEFAULT_PORTS = {"intake": 5001, "assessment": 5002, "notifications": 5003}
DEV_MARKER = "dev-"


class ConfigurationError(RuntimeError):
    """The environment does not describe a deployment we may start."""


def var_dir() -> Path:
    """Where development state lives (SQLite files, secrets, embedded Redis)."""
    return Path(os.environ.get("PENDAMPING_VAR_DIR", "var")).resolve()


def _dev_secrets(directory: Path) -> dict[str, str]:
    """Load, or create once, the development secrets kept under ``var/``."""
    path = directory / "dev-secrets.json"
    if path.exists():
        return json.loads(path.read_text())
    directory.mkdir(parents=True, exist_ok=True)
    values = {
        "PENDAMPING_SECRET_KEY": DEV_MARKER + secrets.token_urlsafe(32),
        "PENDAMPING_DATA_KEY": Fernet.generate_key().decode(),
    }
    # The data key is marked as a development key by the file it lives in, not its text:
    # a Fernet key must stay a valid key.
    tmp = path.with_suffix(".tmp")
    descriptor = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(json.dumps(values, indent=2))
    tmp.replace(path)
    return values


@dataclass(frozen=True)
class Settings:
    """Everything a Pendamping process needs to know about its deployment."""

    environment: str
    secret_key: str
    data_keys: tuple[str, ...]
    redis_url: str
    database_urls: dict[str, str]
    var_dir: Path
    heartbeat_max_age_seconds: int = 300
    heartbeat_interval_seconds: float = 15.0
    queued_timeout_seconds: float = 60.0
    sending_timeout_seconds: float = 120.0
    retry_base_seconds: float = 10.0
    relay_interval_seconds: float = 2.0
    dispatch_interval_seconds: float = 2.0
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def production(self) -> bool:
        return self.environment == "production"

    def database_url(self, service: str) -> str:
        return self.database_urls[service]


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read settings from ``environ`` (default: the process environment)."""
    env = dict(os.environ if environ is None else environ)
    environment = env.get("PENDAMPING_ENV", "development")
    directory = Path(env.get("PENDAMPING_VAR_DIR", "var")).resolve()

    secret_key = env.get("PENDAMPING_SECRET_KEY", "")
    data_key = env.get("PENDAMPING_DATA_KEY", "")
    if environment == "production":
        problems = []
        if len(secret_key) < 32 or secret_key.startswith(DEV_MARKER):
            problems.append("PENDAMPING_SECRET_KEY must be set to a random value of 32+ characters")
        if not data_key:
            problems.append("PENDAMPING_DATA_KEY must be set (one or more Fernet keys)")
        for service in SERVICES:
            if not env.get(f"{service.upper()}_DATABASE_URL"):
                problems.append(f"{service.upper()}_DATABASE_URL must be set")
        if not env.get("REDIS_URL"):
            problems.append("REDIS_URL must be set")
        if problems:
            raise ConfigurationError("; ".join(problems))
    elif not secret_key or not data_key:
        dev = _dev_secrets(directory)
        secret_key = secret_key or dev["PENDAMPING_SECRET_KEY"]
        data_key = data_key or dev["PENDAMPING_DATA_KEY"]

    database_urls = {
        service: env.get(f"{service.upper()}_DATABASE_URL")
        or f"sqlite:///{directory / (service + '.sqlite')}"
        for service in SERVICES
    }
    keys = tuple(k.strip() for k in data_key.split(",") if k.strip())
    return Settings(
        environment=environment,
        secret_key=secret_key,
        data_keys=keys,
        redis_url=env.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        database_urls=database_urls,
        var_dir=directory,
        heartbeat_max_age_seconds=int(env.get("PENDAMPING_HEARTBEAT_MAX_AGE", "300")),
        heartbeat_interval_seconds=float(env.get("PENDAMPING_HEARTBEAT_INTERVAL", "15")),
        queued_timeout_seconds=float(env.get("PENDAMPING_QUEUED_TIMEOUT", "60")),
        sending_timeout_seconds=float(env.get("PENDAMPING_SENDING_TIMEOUT", "120")),
        retry_base_seconds=float(env.get("PENDAMPING_RETRY_BASE", "10")),
        relay_interval_seconds=float(env.get("PENDAMPING_RELAY_INTERVAL", "2")),
        dispatch_interval_seconds=float(env.get("PENDAMPING_DISPATCH_INTERVAL", "2")),
    )
