"""Fixtures every test layer shares: a real Redis, real databases, configured services.

Redis: ``REDIS_URL`` if set, else localhost:6379 (database 9, flushed), else an embedded
``redis-server`` started for the session. PostgreSQL: used where one answers on
127.0.0.1:5432 (``PENDAMPING_TEST_PG`` overrides the server URL); each test gets fresh
databases, copied from ones migrated once per run. Nothing here fakes our own code.
"""

from __future__ import annotations

import io
import logging
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from cryptography.fernet import Fernet

from ops import devredis
from ops.migrations import install_transport_keys, prepare_key_store, upgrade
from shared.logs import make_handler
from shared.settings import SERVICES, Settings

ROOT = Path(__file__).resolve().parents[1]
PG_SERVER = os.environ.get("PENDAMPING_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
TEST_DATA_KEY = Fernet.generate_key().decode()
TEST_SECRET = "test-secret-" + uuid.uuid4().hex
TEST_CONSOLE_KEY = "test-console-key-" + uuid.uuid4().hex


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory) -> Iterator[str]:
    configured = os.environ.get("REDIS_URL")
    process = None
    if configured:
        url = configured
    elif devredis.answers(devredis.LOCAL_URL):
        # a database of its own, so a running `make run` (database 0) is left alone;
        # PENDAMPING_TEST_REDIS_DB separates test runs that share a machine
        url = f"redis://127.0.0.1:6379/{os.environ.get('PENDAMPING_TEST_REDIS_DB', '9')}"
    else:
        url, process = devredis.start_embedded(tmp_path_factory.mktemp("redis"), appendonly=False)
    redis.Redis.from_url(url).flushdb()
    yield url
    if process is not None:
        process.terminate()
        process.wait(10)


def _pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(
            PG_SERVER.replace("postgresql+psycopg", "postgresql") + "/postgres", connect_timeout=2
        ):
            return True
    except Exception:
        return False


PG_AVAILABLE = _pg_available()


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(
        PG_SERVER.replace("postgresql+psycopg", "postgresql") + "/postgres", autocommit=True
    ) as conn:
        conn.execute(sql)


_PG_TEMPLATES: dict[str, str] = {}


def _pg_template(service: str) -> str:
    """A database of ``service`` migrated to head once per test run: each test's database
    is a copy of it (``CREATE DATABASE ... TEMPLATE``), which costs a fraction of running
    every migration again."""
    name = _PG_TEMPLATES.get(service)
    if name is None:
        name = f"pendamping_template_{service}_{uuid.uuid4().hex[:10]}"
        _pg_admin(f'CREATE DATABASE "{name}"')
        upgrade(service, f"{PG_SERVER}/{name}")
        # on PostgreSQL the tests keep each service's key store in its own database (two
        # more databases per service and test would double the setup); SQLite's tests keep
        # them apart, as deployments do, and test the backup of a data file without keys
        prepare_key_store(f"{PG_SERVER}/{name}")
        _PG_TEMPLATES[service] = name
    return name


def pytest_sessionfinish(session, exitstatus) -> None:
    for name in _PG_TEMPLATES.values():
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _PG_TEMPLATES.clear()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request) -> str:
    if request.param == "postgres" and not PG_AVAILABLE:
        pytest.skip("no PostgreSQL answers on 127.0.0.1:5432")
    return request.param


def make_settings(tmp_path: Path, redis_url: str, backend: str = "sqlite") -> Settings:
    urls = {}
    for service in SERVICES:
        if backend == "postgres":
            name = f"pendamping_test_{service}_{uuid.uuid4().hex[:10]}"
            _pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{_pg_template(service)}"')
            urls[service] = f"{PG_SERVER}/{name}"
        else:
            urls[service] = f"sqlite:///{tmp_path / (service + '.sqlite')}"
    return Settings(
        environment="test",
        secret_key=TEST_SECRET,
        data_keys=(TEST_DATA_KEY,),
        redis_url=redis_url,
        database_urls=urls,
        var_dir=tmp_path,
        console_key=TEST_CONSOLE_KEY,
        keys_database_urls=dict(urls) if backend == "postgres" else {},
    )


def database_env(settings: Settings) -> dict[str, str]:
    """The environment naming ``settings``' databases and key stores, for a process of
    the suite started by a test."""
    env = {}
    for service in SERVICES:
        env[f"{service.upper()}_DATABASE_URL"] = settings.database_url(service)
        env[f"{service.upper()}_KEYS_DATABASE_URL"] = settings.keys_database_url(service)
    return env


def drop_databases(settings: Settings) -> None:
    for url in settings.database_urls.values():
        if url.startswith("postgresql"):
            name = url.rsplit("/", 1)[1]
            _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def settings(tmp_path, redis_url, backend) -> Iterator[Settings]:
    value = make_settings(tmp_path, redis_url, backend)
    for service in SERVICES:
        upgrade(service, value.database_url(service))
        if backend != "postgres":  # PostgreSQL's are copies of a prepared one
            prepare_key_store(value.keys_database_url(service))
    install_transport_keys(value)
    yield value
    drop_databases(value)


@pytest.fixture
def suite(settings):
    from tests.support.suite import Suite

    running = Suite.start(settings)
    running.take("intake"), running.take("assessment"), running.take("notifications")
    # Intake's first heartbeat: notifications sends family messages only on fresh consent data.
    running.heartbeat()
    running.pump()
    yield running
    for service in ("intake", "assessment", "notifications"):
        running.runtime(service).publisher.flush()
        running.runtime(service).db.dispose()


@pytest.fixture
def provider():
    """A local HTTP server standing in for an SMS/WhatsApp provider (``tests.support.
    provider``): its request log is the witness of what went out."""
    from tests.support.provider import ProviderServer

    server = ProviderServer().start()
    yield server
    server.stop()


@pytest.fixture
def json_log():
    """Every record of the process, from DEBUG up, as Pendamping's JSON lines."""
    stream = io.StringIO()
    handler = make_handler("test-process", "json", stream=stream)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)
