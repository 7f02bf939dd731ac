"""The after-commit publisher: a thread per process that sends freshly committed events.

A request never waits on a broker that is slow or down: its unit of work hands the events it
wrote to this thread after the commit, and the thread sends them at once and marks them
published (one write for whatever was committed meanwhile). What it misses, the outbox relay
sends later.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time

from shared.events.outbox import CommittedEvent, OutboxRelay

log = logging.getLogger(__name__)

PUBLISH_BATCH = 100  # commits whose events the background publisher sends at once
# The background publisher writes ``published_at`` for what it sent at most this often (one
# write transaction for all of it): far inside the relay's grace, so the relay does not
# take these events for unpublished; a process that dies first only lets the relay publish
# them once more, which consumers ignore.
MARK_INTERVAL_SECONDS = 0.25

_MARK_NOW = None  # queued by flush(): write the pending marks without waiting


class BackgroundPublisher:
    """Publishes freshly committed events on a thread, so callers never wait on the broker.

    Events go out as soon as the thread gets to them (whatever was committed meanwhile goes
    with them); their ``published_at`` is written every ``MARK_INTERVAL_SECONDS`` for all
    that went out since, so under load one write transaction marks many commits' events
    instead of each commit costing a second write.
    """

    def __init__(self, relay: OutboxRelay, mark_interval: float = MARK_INTERVAL_SECONDS):
        self.relay = relay
        self.mark_interval = mark_interval
        self._queue: queue.Queue[list[CommittedEvent] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None
        self._lock = threading.Lock()

    def _ensure_thread(self) -> None:
        # A forked worker process inherits no threads: start one per process.
        with self._lock:
            if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
                self._queue = queue.Queue()
                self._pid = os.getpid()
                self._thread = threading.Thread(
                    target=self._run, name="outbox-publisher", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        unmarked: list[str] = []
        marked_at = time.monotonic()
        while True:
            wait = None  # nothing to mark: sleep until something is committed
            if unmarked:
                wait = max(0.0, marked_at + self.mark_interval - time.monotonic())
            try:
                commits = [self._queue.get(timeout=wait)]
            except queue.Empty:
                commits = []
            # what was committed while the last batch went out goes out together
            while commits and len(commits) < PUBLISH_BATCH:
                try:
                    commits.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            events = [event for events in commits if events for event in events]
            mark_now = _MARK_NOW in commits
            try:
                if events:
                    sent = self.relay.send(events)
                    unmarked += sent
                    if len(sent) < len(events):  # the broker is away
                        mark_now = self._drop_queued() or mark_now
                due = time.monotonic() - marked_at >= self.mark_interval
                if unmarked and (due or mark_now):
                    marking, unmarked = unmarked, []
                    marked_at = time.monotonic()
                    self.relay.mark_published(marking)
            except Exception:  # the relay republishes whatever this missed
                log.exception("background publish failed")
            finally:
                for _ in commits:
                    self._queue.task_done()

    def _drop_queued(self) -> bool:
        """While the broker is away, forget what was committed meanwhile instead of trying
        each commit against it in turn: those events stay unpublished in the outbox, and the
        relay sends them once it answers again. Returns whether a flush asked for marks."""
        flush_asked = False
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return flush_asked
            flush_asked = flush_asked or item is _MARK_NOW
            self._queue.task_done()

    def kick(self, events: list[CommittedEvent]) -> None:
        if events:
            self._ensure_thread()
            self._queue.put(list(events))

    def flush(self, timeout: float = 10.0) -> None:
        """Wait until everything kicked so far has been tried and what went out is marked
        published (for tests and shutdown)."""
        if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
            return
        self._queue.put(_MARK_NOW)
        done = threading.Event()

        def waiter() -> None:
            self._queue.join()
            done.set()

        threading.Thread(target=waiter, daemon=True).start()
        done.wait(timeout)
