"""Settings from the environment, with generated development secrets.

In development (the default) missing secrets are generated once into ``var/`` so that
``make run`` and the ``pendamping`` CLI agree on them. With ``PENDAMPING_ENV=production``
nothing is generated: a missing or development secret stops the process at start.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.fernet import Fernet

SERVICES = ("intake", "assessment", "notifications")
DEFAULT_PORTS = {"intake": 5001, "assessment": 5002, "notifications": 5003, "console": 5004}
# The staff console: a browser front end with a database of its own (accounts), calling the
# three APIs over HTTP. Not one of SERVICES: it has no events, queue or worker.
CONSOLE = "console"
# Celery beat: it only names tasks on the broker, so it needs no key and no database.
SCHEDULER = "scheduler"
DEV_MARKER = "dev-"


class ConfigurationError(RuntimeError):
    """The environment does not describe a deployment we may start."""


def var_dir() -> Path:
    """Where development state lives (SQLite files, secrets, embedded Redis)."""
    return Path(os.environ.get("PENDAMPING_VAR_DIR", "var")).resolve()


def _dev_secrets(directory: Path) -> dict[str, str]:
    """Load, or create once, the development secrets kept under ``var/``.

    Several processes start together (``pendamping run``, gunicorn's workers) and may all
    find the file missing: they take turns under a lock, and each looks again once it holds
    it, so that every one of them ends with the same keys (data sealed with a key another
    process then overwrote would be lost).
    """
    path = directory / "dev-secrets.json"
    values = _read_dev_secrets(path)
    if "PENDAMPING_CONSOLE_KEY" in values:
        return values
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / "dev-secrets.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        values = _read_dev_secrets(path)
        if "PENDAMPING_CONSOLE_KEY" in values:
            return values
        # a file from before the console keeps its keys and gains the console's
        values.setdefault("PENDAMPING_SECRET_KEY", DEV_MARKER + secrets.token_urlsafe(32))
        values.setdefault("PENDAMPING_DATA_KEY", Fernet.generate_key().decode())
        values["PENDAMPING_CONSOLE_KEY"] = DEV_MARKER + secrets.token_urlsafe(32)
        # The data key is marked as a development key by the file it lives in, not its
        # text: a Fernet key must stay a valid key. mkstemp's file is readable by its owner
        # only, and replacing the file whole means no reader ever sees half of it.
        descriptor, tmp = tempfile.mkstemp(dir=directory, prefix="dev-secrets.", suffix=".tmp")
        with os.fdopen(descriptor, "w") as handle:
            handle.write(json.dumps(values, indent=2))
        os.replace(tmp, path)
    return values


def _read_dev_secrets(path: Path) -> dict[str, str]:
    return json.loads(path.read_text()) if path.exists() else {}


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
    # how many due messages may wait queued for a notifications worker (dispatcher.py)
    max_waiting_sends: int = 1000
    trusted_proxies: int = 0
    # signs the staff console's tokens (audience pendamping-console); "" accepts none
    console_key: str = ""
    # keys the blind indexes (64 hex characters); "" derives it from the last data key
    index_key: str = ""
    # where each service keeps its clients' data keys; missing: beside its database
    keys_database_urls: dict[str, str] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def production(self) -> bool:
        return self.environment == "production"

    def database_url(self, service: str) -> str:
        return self.database_urls[service]

    def keys_database_url(self, service: str) -> str:
        """Where ``service`` keeps its clients' data keys (``shared.client_keys``): the
        ``<SERVICE>_KEYS_DATABASE_URL`` setting, else beside its database."""
        return self.keys_database_urls.get(service) or keys_url_beside(self.database_url(service))


def load_settings(environ: dict[str, str] | None = None, *, service: str | None = None) -> Settings:
    """Read settings from ``environ`` (default: the process environment).

    ``service`` names the one service this process is (an API or worker of ``intake``,
    ``assessment`` or ``notifications``, or the ``console``); in production it is then
    asked only for its own secrets. ``None`` is a process that serves them all: the CLI's
    ``migrate`` and ``token``, ``pendamping run``. ``scheduler`` (Celery beat) needs only
    the broker.
    """
    env = dict(os.environ if environ is None else environ)
    environment = env.get("PENDAMPING_ENV", "development")
    directory = Path(env.get("PENDAMPING_VAR_DIR", "var")).resolve()

    secret_key = env.get("PENDAMPING_SECRET_KEY", "")
    data_key = env.get("PENDAMPING_DATA_KEY", "")
    console_key = env.get("PENDAMPING_CONSOLE_KEY", "")
    if environment == "production":
        problems = _production_problems(env, service)
        if problems:
            raise ConfigurationError("; ".join(problems))
    elif not secret_key or not _split_keys(data_key) or not console_key:
        dev = _dev_secrets(directory)
        secret_key = secret_key or dev["PENDAMPING_SECRET_KEY"]
        data_key = data_key if _split_keys(data_key) else dev["PENDAMPING_DATA_KEY"]
        console_key = console_key or dev["PENDAMPING_CONSOLE_KEY"]

    database_urls = {
        name: env.get(f"{name.upper()}_DATABASE_URL")
        or f"sqlite:///{directory / (name + '.sqlite')}"
        for name in (*SERVICES, CONSOLE)
    }
    if environment == "production" and service is not None:
        # a process knows only its own database: nothing falls back to a file of another's
        database_urls = {service: database_urls[service]} if service != SCHEDULER else {}
    keys = _split_keys(data_key)
    _check_data_keys(keys)
    index_key = env.get("PENDAMPING_INDEX_KEY", "").strip()
    _check_index_key(index_key)
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
        max_waiting_sends=_max_waiting_sends(env.get("PENDAMPING_MAX_WAITING_SENDS", "1000")),
        trusted_proxies=_trusted_proxies(env.get("PENDAMPING_TRUSTED_PROXIES", "0")),
        console_key=console_key,
        index_key=index_key,
        keys_database_urls={
            name: url
            for name in SERVICES
            if (url := env.get(f"{name.upper()}_KEYS_DATABASE_URL", "").strip())
        },
    )


def keys_url_beside(url: str) -> str:
    """The key store's default address for a database at ``url``: a sibling SQLite file
    (``intake.sqlite`` → ``intake-keys.sqlite``), or the database named ``<name>_keys`` on
    the same server. A separate database, so that a backup of the data holds no keys."""
    base, _, query = url.partition("?")
    if base.startswith("sqlite"):
        if base.endswith(":memory:") or base.rstrip("/") in ("sqlite:", "sqlite+pysqlite:"):
            return url  # an in-memory database keeps its keys beside the data
        stem, dot, suffix = base.rpartition(".")
        if dot and "/" not in suffix:
            return f"{stem}-keys.{suffix}" + (f"?{query}" if query else "")
        return base + "-keys" + (f"?{query}" if query else "")
    server, slash, name = base.rpartition("/")
    if not slash or not name:
        raise ValueError("a database URL names its database")
    return f"{server}/{name}_keys" + (f"?{query}" if query else "")


def _production_problems(env: dict[str, str], service: str | None) -> list[str]:
    """What a production process of ``service`` lacks, or holds and must not.

    Each process gets only its own secrets. The console in particular never holds
    ``PENDAMPING_SECRET_KEY`` (with it, a compromised console could sign an operator token)
    nor the APIs' databases or the broker: it reaches the data only through the APIs.
    """
    if service not in (None, *SERVICES, CONSOLE, SCHEDULER):
        raise ValueError(f"unknown service {service!r}")
    if service == SCHEDULER:
        return [] if env.get("REDIS_URL") else ["REDIS_URL must be set"]
    secret_key = env.get("PENDAMPING_SECRET_KEY", "")
    console_key = env.get("PENDAMPING_CONSOLE_KEY", "")
    problems = []
    if service == CONSOLE:
        if secret_key:
            problems.append(
                "PENDAMPING_SECRET_KEY must not be given to the console: it signs its own "
                "tokens with PENDAMPING_CONSOLE_KEY"
            )
    elif len(secret_key) < 32 or secret_key.startswith(DEV_MARKER):
        problems.append("PENDAMPING_SECRET_KEY must be set to a random value of 32+ characters")
    if not _split_keys(env.get("PENDAMPING_DATA_KEY", "")):
        problems.append("PENDAMPING_DATA_KEY must be set (one or more Fernet keys)")
    databases = (*SERVICES, CONSOLE) if service is None else (service,)
    for name in databases:
        if not env.get(f"{name.upper()}_DATABASE_URL"):
            problems.append(f"{name.upper()}_DATABASE_URL must be set")
    if service != CONSOLE and not env.get("REDIS_URL"):
        problems.append("REDIS_URL must be set")
    if len(console_key) < 32 or console_key.startswith(DEV_MARKER):
        problems.append("PENDAMPING_CONSOLE_KEY must be set to a random value of 32+ characters")
    elif console_key == secret_key:
        problems.append("PENDAMPING_CONSOLE_KEY must differ from PENDAMPING_SECRET_KEY")
    return problems


def _split_keys(data_key: str) -> tuple[str, ...]:
    return tuple(k.strip() for k in data_key.split(",") if k.strip())


def _check_data_keys(keys: tuple[str, ...]) -> None:
    """Refuse a data key that is not a Fernet key, naming its place in the list but never
    its text: the message ends up in logs and on consoles."""
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode())
        except (TypeError, ValueError):
            where = f"entry {position} of {len(keys)}" if len(keys) > 1 else "its value"
            raise ConfigurationError(
                f"PENDAMPING_DATA_KEY: {where} is not a Fernet key "
                "(32 bytes, url-safe base64-encoded)"
            ) from None


def _check_index_key(value: str) -> None:
    """Refuse an index key that is not 32 bytes in hex, without printing it."""
    if not value:
        return
    from shared.crypto import parse_index_key  # here: beat and the runner need no ORM

    try:
        parse_index_key(value)
    except ValueError:
        raise ConfigurationError(
            "PENDAMPING_INDEX_KEY must be 64 hex characters (what `pendamping index-key` "
            "prints), or unset"
        ) from None


def _trusted_proxies(raw: str) -> int:
    """How many reverse proxies stand in front of the API and append to X-Forwarded-For
    (0: none, so the header is ignored and a client cannot pick its own address)."""
    return _whole_number("PENDAMPING_TRUSTED_PROXIES", raw, minimum=0)


def _max_waiting_sends(raw: str) -> int:
    """How many claimed messages may wait for a notifications worker at once (1 or more)."""
    return _whole_number("PENDAMPING_MAX_WAITING_SENDS", raw, minimum=1)


def _whole_number(name: str, raw: str, *, minimum: int) -> int:
    """``raw`` as a whole number of at least ``minimum``, else a ``ConfigurationError``
    naming the setting."""
    value = raw.strip()
    if not (value.isascii() and value.isdigit()) or int(value) < minimum:
        raise ConfigurationError(f"{name} must be a whole number >= {minimum}, not {raw!r}")
    return int(value)
