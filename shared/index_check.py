"""The blind-index key a database was indexed with, checked when a service starts.

Blind indexes (NIK duplicates, name search, opt-outs, console sign-in) are keyed hashes:
made with another key they simply stop matching, without an error. A deployment that
starts with a different ``PENDAMPING_INDEX_KEY`` (or, unset, a different last data key to
derive it from) would find no duplicate, no client by name, no opt-out: family messages
would go to people who asked for none. So each service that stores blind indexes keeps a
fingerprint of its index key (the blind index of a fixed label: it reveals nothing about
the key) and refuses to start under another one.
"""

from __future__ import annotations

import logging

from sqlalchemy import Column, MetaData, String, Table, insert, inspect, select
from sqlalchemy.exc import IntegrityError

from shared.crypto import DataCipher
from shared.db import Database, UTCDateTime, utcnow
from shared.settings import ConfigurationError

log = logging.getLogger(__name__)

CHECK_NAME = "blind-index"
_LABEL = "pendamping:blind-index-key-check"


def key_checks_table(metadata: MetaData) -> Table:
    """The one-row-per-key table, declared on a service's own metadata (and migrated with
    its alembic history)."""
    return Table(
        "key_checks",
        metadata,
        Column("name", String(40), primary_key=True),
        Column("fingerprint", String(64), nullable=False),
        Column("recorded_at", UTCDateTime(), nullable=False),
    )


def fingerprint(cipher: DataCipher) -> str:
    """What is stored for ``cipher``'s index key: the blind index of a fixed label."""
    return cipher.blind_index(_LABEL)


def check_index_key(db: Database, table: Table, cipher: DataCipher, service: str) -> None:
    """Record the index key's fingerprint on first start; afterwards refuse another key
    with a ``ConfigurationError`` that says what to do (and shows no key). It runs while a
    process starts, often before it forks: ``Database`` drops pooled connections in a
    forked child, so none is shared."""
    if not inspect(db.engine).has_table(table.name):
        # not migrated yet: every other query fails too; `pendamping migrate` comes first
        log.warning("%s: no %s table yet, the index key is not checked", service, table.name)
        return
    expected = fingerprint(cipher)
    stored = _stored(db, table)
    if stored is None:
        try:
            with db.transaction() as session:
                session.execute(
                    insert(table).values(
                        name=CHECK_NAME, fingerprint=expected, recorded_at=utcnow()
                    )
                )
            return
        except IntegrityError:  # another process of the service recorded it first
            stored = _stored(db, table)
    if stored != expected:
        raise ConfigurationError(
            f"the {service} database's blind indexes were made with another index key: "
            "with this one NIK duplicates, name search, opt-outs and console sign-in would "
            "silently stop matching. Set PENDAMPING_INDEX_KEY to the key these indexes were "
            "made with (`pendamping index-key` prints it under the earlier configuration)."
        )


def _stored(db: Database, table: Table) -> str | None:
    with db.reading() as session:
        return session.execute(
            select(table.c.fingerprint).where(table.c.name == CHECK_NAME)
        ).scalar()
