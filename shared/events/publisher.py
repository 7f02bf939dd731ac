"""The after-commit publishers: what sends a unit of work's events once it has committed.

Two kinds, for two kinds of process, behind the same ``kick`` and ``flush``:

- :class:`BackgroundPublisher`, for the web: a request never waits on a broker that is slow
  or down. Its unit of work hands the events it wrote to a thread after the commit, and the
  thread sends them at once and marks them published (one write for whatever was committed
  meanwhile).
- :class:`InlinePublisher`, for Celery workers: the task that committed sends its events
  itself, on its own thread, before it ends. A worker already depends on the broker for
  every task it runs, so waiting on it costs the worker nothing a handover would save, and
  the handover is what costs: waking a second thread for each commit, and the two threads
  taking the interpreter from each other, cost a worker about as much CPU again as the
  publish itself (measured in ``bench/README.md``). Only the ``published_at`` marks go to a
  thread, which wakes at most once per ``MARK_INTERVAL_SECONDS``.

What either misses (the broker away, the process killed before it marked), the outbox relay
sends later; consumers ignore an event they have already applied.
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


class InlinePublisher:
    """Publishes a commit's events on the caller's thread (a Celery worker's task), right
    after the commit; writes their ``published_at`` every ``mark_interval`` on a thread of
    its own, for all that went out since (see the module's docstring)."""

    def __init__(self, relay: OutboxRelay, mark_interval: float = MARK_INTERVAL_SECONDS):
        self.relay = relay
        self.mark_interval = mark_interval
        self._pid: int | None = None
        self._thread: threading.Thread | None = None
        self._setup_lock = threading.Lock()

    def _running_here(self) -> bool:
        return self._pid == os.getpid() and self._thread is not None and self._thread.is_alive()

    def _ensure_thread(self) -> None:
        # A forked worker process inherits no threads, and a lock its parent's thread held
        # would never be released in it: each process starts its own.
        if self._running_here():
            return
        with self._setup_lock:
            if not self._running_here():
                self._lock = threading.Lock()  # the list of ids sent and not marked
                self._marking = threading.Lock()  # one mark at a time: flush waits for one
                self._unmarked: list[str] = []
                self._pending = threading.Event()
                self._thread = threading.Thread(target=self._run, name="outbox-marker", daemon=True)
                self._pid = os.getpid()
                self._thread.start()

    def kick(self, events: list[CommittedEvent]) -> None:
        if not events:
            return
        sent = self.relay.send(events)  # what fails stays unpublished: the relay sends it
        if sent:
            self._ensure_thread()
            with self._lock:
                self._unmarked += sent
            self._pending.set()

    def _run(self) -> None:
        while True:
            self._pending.wait()
            time.sleep(self.mark_interval)  # what is sent meanwhile is marked with it
            self._mark()

    def _mark(self) -> None:
        with self._marking:
            with self._lock:
                marking, self._unmarked = self._unmarked, []
                self._pending.clear()
            if not marking:
                return
            try:
                self.relay.mark_published(marking)
            except Exception:  # unmarked, they are sent again by the relay, and ignored
                log.exception("marking events published failed")

    def flush(self, timeout: float = 10.0) -> None:
        """Mark what went out so far now, after any mark the thread is writing (for tests,
        and as a worker shuts down): sending is already done."""
        if self._pid == os.getpid():
            self._mark()
