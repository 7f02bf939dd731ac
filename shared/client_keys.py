"""A data key per client (envelope encryption), so that erasing a client destroys its key.

Every personal value of a client (names, NIK, phones, addresses, notes, findings, message
bodies, replies) is encrypted under a random Fernet key of that client's own. The key is
stored *wrapped*: encrypted under the deployment's data keys (``PENDAMPING_DATA_KEY``), so
rotating those re-wraps the keys (``pendamping rotate-data-key`` visits the key stores) and
never touches the data.

Where the keys live decides what an erasure reaches. They are kept in a **key store**, a
database of its own per service (``<SERVICE>_KEYS_DATABASE_URL``; by default a sibling of
the service's database: ``var/intake-keys.db``, or ``<name>_keys`` on the same PostgreSQL
server), not in the data database. A backup of the data database therefore holds client
values as ciphertext without their keys; once a client's key is destroyed, no copy of
that backup reads with the keys that remain. The key store's own backups are the one
place a destroyed key survives: keep them for days, not years (see the README).

A value under a client key reads ``c1:<client id>:<key id>:<Fernet token>``; anything
else is under the deployment keys (staff, foundations, settings: data about no client).
The key id lets a service hold more than one key for a client (its own, plus the one it
took from another service's event) without guessing which one a value needs.

Events carry a client's personal values under the producing service's key for that
client; the relay adds that key, wrapped, to the envelope it publishes (``client_key``,
never written to the outbox table), and the consumer unwraps it only to read the event.
It stores what it keeps under a key of its own.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import Column, MetaData, String, Table, and_, insert, select, update
from sqlalchemy.exc import IntegrityError

PREFIX = "c1:"
WIRE_MARK = '"c1:'  # how a serialised envelope shows that it carries a client value
CACHE_SECONDS = 30.0  # how long a process trusts what it read about a key
# How many clients' keys a process holds at most (about 2.7 KiB a client with its Fernet
# object): a foundation's clients fit; a burst to tens of thousands of families keeps the
# worker's memory flat, the clients read longest ago forgotten first (and read again).
CACHED_CLIENTS = 4096

KEY_METADATA = MetaData()


def _table() -> Table:
    # Imported here: shared.db imports shared.crypto, which imports this module.
    from shared.crypto import EncryptedText
    from shared.db import UTCDateTime

    return Table(
        "client_keys",
        KEY_METADATA,
        Column("client_id", String(36), primary_key=True),
        Column("key_id", String(16), primary_key=True),
        Column("foundation", String(100), nullable=True),
        # the Fernet key, encrypted under the deployment data keys; NULL once destroyed
        Column("wrapped_key", EncryptedText(), nullable=True),
        Column("created_at", UTCDateTime(), nullable=False),
        Column("destroyed_at", UTCDateTime(), nullable=True),
    )


class ClientErased(Exception):
    """The client's keys were destroyed: nothing may be written or read for it again."""

    def __init__(self, client_id: str):
        super().__init__(f"client {client_id} was erased")
        self.client_id = client_id


class KeyUnavailable(ValueError):
    """A value names a client key this process cannot find (destroyed, or never held)."""


@dataclass(frozen=True)
class ClientKey:
    client_id: str
    key_id: str
    fernet: Fernet
    raw: bytes

    def seal(self, plaintext: str) -> str:
        token = self.fernet.encrypt(plaintext.encode("utf-8")).decode("ascii")
        return f"{PREFIX}{self.client_id}:{self.key_id}:{token}"


def key_id_of(raw: bytes) -> str:
    """A short, non-secret name for a key (a hash of it)."""
    return hashlib.sha256(b"pendamping-client-key:" + raw).hexdigest()[:16]


def _client_key(client_id: str, raw: bytes) -> ClientKey:
    return ClientKey(client_id, key_id_of(raw), Fernet(raw), raw)


def parse(value: str) -> tuple[str, str, str] | None:
    """``(client id, key id, token)`` of a value under a client key, else ``None``."""
    if not value.startswith(PREFIX):
        return None
    parts = value[len(PREFIX) :].split(":", 2)
    if len(parts) != 3:
        return None
    return parts[0], parts[1], parts[2]


def client_of(value: str) -> str | None:
    parsed = parse(value)
    return parsed[0] if parsed else None


