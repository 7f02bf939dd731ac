"""Writers of one SQLite file take turns (``shared.db.WriterTurns``): threads of a process
on a lock of that process, processes on a lock file. Real SQLite files, real threads and
forked processes."""

from __future__ import annotations

import os
import threading

from sqlalchemy import text

from shared import db as shared_db
from shared.db import Database

WRITES = 40  # per thread


def _database(tmp_path) -> Database:
    database = Database(f"sqlite:///{tmp_path / 'turns.sqlite'}")
    with database.transaction() as session:
        session.execute(text("CREATE TABLE IF NOT EXISTS tally (n INTEGER NOT NULL)"))
    return database


def _write(database: Database, errors: list[BaseException]) -> None:
    try:
        for _ in range(WRITES):
            with database.transaction() as session:
                # read, then write in the same transaction: a lost update shows in the sum
                last = session.execute(text("SELECT coalesce(max(n), 0) FROM tally")).scalar()
                session.execute(text("INSERT INTO tally (n) VALUES (:n)"), {"n": last + 1})
    except BaseException as exc:  # reported by the test, not lost in a thread
        errors.append(exc)


def _write_in_threads(database: Database, threads: int) -> list[BaseException]:
    errors: list[BaseException] = []
    running = [threading.Thread(target=_write, args=(database, errors)) for _ in range(threads)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join()
    return errors


def test_threads_of_two_processes_write_one_file_in_turns_and_lose_nothing(tmp_path):
    database = _database(tmp_path)
    child = os.fork()
    if child == 0:  # the second process: its own connections, its own threads
        try:
            mine = Database(database.url)
            os._exit(1 if _write_in_threads(mine, 4) else 0)
        except BaseException:
            os._exit(2)
    errors = _write_in_threads(database, 4)
    _, status = os.waitpid(child, 0)
    assert errors == [] and os.waitstatus_to_exitcode(status) == 0
    with database.reading() as session:
        numbers = session.execute(text("SELECT n FROM tally ORDER BY n")).scalars().all()
    # every transaction saw the one before it: 1, 2, ... with no number twice
    assert numbers == list(range(1, 8 * WRITES + 1))
    database.dispose()


def test_a_process_forked_while_a_thread_has_the_turn_still_gets_its_own(tmp_path, monkeypatch):
    database = _database(tmp_path)
    monkeypatch.setattr(shared_db, "SQLITE_BUSY_TIMEOUT_SECONDS", 5)
    # a thread of this process has the file's turn (as a writer between BEGIN and commit)
    turn: dict = {}
    turns = shared_db.WriterTurns(str(tmp_path / "turns.sqlite"))
    taker = threading.Thread(target=turns.wait, args=(turn,))
    taker.start()
    taker.join()  # the thread is gone; the turn stays taken until it is given back
    assert turn.get("turn_held")
    child = os.fork()
    if child == 0:  # the child has no such thread: the turn is its parent's to give back
        try:
            with database.transaction() as session:
                took_turn = session.connection().connection.info.get("turn_held", False)
                session.execute(text("INSERT INTO tally (n) VALUES (1)"))
            os._exit(0 if took_turn else 1)
        except BaseException:
            os._exit(2)
    turns.done(turn)
    _, status = os.waitpid(child, 0)
    # a lock copied as held at the fork would have kept the child waiting until it gave up
    # and wrote without a turn (1)
    assert os.waitstatus_to_exitcode(status) == 0
    with database.reading() as session:
        assert session.execute(text("SELECT count(*) FROM tally")).scalar() == 1
    turns.forget(turn)
    database.dispose()


def test_a_connection_that_writes_again_before_going_back_to_the_pool_keeps_its_turn(
    tmp_path, monkeypatch
):
    # alembic does this: one connection, one transaction after another
    database = _database(tmp_path)
    monkeypatch.setattr(shared_db, "SQLITE_BUSY_TIMEOUT_SECONDS", 3600)

    def two_transactions() -> None:
        with database.engine.connect() as connection:
            for n in (1, 2):
                with connection.begin():
                    connection.execute(text("INSERT INTO tally (n) VALUES (:n)"), {"n": n})

    writer = threading.Thread(target=two_transactions, daemon=True)
    writer.start()
    writer.join(timeout=60)  # waiting on its own turn, it would wait for the busy timeout
    assert not writer.is_alive()
    # and the turn is given back with the connection: the next writer gets it
    with database.transaction() as session:
        session.execute(text("INSERT INTO tally (n) VALUES (3)"))
        assert session.connection().connection.info.get("turn_held")
    with database.reading() as session:
        assert session.execute(text("SELECT count(*) FROM tally")).scalar() == 3
    database.dispose()
