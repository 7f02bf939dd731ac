"""Logging: one record per line, JSON in production, with what ties the lines together.

Every record carries the ``service`` that wrote it and the ``correlation_id`` of the user
action it belongs to (taken from ``X-Correlation-ID`` or made up at the API, carried by
every event that action causes, and by the messages those events schedule), plus the
``request_id``, ``event_id``/``event_type`` or ``task``/``task_id`` being handled.
``configure_logging`` is the one place that sets up the handler; the API processes
(:class:`GunicornLogger`), the Celery workers and the scheduler (:func:`hand_celery_logging`)
call it. ``PENDAMPING_LOG_FORMAT`` is ``json`` or ``text`` (default: ``json`` when
``PENDAMPING_ENV=production``, else ``text``); ``PENDAMPING_LOG_LEVEL`` defaults to INFO.

No personal data belongs in a log line: log ids, counts, types and outcomes, never names,
phones, addresses, message bodies or query strings.
"""

from __future__ import annotations

import contextvars
import logging
import os
import re
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from gunicorn import glogging
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

from shared.events.envelope import peek_correlation_id, reset_correlation_id, set_correlation_id
from shared.settings import ConfigurationError

FORMAT_ENV = "PENDAMPING_LOG_FORMAT"
LEVEL_ENV = "PENDAMPING_LOG_LEVEL"
FORMATS = ("json", "text")
# What a record may carry besides its message, in the order a reader scans for it.
CONTEXT_FIELDS = ("request_id", "event_id", "event_type", "task", "task_id")
# Celery attaches a task's arguments (event envelopes) to some records as ``data``.
_NEVER_LOGGED = ("data",)
_SERVICE_LOGGER_RE = re.compile(r"^services\.([a-z_]+)\.")
_EMPTY: Mapping[str, str] = MappingProxyType({})
_context: contextvars.ContextVar[Mapping[str, str]] = contextvars.ContextVar(
    "pendamping_log_context", default=_EMPTY
)


def bind(**fields: str | None) -> contextvars.Token:
    """Add ``fields`` to the context of every record logged from here on (in this context);
    ``None`` removes a field. Undo with :func:`unbind`."""
    merged = {**_context.get(), **fields}
    return _context.set(MappingProxyType({k: v for k, v in merged.items() if v is not None}))


def unbind(token: contextvars.Token) -> None:
    _context.reset(token)


@contextmanager
def log_context(**fields: str | None) -> Iterator[None]:
    """``fields`` on every record logged inside the block."""
    token = bind(**fields)
    try:
        yield
    finally:
        unbind(token)


class ContextFilter(logging.Filter):
    """Puts the service, the correlation id and the context fields on each record.

    ``service`` comes from the context (the request's or event's service), else from a
    ``services.<name>.`` logger, else from the process (``default_service``).
    """

    def __init__(self, default_service: str | None = None):
        super().__init__()
        self.default_service = default_service

    def filter(self, record: logging.LogRecord) -> bool:
        context = _context.get()
        if getattr(record, "service", None) is None:
            match = _SERVICE_LOGGER_RE.match(record.name)
            record.service = (
                context.get("service") or (match and match.group(1)) or self.default_service
            )
        if getattr(record, "correlation_id", None) is None:
            record.correlation_id = peek_correlation_id()
        for name in CONTEXT_FIELDS:
            if getattr(record, name, None) is None:
                setattr(record, name, context.get(name))
        return True


class PendampingJsonFormatter(JsonFormatter):
    """``{"time", "level", "service", "logger", "message", "correlation_id", ...}``; fields
    without a value are left out, and ``extra=`` values follow (``data`` never does)."""

    def __init__(self) -> None:
        super().__init__(
            ["asctime", "levelname", "service", "name", "message", "correlation_id"]
            + list(CONTEXT_FIELDS),
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            reserved_attrs=[*RESERVED_ATTRS, *_NEVER_LOGGED],
        )

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        return {key: value for key, value in log_data.items() if value is not None}


