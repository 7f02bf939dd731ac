"""Alembic, one history per service. ``pendamping migrate`` upgrades every service and
the staff console.

Each service's ``migrations/env.py`` passes its own metadata to
:func:`shared.alembic_env.run_env`; this module finds each history and names the database
it upgrades. :func:`wait_until_migrated` is what a process started beside a separate
migration step (a Kubernetes Job) runs first: it waits until its own database is at the
revision its code expects.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.exc import SQLAlchemyError

import services
from shared import crypto
from shared.client_keys import KeyStore
from shared.db import Database, make_engine, utcnow
from shared.settings import CONSOLE, SERVICES, Settings, load_settings

SERVICES_DIR = Path(services.__file__).resolve().parent


def alembic_config(service: str, url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SERVICES_DIR / service / "migrations"))
    config.attributes["service"] = service
    config.attributes["url"] = url
    return config


def upgrade(service: str, url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(service, url), revision)


def upgrade_all(settings: Settings) -> None:
    for service in SERVICES:
        upgrade(service, settings.database_url(service))
        prepare_key_store(settings.keys_database_url(service))
    install_transport_keys(settings)
    upgrade(CONSOLE, settings.database_url(CONSOLE))


def prepare_key_store(url: str) -> None:
    """Create a service's key store (``shared.client_keys``): on PostgreSQL its database
    when missing and the role may create it, then its one table."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError, ProgrammingError

    target = make_url(url)
    if target.get_backend_name() == "postgresql":
        probe = create_engine(target, pool_pre_ping=False)
        try:
            with probe.connect():
                pass
        except OperationalError:
            admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
            try:
                with admin.connect() as connection:
                    connection.execute(text(f'CREATE DATABASE "{target.database}"'))
            except (OperationalError, ProgrammingError) as exc:
                raise RuntimeError(
                    f"the key store database {target.database!r} does not exist and could "
                    "not be created: create it (see deploy/postgres/init-databases.sh)"
                ) from exc
            finally:
                admin.dispose()
        finally:
            probe.dispose()
    db = Database(url)
    try:
        KeyStore(db).ensure_schema()
    finally:
        db.dispose()


def install_transport_keys(settings: Settings, now=None) -> None:
    """Each service's transport key of the day, its public half in the others' stores
    (``shared.transport_keys``)."""
    from shared.transport_keys import install_everywhere

    crypto.configure(settings.data_keys, settings.index_key)  # the private halves' wrapping
    stores = {
        service: KeyStore(Database(settings.keys_database_url(service))) for service in SERVICES
    }
    try:
        install_everywhere(stores, now or utcnow())
    finally:
        for store in stores.values():
            store.db.dispose()


def is_migrated(service: str, url: str) -> bool:
    """Whether ``service``'s database at ``url`` is exactly at the heads of the migrations
    this code ships (neither behind them nor at a revision this code does not know)."""
    heads = set(ScriptDirectory.from_config(alembic_config(service, url)).get_heads())
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    finally:
        engine.dispose()
    return current == heads


def wait_until_migrated(
    service: str,
    url: str,
    timeout: float,
    *,
    interval: float = 2.0,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> bool:
    """Ask :func:`is_migrated` every ``interval`` seconds until it holds (``True``) or
    ``timeout`` seconds have passed (``False``). A database that does not answer yet counts
    as not migrated: it may be starting, as the migration step itself may be."""
    deadline = clock() + timeout
    while True:
        try:
            if is_migrated(service, url):
                return True
        except SQLAlchemyError:
            pass
        if clock() >= deadline:
            return False
        sleep(interval)


def new_revision(service: str, message: str) -> None:
    """``make migration``: a revision autogenerated against ``service``'s development
    database (upgraded first), so it holds exactly what the models changed."""
    settings = load_settings()
    crypto.configure(settings.data_keys)  # the encrypted column types need a cipher
    url = settings.database_url(service)
    upgrade(service, url)
    command.revision(alembic_config(service, url), message=message, autogenerate=True)
