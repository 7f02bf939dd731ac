"""One database per service: engine, sessions and the SQLite settings that keep locks
from ever becoming a 500.

SQLite (development) runs in WAL mode with a busy timeout, and every transaction starts
with ``BEGIN IMMEDIATE``: a writer takes the write lock up front and waits for it, instead
of failing half-way when a read transaction tries to upgrade. The one exception is
``Database.reading()``, a transaction that only reads: it starts deferred and takes no lock,
so a write can do its look-ups there first and hold the write lock only while it writes.

Writers wait for their turn on a lock file beside the database (``<file>-writer``), checked
every millisecond at most, before ``BEGIN IMMEDIATE``: SQLite's own busy handler sleeps 1,
2, 5 … then 100 ms at a time between tries, so under load the lock would sit free while
every waiter sleeps (bench/README.md). Past the busy timeout a writer stops waiting for its
turn and lets SQLite decide. PostgreSQL (production) uses its defaults.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
import uuid
import weakref
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import (
    Connection,
    CursorResult,
    DateTime,
    Engine,
    Result,
    Table,
    bindparam,
    create_engine,
    event,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql import Executable
from sqlalchemy.types import TypeDecorator

from shared import client_keys

SQLITE_BUSY_TIMEOUT_SECONDS = 30
READ_ONLY = "pendamping_read_only"  # execution option of ``Database.reading()`` sessions
TURN_POLL_MAX_SECONDS = 0.001


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return str(uuid.uuid4())


_COUNTER_STATEMENTS: dict[tuple[str, Table, tuple[str, ...]], Executable] = {}
_INSERTS: dict[Table, Executable] = {}


def _counter_statement(dialect: str, table: Table, names: tuple[str, ...]) -> Executable:
    """``bump_counter``'s statement, built once per table and key (the values are bound
    when it runs), so its construction and cache key are not paid on every call."""
    cache_key = (dialect, table, names)
    stmt = _COUNTER_STATEMENTS.get(cache_key)
    if stmt is None:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = (
            insert(table)
            .values({**{name: bindparam(f"key_{name}") for name in names}, "last": 1})
            .on_conflict_do_update(
                index_elements=[table.c[name] for name in names], set_={"last": table.c.last + 1}
            )
            .returning(table.c.last)
        )
        _COUNTER_STATEMENTS[cache_key] = stmt
    return stmt


def bump_counter(session: Session, table: Table, **key: object) -> int:
    """Add one to the ``last`` column of ``table``'s row for ``key`` (a new row starts at 1)
    and return it, in one statement: concurrent callers each get a number of their own."""
    stmt = _counter_statement(session.get_bind().dialect.name, table, tuple(key))
    params = {f"key_{name}": value for name, value in key.items()}
    return int(session.execute(stmt, params).scalar_one())


def insert_unless_present(
    session: Session, entity: Any, conflict_on: Iterable[str], **values: object
) -> bool:
    """INSERT one row of ``entity`` (a mapped class or a table) unless a row with the same
    ``conflict_on`` columns is there (``ON CONFLICT DO NOTHING``, which waits for another
    transaction inserting the same key and then does nothing); whether it inserted. The
    way to make a row on first need when two requests may both find it missing: a read
    then an add would give the second a primary key error."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    result = session.execute(
        insert(entity)
        .values(**values)
        .on_conflict_do_nothing(index_elements=list(conflict_on))
        # an INSERT's row count is kept only when asked (else -1 on PostgreSQL)
        .execution_options(preserve_rowcount=True)
    )
    return bool(rowcount(result))


def rowcount(result: Result[Any]) -> int:
    """How many rows an ``UPDATE``, ``DELETE`` or ``INSERT`` changed (0 when the driver does
    not say). ``Session.execute`` is typed to return a ``Result``; for these statements it
    is a ``CursorResult``, which carries the count. An ``INSERT`` keeps its count only
    with ``execution_options(preserve_rowcount=True)``: else PostgreSQL's reads -1."""
    return cast("CursorResult[Any]", result).rowcount or 0


def insert_instances(connection: Connection, instances: Iterable[object]) -> None:
    """INSERT new ORM instances with Core, one executemany per table (in the order the
    tables first appear), bypassing the session's unit of work.

    The instances stay transient; as a flush would, this fills in the column defaults
    they lack (ids, timestamps). Foreign keys are not derived from relationships: set them
    before. Column types still apply (``EncryptedText`` encrypts, or takes a sealed value).
    """
    rows: dict[Table, list[dict[str, object]]] = {}
    for instance in instances:
        mapper = sa_inspect(instance).mapper
        values = instance.__dict__
        row: dict[str, object] = {}
        for attribute in mapper.column_attrs:
            column = attribute.columns[0]
            if attribute.key in values:
                value = values[attribute.key]
            else:
                default = column.default
                if default is None:
                    value = None
                elif default.is_scalar:
                    value = default.arg
                elif default.is_callable:
                    value = default.arg(None)
                else:  # a SQL default: let the ORM handle such tables
                    raise ValueError(f"{column} has a default insert_instances cannot compute")
                setattr(instance, attribute.key, value)
            if value is None and not column.nullable:
                raise ValueError(f"{column} is not set")
            row[column.key] = value
        rows.setdefault(mapper.local_table, []).append(row)
    for table, params in rows.items():
        connection.execute(cached_insert(table), params if len(params) > 1 else params[0])


