"""Two pieces of work made to overlap at one chosen statement, as two workers or two
requests would on PostgreSQL (SQLite's writers take turns, so these races need PostgreSQL).

``overlap`` runs ``first`` until it has executed a statement that holds ``pause_after``
(``"SELECT clients."``, ``"messages.subject_id ="``), then runs ``second`` while ``first``
waits there. ``second`` either runs to its end (nothing it needs is locked by ``first``) or
blocks on a lock ``first`` holds; after ``GRACE_SECONDS`` without ``second`` ending,
``first`` goes on and ``second`` follows once the lock is given back. What each returned
(or raised) is given back, in that order.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

GRACE_SECONDS = 2.0
WAIT_SECONDS = 30.0


def overlap(
    engine: Engine,
    first: Callable[[], Any],
    second: Callable[[], Any],
    *,
    pause_after: str,
) -> tuple[Any, Any]:
    outcomes: dict[str, Any] = {}
    paused, second_ended = threading.Event(), threading.Event()

    def pause(_conn, _cursor, statement, _params, _context, _many) -> None:
        if threading.current_thread().name != "first" or paused.is_set():
            return
        if pause_after in statement:
            paused.set()
            second_ended.wait(GRACE_SECONDS)

    def run(name: str, work: Callable[[], Any], ended: threading.Event | None) -> None:
        try:
            outcomes[name] = work()
        except Exception as exc:  # given back to the test, which says what it expected
            outcomes[name] = exc
        finally:
            paused.set()  # a first that never reached the statement lets the second go
            if ended is not None:
                ended.set()

    event.listen(engine, "after_cursor_execute", pause)
    try:
        one = threading.Thread(target=run, args=("first", first, None), name="first")
        one.start()
        paused.wait(WAIT_SECONDS)
        two = threading.Thread(target=run, args=("second", second, second_ended), name="second")
        two.start()
        one.join(WAIT_SECONDS)
        two.join(WAIT_SECONDS)
    finally:
        event.remove(engine, "after_cursor_execute", pause)
    assert not one.is_alive() and not two.is_alive(), "the overlapping work did not end"
    return outcomes["first"], outcomes["second"]
