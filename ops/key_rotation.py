"""``pendamping rotate-data-key``: re-encrypt what is stored under the newest data key.

After a new key is put first in ``PENDAMPING_DATA_KEY`` (and every process restarted with
it), new writes use it but old rows keep the ciphertext of older keys. This rewrites them:
every ``EncryptedText`` column of every table of a service's metadata (found by inspecting
the metadata, so a new table or column is covered without a list to update), the
personal fields of the events in its outbox, and the wrapped client keys in the service's
key store (``shared.client_keys``). A value under a client's own key (``c1:…``) is not
touched: its key is what gets re-wrapped, so a rotation never reads a client's data. Each
value goes through ``MultiFernet.rotate``, so the plaintext never leaves this process and
nothing is logged but counts.

Work goes in batches of rows in primary-key order, one transaction each, rows locked
(``FOR UPDATE`` on PostgreSQL; SQLite's writer lock) from read to write so a concurrent
edit is neither lost nor overwritten. A value already made with the first key is left
alone, which makes a run idempotent and resumable: after an interruption the committed
batches stay done and the next run picks up the rest, and a second run rotates nothing.
Blind indexes are untouched: their key is not a data key (see ``shared.crypto``).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, MetaData, Table, Text, column, select, table, tuple_
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.sql.expression import TableClause

from ops.registry import METADATA
from shared.client_keys import KEY_METADATA, client_keys_table
from shared.crypto import DataCipher, DecryptionError, EncryptedText
from shared.db import Database
from shared.events.catalogue import UnknownEvent, map_personal
from shared.settings import CONSOLE, SERVICES, Settings

log = logging.getLogger(__name__)

ROTATED_SERVICES = (*SERVICES, CONSOLE)
DEFAULT_BATCH_SIZE = 200
BATCH_ATTEMPTS = 3  # a batch that deadlocks with a live request is tried again


@dataclass
class TableCount:
    """What a run did to one table. Counts only: never a value."""

    service: str
    table: str
    rows: int = 0  # rows read
    rotated: int = 0  # rows rewritten (or, in a dry run, that would be)
    values: int = 0  # values re-encrypted within them
    unreadable: int = 0  # values no listed key decrypts (or events of an unknown type)


class _Rewriter:
    """Turns one stored value into its rotated form, counting as it goes."""

    def __init__(self, cipher: DataCipher, count: TableCount):
        self.cipher = cipher
        self.count = count

    def token(self, value: str) -> str:
        if self.cipher.is_current(value):
            return value
        try:
            rotated = self.cipher.rotate(value)
        except DecryptionError:
            self.count.unreadable += 1
            return value
        self.count.values += 1
        return rotated

    def columns(self, row: dict[str, Any]) -> dict[str, Any]:
        """An ``EncryptedText`` row's changed columns."""
        changed = {}
        for name, value in row.items():
            if isinstance(value, str) and (new := self.token(value)) != value:
                changed[name] = new
        return changed

    def envelope(self, row: dict[str, Any]) -> dict[str, Any]:
        """An outbox row's envelope with its personal fields rotated, if any changed."""
        envelope = json.loads(row["envelope"])
        written = envelope.get("data") or {}
        try:
            data = map_personal(str(envelope.get("type")), written, self.token)
        except UnknownEvent:
            # its personal fields cannot be told apart: left as written, and reported
            self.count.unreadable += 1
            return {}
        if data == written:
            return {}
        envelope["data"] = data
        return {"envelope": json.dumps(envelope)}


def encrypted_columns(source: Table) -> list[str]:
    """The names of ``source``'s columns stored as ciphertext."""
    return [c.name for c in source.columns if isinstance(c.type, EncryptedText)]