def cached_insert(table: Table) -> Executable:
    """``table``'s INSERT, built once per process (its values are bound when it runs)."""
    stmt = _INSERTS.get(table)
    if stmt is None:
        stmt = _INSERTS[table] = table.insert()
    return stmt


class UTCDateTime(TypeDecorator):
    """Timezone-aware datetimes stored in UTC on every backend (SQLite forgets offsets)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def make_engine(url: str) -> Engine:
    """An engine configured for ``url``'s backend.

    ``hide_parameters``: a database error names its statement but not its values, which
    are personal data (or their ciphertexts and keyed hashes) and end up in logs.
    """
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
            hide_parameters=True,
        )
        _configure_sqlite(engine, WriterTurns(path) if path and path != ":memory:" else None)
        return engine
    return create_engine(
        url, pool_pre_ping=True, pool_size=5, max_overflow=10, hide_parameters=True
    )


class WriterTurns:
    """Writers of one SQLite file, in every thread and process, take turns: first on a lock
    of this process (``threading.Lock``, waited on without polling), then on an advisory
    lock (``flock``) on ``<file>-writer`` that the processes share: one open file per
    connection, taken before the transaction begins and given back when the connection
    returns to the pool.

    Only the thread whose turn it is in its process polls for the file lock, so threads
    waiting behind it do not each wake up every millisecond to try it (which cost more CPU
    than the writes, in wake-ups and handing the GIL around, in a busy gunicorn worker).
    """

    def __init__(self, database_path: str):
        self.path = database_path + "-writer"

    def wait(self, info: dict) -> None:
        """Wait for this connection's turn (at most the busy timeout; then SQLite decides)."""
        deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_SECONDS
        if "turn_lock" not in info:  # else a transaction before this one, on this
            in_process = _turn_in_process(self.path)  # connection, still has its turn
            if not in_process.acquire(timeout=SQLITE_BUSY_TIMEOUT_SECONDS):
                return
            info["turn_lock"] = in_process
        if "turn_fd" not in info:
            info["turn_fd"] = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        pause = TURN_POLL_MAX_SECONDS / 8
        while True:
            try:
                fcntl.flock(info["turn_fd"], fcntl.LOCK_EX | fcntl.LOCK_NB)
                info["turn_held"] = True
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    return
                time.sleep(pause)
                pause = min(pause * 2, TURN_POLL_MAX_SECONDS)

    def done(self, info: dict) -> None:
        if info.pop("turn_held", False):
            fcntl.flock(info["turn_fd"], fcntl.LOCK_UN)
        in_process = info.pop("turn_lock", None)
        if in_process is not None:
            in_process.release()

    def forget(self, info: dict) -> None:
        """The connection is closed: so is its lock file (which gives its turn back)."""
        self.done(info)
        fd = info.pop("turn_fd", None)
        if fd is not None:
            os.close(fd)


# The in-process turn of each SQLite file's writers, by lock file path. A forked child
# starts with new ones: a lock a parent's thread held at the fork would never be released.
_TURNS_IN_PROCESS: dict[str, threading.Lock] = {}
_TURNS_GUARD = threading.Lock()


def _turn_in_process(path: str) -> threading.Lock:
    lock = _TURNS_IN_PROCESS.get(path)
    if lock is None:
        with _TURNS_GUARD:
            lock = _TURNS_IN_PROCESS.setdefault(path, threading.Lock())
    return lock


def _configure_sqlite(engine: Engine, turns: WriterTurns | None) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        if connection.get_execution_options().get(READ_ONLY):
            connection.exec_driver_sql("BEGIN")  # a WAL reader: no lock, never waits
            return
        if turns is None:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            return
        turns.wait(connection.info)
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            turns.done(connection.info)
            raise

    if turns is not None:
        # after the commit or rollback (the engine's own events come just before them)
        event.listen(engine, "checkin", lambda _dbapi, record: turns.done(record.info))
        event.listen(engine, "close", lambda _dbapi, record: turns.forget(record.info))


# Every engine a Database made: a process forked while connections sit in their pools (a
# Celery pool child, a gunicorn worker) drops those unclosed and opens its own, since two
# processes on one PostgreSQL connection, or one SQLite handle, corrupt each other's
# statements. One hook for the process; engines leave the set when they are collected.
_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()


def _forget_connections_in_forked_child() -> None:
    global _TURNS_GUARD
    _TURNS_GUARD = threading.Lock()
    _TURNS_IN_PROCESS.clear()
    for engine in list(_ENGINES):
        engine.dispose(close=False)


os.register_at_fork(after_in_child=_forget_connections_in_forked_child)


class Database:
    """A service's database: its engine and a way to run one unit of work."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        _ENGINES.add(self.engine)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self.key_store: client_keys.KeyStore | None = None
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(
            self.engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False
        )

    def attach_key_store(self, store) -> None:
        """Read and write clients' personal values with ``store``'s keys (see
        ``shared.client_keys``): sessions carry it, and while one is open it is the active
        store for values read."""
        self.key_store = store
        self.sessions.configure(info={"key_store": store})
        self._read_sessions.configure(info={"key_store": store})

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed together, or not at all."""
        session = self.sessions()
        with client_keys.using(self.key_store):
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
            finally:
                session.close()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for look-ups only, whose transaction takes no write lock on SQLite
        (it reads the last committed state and waits for no writer); nothing written in
        it is kept. Objects loaded here stay readable after it ends."""
        session = self._read_sessions()
        with client_keys.using(self.key_store):
            try:
                yield session
            finally:
                session.close()

    def dispose(self) -> None:
        self.engine.dispose()
