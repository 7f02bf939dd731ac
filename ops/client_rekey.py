"""``pendamping rekey-clients``: put each client's stored values under the client's own key.

A deployment that predates per-client keys (``shared.client_keys``) holds every personal
value of every client under the deployment data keys, and an erasure, which destroys the
client's keys, would leave those values readable. This re-encrypts each personal value of
each client-owned table (a mapped class that declares ``__client_key__``, found by
inspecting each service's models, so a new table is covered without a list to update)
under that client's key in that service's key store, made on first need as a write makes
it. Run it once after upgrading, before the first erasure.

Work goes in batches of rows in primary-key order, one transaction each, rows locked from
read to write, as ``rotate-data-key`` does (:class:`ops.key_rotation.TableRewrite`). A
value already under a client key (``c1:``) is left alone, which makes a run idempotent and
resumable: after an interruption the committed batches stay done and the next run picks up
the rest. A row whose client column is empty (a message to staff) stays under the
deployment keys, as such rows are written today. Plaintext never leaves the process and
nothing is printed but counts.

Outbox rows are not rewritten: an event is kept only until a week after it was published
(``shared.events.retention``), and consumers read one written before the upgrade with the
deployment keys, as they always did.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import MetaData, Table, inspect
from sqlalchemy.orm import DeclarativeBase, Mapper

from ops.key_rotation import DEFAULT_BATCH_SIZE, TableRewrite, print_table_counts
from ops.registry import METADATA
from shared import crypto
from shared.client_keys import PREFIX, ClientErased, ClientKey, KeyStore, client_keys_table
from shared.crypto import DataCipher, DecryptionError, EncryptedText
from shared.db import Database
from shared.settings import SERVICES, Settings


@dataclass(frozen=True)
class ClientTable:
    """A table whose rows belong to a client: where the client is named, and which of its
    columns hold that client's personal values."""

    table: Table
    client_column: str
    foundation_column: str | None
    values: tuple[str, ...]


@dataclass
class RekeyCount:
    """What a run did to one table. Counts only: never a value."""

    service: str
    table: str
    rows: int = 0  # rows read
    rekeyed: int = 0  # rows rewritten (or, in a dry run, that would be)
    values: int = 0  # values put under their client's key
    no_client: int = 0  # rows naming no client: their values stay under the deployment keys
    unreadable: int = 0  # values no data key decrypts, left as they are
    erased: int = 0  # values of a client whose keys were destroyed, left as they are
    done: bool = False  # every batch of the table is committed


def _mappers(metadata: MetaData) -> Iterator[Mapper]:
    """The mappers of the declarative base (or bases) whose tables are ``metadata``'s."""
    seen: set[int] = set()
    pending: list[type] = list(DeclarativeBase.__subclasses__())
    while pending:
        base = pending.pop()
        pending.extend(base.__subclasses__())
        registry = vars(base).get("registry")
        if registry is None or id(registry) in seen or registry.metadata is not metadata:
            continue
        seen.add(id(registry))
        yield from registry.mappers


def client_tables(metadata: MetaData) -> list[ClientTable]:
    """Every client-owned table of ``metadata`` with encrypted columns, in table order."""
    found: dict[Table, ClientTable] = {}
    for mapper in _mappers(metadata):
        attribute = getattr(mapper.class_, "__client_key__", None)
        if attribute is None or not isinstance(mapper.local_table, Table):
            continue
        columns = {prop.key: prop.columns[0] for prop in mapper.column_attrs}
        values = tuple(c.name for c in columns.values() if isinstance(c.type, EncryptedText))
        if not values:
            continue
        foundation = columns.get("foundation")
        found[mapper.local_table] = ClientTable(
            mapper.local_table,
            columns[attribute].name,
            foundation.name if foundation is not None else None,
            values,
        )
    return [found[t] for t in metadata.sorted_tables if t in found]


