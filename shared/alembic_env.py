"""The body of every service's alembic ``env.py``: how a migration connects and compares.

A service's ``migrations/env.py`` passes its own tables' metadata to :func:`run_env`; the
database URL comes from the alembic config of whoever runs the migration (``ops.migrations``
for ``pendamping migrate``). Online migrations only.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, MetaData

from shared.crypto import DataCipher, cipher, configure
from shared.db import make_engine


def run_env(metadata: MetaData) -> None:
    """Run the pending migrations of the history being upgraded against ``metadata``."""
    engine = make_engine(context.config.attributes["url"])
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            _foreign_keys_off(connection)
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=sqlite,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                _check_foreign_keys(connection)
    engine.dispose()


def data_cipher() -> DataCipher:
    """The deployment's data cipher, for a migration that encrypts or reads stored values:
    the one the running process configured, else the one its settings name (a migration
    run by ``pendamping migrate`` outside a service)."""
    try:
        return cipher()
    except RuntimeError:
        from shared.settings import load_settings

        settings = load_settings()
        configure(settings.data_keys, settings.index_key)
        return cipher()


def _foreign_keys_off(connection: Connection) -> None:
    """SQLite changes a table by copying it into a new one and dropping the old (alembic's
    batch mode), which its foreign keys refuse while rows refer to it: they are off for
    the migration, as SQLite's own procedure for changing a table says. It takes effect
    only outside a transaction, so it goes to the driver before the migration's begins."""
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute("PRAGMA foreign_keys=OFF")
    finally:
        cursor.close()


def _check_foreign_keys(connection: Connection) -> None:
    """Every reference still holds before the migration commits; else it rolls back."""
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        tables = sorted({row[0] for row in broken})
        raise RuntimeError(f"the migration left rows referring to no row: {', '.join(tables)}")