def _raw(source: Table, values: Sequence[str]) -> tuple[TableClause, list[ColumnElement]]:
    """``source`` seen without its type decorators for ``values`` (so ciphertext is read and
    written as stored) and without ORM defaults (so ``updated_at`` stays as it was)."""
    keys = [c for c in source.primary_key.columns]
    if not keys:
        raise ValueError(f"table {source.name} has no primary key to page through")
    raw = table(
        source.name,
        *[column(c.name, c.type) for c in keys],
        *[column(name, Text()) for name in values if name not in {c.name for c in keys}],
        schema=source.schema,
    )
    return raw, [raw.c[c.name] for c in keys]


class TableRewrite:
    """One table rewritten in batches of rows in primary-key order, one transaction each,
    the rows locked from read to write (``rotate-data-key`` and ``rekey-clients``).

    ``rewrite`` gets a row's ``values`` columns and answers the ones that change (in a dry
    run, the ones that would). ``count`` is the dataclass it counts into: a batch that
    fails gives back what it counted, so a retried batch counts once."""

    def __init__(
        self,
        db: Database,
        source: Table,
        values: Sequence[str],
        rewrite: Callable[[dict[str, Any]], dict[str, Any]],
        count: Any,
    ):
        self.db, self.values, self.rewrite, self.count = db, values, rewrite, count
        self.name = source.name
        self.raw, self.keys = _raw(source, values)

    def batches(self, batch_size: int, dry_run: bool) -> Iterator[tuple[int, int]]:
        """Rewrite the table, yielding ``(rows read, rows rewritten)`` after each batch is
        committed: a caller that stops between two batches leaves the rest as it was."""
        after: tuple | None = None
        while True:
            for attempt in range(1, BATCH_ATTEMPTS + 1):
                try:
                    rows, changes = self._batch(after, batch_size, dry_run)
                    break
                except OperationalError:
                    if attempt == BATCH_ATTEMPTS:
                        raise
                    log.warning("rewriting %s: batch conflicted, trying again", self.name)
            yield len(rows), changes
            if len(rows) < batch_size:
                return
            after = tuple(rows[-1][: len(self.keys)])

    def _batch(self, after: tuple | None, batch_size: int, dry_run: bool) -> tuple[list, int]:
        """One batch in one transaction; returns its rows and how many were rewritten."""
        keys = self.keys
        query = select(*keys, *[self.raw.c[name] for name in self.values])
        query = query.order_by(*keys).limit(batch_size)
        if after is not None:
            query = query.where(
                keys[0] > after[0] if len(keys) == 1 else tuple_(*keys) > tuple_(*after)
            )
        if not dry_run and not self.db.is_sqlite:
            query = query.with_for_update()  # SQLite: the writer lock is taken at BEGIN
        before = dataclasses.replace(self.count)
        try:
            with self.db.reading() if dry_run else self.db.transaction() as session:
                rows = list(session.execute(query).all())
                changes = 0
                for row in rows:
                    changed = self.rewrite({name: row._mapping[name] for name in self.values})
                    if not changed:
                        continue
                    changes += 1
                    if not dry_run:
                        session.execute(
                            self.raw.update()
                            .where(*[key == row._mapping[key.name] for key in keys])
                            .values(**changed)
                        )
        except BaseException:
            for spec in dataclasses.fields(self.count):
                setattr(self.count, spec.name, getattr(before, spec.name))
            raise
        return rows, changes