class TextFormatter(logging.Formatter):
    """One readable line for development, with the same context at its end."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(service)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        correlation_id = getattr(record, "correlation_id", None)
        context = [f"correlation_id={correlation_id}"] if correlation_id else []
        context += [
            f"{name}={getattr(record, name)}"
            for name in CONTEXT_FIELDS
            if getattr(record, name, None) is not None
        ]
        return f"{line} [{' '.join(context)}]" if context else line


def log_format(environ: Mapping[str, str] | None = None) -> str:
    """``json`` or ``text``, from ``PENDAMPING_LOG_FORMAT`` (default by environment)."""
    env = os.environ if environ is None else environ
    default = "json" if env.get("PENDAMPING_ENV") == "production" else "text"
    chosen = (env.get(FORMAT_ENV) or default).strip().lower()
    if chosen not in FORMATS:
        raise ConfigurationError(
            f"{FORMAT_ENV} must be one of {', '.join(FORMATS)}, not {chosen!r}"
        )
    return chosen


def make_handler(
    service: str | None, fmt: str = "json", stream: Any = None
) -> logging.StreamHandler:
    """A handler writing Pendamping's lines to ``stream`` (default: stderr)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(PendampingJsonFormatter() if fmt == "json" else TextFormatter())
    handler.addFilter(ContextFilter(service))
    handler._pendamping = True  # type: ignore[attr-defined]
    return handler


def configure_logging(
    service: str | None, *, level: str | int | None = None, fmt: str | None = None
) -> logging.Handler:
    """Send every record of this process through one Pendamping handler on the root logger
    (replacing one installed before, so calling it again is harmless)."""
    root = logging.getLogger()
    for existing in list(root.handlers):
        if getattr(existing, "_pendamping", False):
            root.removeHandler(existing)
    handler = make_handler(service, fmt or log_format())
    root.addHandler(handler)
    chosen = os.environ.get(LEVEL_ENV) or level or logging.INFO
    root.setLevel(chosen.upper() if isinstance(chosen, str) else chosen)
    return handler


def service_of_app(app_uri: str) -> str | None:
    """``intake`` for ``services.intake.app:create_app()``."""
    match = _SERVICE_LOGGER_RE.match(app_uri or "")
    return match.group(1) if match else None


class GunicornLogger(glogging.Logger):
    """gunicorn's own lines (boot, worker exits, timeouts) in the same format as the app's.

    Its access log stays off: the app logs each request itself, by route and without the
    query string, which may hold a searched name.
    """

    def setup(self, cfg) -> None:
        super().setup(cfg)
        # The app logs at PENDAMPING_LOG_LEVEL; --log-level governs gunicorn's own lines.
        configure_logging(service_of_app(cfg.proc_name))
        for log in (self.error_log, self.access_log):
            for handler in list(log.handlers):
                log.removeHandler(handler)
            log.propagate = True


# --- Celery -----------------------------------------------------------------------------

_task_tokens: dict[str, tuple[contextvars.Token, contextvars.Token]] = {}


def hand_celery_logging(service: str) -> None:
    """Make a Celery worker or beat of ``service`` log through :func:`configure_logging`,
    and give each task's records its name and id, and a correlation id of its own (an
    event's or a message's, once the task knows it)."""
    from celery import signals

    def setup_logging(loglevel=None, **_kwargs) -> None:
        configure_logging(service, level=loglevel)
        # One INFO line per task received and succeeded drowns what matters (sweeps run
        # every second or two); failures are still logged at WARNING and above.
        for name in ("celery.app.trace", "celery.worker.strategy"):
            logging.getLogger(name).setLevel(logging.WARNING)

    # The first service to ask wins: a worker process runs one service's app.
    signals.setup_logging.connect(setup_logging, weak=False, dispatch_uid="pendamping.logs")
    signals.task_prerun.connect(_task_started, weak=False, dispatch_uid="pendamping.logs")
    signals.task_postrun.connect(_task_finished, weak=False, dispatch_uid="pendamping.logs")


def _task_started(task_id=None, task=None, **_kwargs) -> None:
    service = getattr(getattr(task, "app", None), "main", None)
    context = bind(service=service, task=getattr(task, "name", None), task_id=task_id)
    # A task starts with no correlation id: a sweep's events get a new one, an event's
    # handler takes the event's.
    _task_tokens[task_id or ""] = (context, set_correlation_id(None))


def _task_finished(task_id=None, **_kwargs) -> None:
    tokens = _task_tokens.pop(task_id or "", None)
    if tokens is not None:
        context, correlation = tokens
        reset_correlation_id(correlation)
        unbind(context)