class KeyStore:
    """One service's client keys, in their own database (see the module)."""

    def __init__(self, db, deployment_cipher=None):
        self.db = db
        self._deployment = deployment_cipher
        self.table = client_keys_table()
        self._insert = insert(self.table)
        self._lock = threading.Lock()
        # client id -> (its live keys, oldest first; whether they were destroyed; until when
        # this is trusted), oldest read first
        self._clients: dict[str, tuple[tuple[ClientKey, ...], bool, float]] = {}
        self._sweep_at = time.monotonic() + CACHE_SECONDS
        self._transport = None

    @property
    def transport(self):
        """This service's transport keys (``shared.transport_keys``), kept in this store."""
        if self._transport is None:
            from shared.transport_keys import TransportKeys

            self._transport = TransportKeys(self)
        return self._transport

    def _cipher(self):
        if self._deployment is not None:
            return self._deployment
        from shared.crypto import cipher

        return cipher()

    def ensure_schema(self) -> None:
        import shared.transport_keys  # noqa: F401 - its table belongs to the store too

        KEY_METADATA.create_all(self.db.engine)

    # --- reading -------------------------------------------------------------------

    def _cached(self, client_id: str) -> tuple[tuple[ClientKey, ...], bool] | None:
        """The client's keys and whether they were destroyed, as read less than
        ``CACHE_SECONDS`` ago; ``None`` when they must be read."""
        entry = self._clients.get(client_id)
        if entry is None or entry[2] <= time.monotonic():
            return None
        return entry[0], entry[1]

    def _remember(self, client_id: str, keys: list[ClientKey], destroyed: bool) -> None:
        now = time.monotonic()
        with self._lock:
            self._clients.pop(client_id, None)  # read again: now the newest
            self._clients[client_id] = (tuple(keys), destroyed, now + CACHE_SECONDS)
            if now >= self._sweep_at:
                # what expired is never used again: the cache holds the clients of the last
                # CACHE_SECONDS, not every client the process ever read
                self._clients = {k: v for k, v in self._clients.items() if v[2] > now}
                self._sweep_at = now + CACHE_SECONDS
            while len(self._clients) > CACHED_CLIENTS:
                del self._clients[next(iter(self._clients))]

    def _load(self, client_id: str) -> tuple[list[ClientKey], bool]:
        """The client's live keys, oldest first, and whether any was destroyed."""
        t = self.table
        with self.db.reading() as session:
            rows = session.execute(
                select(t.c.wrapped_key, t.c.destroyed_at)
                .where(t.c.client_id == client_id)
                .order_by(t.c.created_at, t.c.key_id)
            ).all()
        destroyed = any(row.destroyed_at is not None for row in rows)
        keys = [] if destroyed else [_client_key(client_id, r.wrapped_key.encode()) for r in rows]
        self._remember(client_id, keys, destroyed)
        return keys, destroyed

    def key(self, client_id: str, key_id: str) -> ClientKey | None:
        """The key ``key_id`` of ``client_id``, or ``None`` when it is gone or unknown."""
        cached = self._cached(client_id)
        if cached is not None:
            found = next((k for k in cached[0] if k.key_id == key_id), None)
            if found is not None:
                return found
        keys, _ = self._load(client_id)  # also a key made since it was read
        return next((k for k in keys if k.key_id == key_id), None)

    def current(self, client_id: str) -> ClientKey | None:
        """The key new values of ``client_id`` are sealed with, if it has one (a client
        without one is read again each time: its key may have just been made)."""
        cached = self._cached(client_id)
        if cached is not None and cached[0]:
            return cached[0][0]
        keys, _ = self._load(client_id)
        return keys[0] if keys else None

    def erased(self, client_id: str) -> bool:
        return self._load(client_id)[1]

    # --- writing -------------------------------------------------------------------

    def for_client(self, client_id: str, foundation: str | None = None) -> ClientKey:
        """The client's current key, made (and stored) on first need. ``ClientErased`` when
        its keys were destroyed: an erased client gets no new key, so nothing new about it
        can be stored readable."""
        cached = self._cached(client_id)
        if cached is not None and cached[0]:
            return cached[0][0]
        keys, destroyed = self._load(client_id)
        if destroyed:
            raise ClientErased(client_id)
        if keys:
            return keys[0]
        return self._create(client_id, foundation)

    def for_new_client(self, client_id: str, foundation: str | None = None) -> ClientKey:
        """The key of a client being registered now (an id just made, so there is nothing
        to look up first)."""
        return self._create(client_id, foundation)

    def _create(self, client_id: str, foundation: str | None) -> ClientKey:
        from shared.db import utcnow

        raw = Fernet.generate_key()
        key = _client_key(client_id, raw)
        row = {
            "client_id": client_id,
            "key_id": key.key_id,
            "foundation": foundation,
            "wrapped_key": raw.decode("ascii"),
            "created_at": utcnow(),
        }
        try:
            with self.db.engine.begin() as connection:  # one row: no ORM session needed
                connection.execute(self._insert, row)
        except IntegrityError:  # a concurrent writer made one first: use that one
            keys, destroyed = self._load(client_id)
            if destroyed:
                raise ClientErased(client_id) from None
            return keys[0]
        self._remember(client_id, [key], destroyed=False)
        return key

    def destroy(self, client_id: str) -> int:
        """Destroy every key of ``client_id`` (the row stays as a tombstone, without the
        key). Returns how many keys were destroyed now. Idempotent."""
        from shared.db import utcnow

        t = self.table
        now = utcnow()
        with self.db.transaction() as session:
            result = session.execute(
                update(t)
                .where(and_(t.c.client_id == client_id, t.c.destroyed_at.is_(None)))
                .values(wrapped_key=None, destroyed_at=now)
            )
            destroyed = result.rowcount or 0
            exists = session.execute(
                select(t.c.key_id).where(t.c.client_id == client_id).limit(1)
            ).first()
            if exists is None:  # never had a key here: leave a tombstone all the same
                session.execute(
                    insert(t).values(
                        client_id=client_id,
                        key_id="-",
                        wrapped_key=None,
                        created_at=now,
                        destroyed_at=now,
                    )
                )
        with self._lock:
            self._clients.pop(client_id, None)
        return destroyed

    # --- transport -----------------------------------------------------------------

    def wrapped_current(self, client_id: str) -> str | None:
        """The client's current key wrapped under the deployment data keys, for an event's
        envelope; ``None`` when there is none (or it was destroyed)."""
        key = self.current(client_id)
        if key is None:
            return None
        return self._cipher().encrypt(key.raw.decode("ascii"))

    def unwrap(self, client_id: str, wrapped: str) -> ClientKey | None:
        """A key taken from an envelope, to read that event only (never stored)."""
        try:
            raw = self._cipher().decrypt(wrapped).encode("ascii")
            Fernet(raw)
        except Exception:  # noqa: BLE001 - a damaged or foreign key reads as no key
            return None
        return _client_key(client_id, raw)