class _Sealer:
    """Turns one row's values into their form under the row's client key, counting."""

    def __init__(
        self,
        spec: ClientTable,
        store: KeyStore,
        cipher: DataCipher,
        count: RekeyCount,
        *,
        dry_run: bool,
        store_ready: bool,
    ):
        self.spec, self.store, self.cipher, self.count = spec, store, cipher, count
        self.dry_run, self.store_ready = dry_run, store_ready
        self._erased: dict[str, bool] = {}  # dry run: which clients' keys are destroyed

    def __call__(self, row: Mapping[str, Any]) -> dict[str, Any]:
        spec, count = self.spec, self.count
        pending = {
            name: value
            for name in spec.values
            if isinstance(value := row[name], str) and not value.startswith(PREFIX)
        }
        if not pending:
            return {}
        client_id = row[spec.client_column]
        if not client_id:
            count.no_client += 1
            return {}
        plaintexts = {}
        for name, value in pending.items():
            try:
                plaintexts[name] = self.cipher.decrypt(value)
            except DecryptionError:
                count.unreadable += 1
        if not plaintexts:
            return {}
        foundation = row[spec.foundation_column] if spec.foundation_column else None
        key = self._key(str(client_id), foundation)
        if key is None:
            count.erased += len(plaintexts)
            return {}
        count.values += len(plaintexts)
        if isinstance(key, ClientKey):
            return {name: key.seal(text) for name, text in plaintexts.items()}
        return dict.fromkeys(plaintexts, "")  # a dry run: counted, never written

    def _key(self, client_id: str, foundation: str | None) -> ClientKey | bool | None:
        """The client's key (``True`` in a dry run, which makes none), ``None`` when its
        keys were destroyed."""
        if not self.dry_run:
            try:
                return self.store.for_client(client_id, foundation)
            except ClientErased:
                return None
        if client_id not in self._erased:
            self._erased[client_id] = self.store_ready and self.store.erased(client_id)
        return None if self._erased[client_id] else True


def rekey_database(
    service: str,
    db: Database,
    store: KeyStore,
    metadata: MetaData,
    cipher: DataCipher,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dry_run: bool = False,
) -> Iterator[RekeyCount]:
    """Put the client values of one service's database under their clients' keys in
    ``store``. Yields a table's counts after each committed batch (the same object,
    growing; ``done`` on its last), so a caller may show progress or stop between two
    batches, leaving the rest under the deployment keys."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    store_ready = inspect(store.db.engine).has_table(store.table.name)
    if not store_ready and not dry_run:
        store.ensure_schema()
        store_ready = True
    for spec in client_tables(metadata):
        count = RekeyCount(service, spec.table.name)
        sealer = _Sealer(spec, store, cipher, count, dry_run=dry_run, store_ready=store_ready)
        read = [spec.client_column, *spec.values]
        if spec.foundation_column:
            read.append(spec.foundation_column)
        rewrite = TableRewrite(db, spec.table, read, sealer, count)
        for rows, changes in rewrite.batches(batch_size, dry_run):
            count.rows += rows
            count.rekeyed += changes
            count.done = rows < batch_size
            yield count


def rekey_service(
    settings: Settings,
    service: str,
    cipher: DataCipher,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dry_run: bool = False,
) -> Iterator[RekeyCount]:
    """:func:`rekey_database` on ``service``'s database and key store as ``settings``
    name them."""
    client_keys_table()
    db = Database(settings.database_url(service))
    store = KeyStore(Database(settings.keys_database_url(service)), cipher)
    try:
        yield from rekey_database(
            service, db, store, METADATA[service], cipher, batch_size=batch_size, dry_run=dry_run
        )
    finally:
        db.dispose()
        store.db.dispose()


HEADER = (
    f"{'service':<14} {'table':<22} {'rows':>8} {'rekeyed':>8} {'values':>8} "
    f"{'no_client':>9} {'unreadable':>10} {'erased':>7}"
)
TOTALS = ("rows", "rekeyed", "values", "no_client", "unreadable", "erased")


def _line(count: RekeyCount) -> str:
    return (
        f"{count.service:<14} {count.table:<22} {count.rows:>8} {count.rekeyed:>8} "
        f"{count.values:>8} {count.no_client:>9} {count.unreadable:>10} {count.erased:>7}"
    )


def run_rekey(
    settings: Settings,
    services: Iterable[str] = SERVICES,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dry_run: bool = False,
) -> int:
    """The command: rekey ``services``' databases, print counts per table, and return the
    exit status (0 done, 1 some values were left as they are or a database failed)."""
    # the key stores read and write their wrapped keys with the process-wide cipher
    cipher = crypto.configure(settings.data_keys, settings.index_key)
    mode = "dry run: counting what would be rekeyed, writing nothing" if dry_run else "rekeying"
    print(f"{mode}; each client's values go under its own key in the service's key store")
    print(HEADER)
    total = RekeyCount("all", "")
    if not print_table_counts(
        services,
        lambda service: rekey_service(
            settings, service, cipher, batch_size=batch_size, dry_run=dry_run
        ),
        _line,
        total,
        TOTALS,
    ):
        return 1
    verb = "would rekey" if dry_run else "rekeyed"
    print(f"{verb} {total.rekeyed} of {total.rows} rows ({total.values} values)")
    status = 0
    if total.unreadable:
        print(
            f"{total.unreadable} values no listed data key decrypts were left as they are; "
            "find out why before removing any key.",
            file=sys.stderr,
        )
        status = 1
    if total.erased:
        print(
            f"{total.erased} values belong to clients whose keys were destroyed (erased) and "
            "are still under the deployment keys: no client key can take them any more; "
            "they were left as they are.",
            file=sys.stderr,
        )
        status = 1
    return status