def rotate_database(
    service: str,
    db: Database,
    metadata: MetaData,
    cipher: DataCipher,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dry_run: bool = False,
) -> Iterator[TableCount]:
    """Rotate every encrypted value of one service's database, yielding each table's counts
    as it is done (tables without encrypted values are not visited)."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    for source in metadata.sorted_tables:
        count = TableCount(service, source.name)
        rewriter = _Rewriter(cipher, count)
        if source.name == "outbox" and "envelope" in source.c:
            rewrite, values = rewriter.envelope, ["envelope"]
        elif names := encrypted_columns(source):
            rewrite, values = rewriter.columns, names
        else:
            continue
        for rows, changes in TableRewrite(db, source, values, rewrite, count).batches(
            batch_size, dry_run
        ):
            count.rows += rows
            count.rotated += changes
        yield count


def rotate_service(
    settings: Settings,
    service: str,
    cipher: DataCipher,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dry_run: bool = False,
) -> Iterator[TableCount]:
    """:func:`rotate_database` on ``service``'s database as ``settings`` name it, then on
    its key store if it has one (the ``client_keys`` line: the clients' keys re-wrapped)."""
    metadata = METADATA[service]
    db = Database(settings.database_url(service))
    try:
        yield from rotate_database(
            service, db, metadata, cipher, batch_size=batch_size, dry_run=dry_run
        )
    finally:
        db.dispose()
    if service not in SERVICES:
        return
    keys_db = Database(settings.keys_database_url(service))
    try:
        client_keys_table()  # KEY_METADATA holds its one table once it is defined
        yield from rotate_database(
            service, keys_db, KEY_METADATA, cipher, batch_size=batch_size, dry_run=dry_run
        )
    finally:
        keys_db.dispose()


def print_table_counts(
    services: Iterable[str],
    counts_of: Callable[[str], Iterable[Any]],
    line: Callable[[Any], str],
    total: Any,
    fields: Sequence[str],
) -> bool:
    """What ``rotate-data-key`` and ``rekey-clients`` print: each table's counts as its
    service's run finishes it (a count with ``done`` false is a batch still under way),
    added into ``total``. ``False`` when a database failed, said on stderr with the
    driver's own message only (the SQL's parameters are ciphertext and stay out)."""
    for service in services:
        try:
            for count in counts_of(service):
                if not getattr(count, "done", True):
                    continue
                print(line(count), flush=True)
                for name in fields:
                    setattr(total, name, getattr(total, name) + getattr(count, name))
        except SQLAlchemyError as exc:
            reason = getattr(exc, "orig", None) or type(exc).__name__
            print(
                f"{service}: database error, batches committed so far stay: {reason}",
                file=sys.stderr,
            )
            return False
    return True


UNPINNED_INDEX_KEY = """\
The blind indexes (NIK duplicates, name search, opt-outs, console sign-in) are keyed by the
last entry of PENDAMPING_DATA_KEY, the key a rotation is meant to retire: removing it would
silently break them. Pin the index key first: set PENDAMPING_INDEX_KEY to what
`pendamping index-key` prints, restart every process, then run rotate-data-key again."""

HEADER = (
    f"{'service':<14} {'table':<22} {'rows':>8} {'rotated':>8} {'values':>8} {'unreadable':>10}"
)


def _line(count: TableCount) -> str:
    return (
        f"{count.service:<14} {count.table:<22} {count.rows:>8} {count.rotated:>8} "
        f"{count.values:>8} {count.unreadable:>10}"
    )


def run_rotation(
    settings: Settings,
    services: Iterable[str] = ROTATED_SERVICES,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dry_run: bool = False,
) -> int:
    """The command: rotate ``services``' databases, print counts per table, and return the
    exit status (0 done, 1 some values are unreadable or a database failed, 2 refused)."""
    cipher = DataCipher(settings.data_keys, settings.index_key)
    if len(settings.data_keys) > 1 and not settings.index_key:
        print(UNPINNED_INDEX_KEY, file=sys.stderr)
        if not dry_run:
            return 2
    mode = "dry run: counting what would be rotated, writing nothing" if dry_run else "rotating"
    print(f"{mode}; the first of {len(settings.data_keys)} data key(s) encrypts")
    print(HEADER)
    total = TableCount("all", "")
    if not print_table_counts(
        services,
        lambda service: rotate_service(
            settings, service, cipher, batch_size=batch_size, dry_run=dry_run
        ),
        _line,
        total,
        ("rows", "rotated", "values", "unreadable"),
    ):
        return 1
    verb = "would rotate" if dry_run else "rotated"
    print(f"{verb} {total.rotated} of {total.rows} rows ({total.values} values)")
    if total.unreadable:
        print(
            f"{total.unreadable} values (or events of a type no longer known) no listed key "
            "decrypts; they were left as they are. Do not remove any key until you know why.",
            file=sys.stderr,
        )
        return 1
    return 0