_TABLE: Table | None = None


def client_keys_table() -> Table:
    global _TABLE
    if _TABLE is None:
        _TABLE = _table()
    return _TABLE


# --- which store a value is read and written with --------------------------------------
#
# A process may serve several services (the tests, `pendamping run`'s embedded mode is
# one per process); the database session in use names the store: shared.db sets it while
# a session of a database with a key store is open.

_active: ContextVar[KeyStore | None] = ContextVar("pendamping_key_store", default=None)
_transient: ContextVar[dict[tuple[str, str], ClientKey] | None] = ContextVar(
    "pendamping_transient_keys", default=None
)


def active_store() -> KeyStore | None:
    return _active.get()


@contextmanager
def using(store: KeyStore | None) -> Iterator[None]:
    token = _active.set(store)
    try:
        yield
    finally:
        _active.reset(token)


@contextmanager
def reading_with(key: ClientKey | None) -> Iterator[None]:
    """Let values under ``key`` be read in this block (an event's transported key)."""
    if key is None:
        yield
        return
    current = dict(_transient.get() or {})
    current[(key.client_id, key.key_id)] = key
    token = _transient.set(current)
    try:
        yield
    finally:
        _transient.reset(token)


def open_value(value: str) -> str:
    """The plaintext of a value under a client key (``KeyUnavailable`` when its key is
    not held here any more)."""
    parsed = parse(value)
    if parsed is None:
        raise KeyUnavailable("not a client value")
    client_id, key_id, token = parsed
    key = (_transient.get() or {}).get((client_id, key_id))
    if key is None:
        store = _active.get()
        key = store.key(client_id, key_id) if store is not None else None
    if key is None:
        raise KeyUnavailable("the client's key is not held here")
    try:
        return key.fernet.decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError) as exc:
        raise KeyUnavailable("the value does not match the client's key") from exc


def seal_for(client_id: str, plaintext: str, foundation: str | None = None) -> str:
    """``plaintext`` under ``client_id``'s key in the active store."""
    store = _active.get()
    if store is None:
        raise RuntimeError("no key store is active (open a session of the service's database)")
    return store.for_client(client_id, foundation).seal(plaintext)
