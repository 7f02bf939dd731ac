"""The body of every service's alembic ``env.py``: how a migration connects and compares.

A service's ``migrations/env.py`` passes its own tables' metadata to :func:`run_env`; the
database URL comes from the alembic config of whoever runs the migration (``ops.migrations``
for ``pendamping migrate``). Online migrations only.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import MetaData

from shared.db import make_engine


def run_env(metadata: MetaData) -> None:
    """Run the pending migrations of the history being upgraded against ``metadata``."""
    engine = make_engine(context.config.attributes["url"])
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=engine.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
