"""Each web request as one action in the logs: its correlation id and context fields bound
while it runs, and one line when it is answered.

Used by the three APIs (``shared/web.py``) and the staff console, so a page, the API calls it
makes and the events they cause share one correlation id in every service's log.
"""

from __future__ import annotations

import logging
import time

from flask import g, request

from shared.events.envelope import reset_correlation_id, set_correlation_id
from shared.logs import bind, unbind


def begin(correlation_id: str | None, **fields: str | None) -> None:
    """Start the request's action: ``correlation_id`` (``None``: a new one on first use)
    and ``fields`` (``service``, ``request_id``...) on every line logged until it ends."""
    g.request_started = time.perf_counter()
    g.correlation_token = set_correlation_id(correlation_id)
    g.log_context = bind(**fields)


def end() -> None:
    """Forget the request's correlation id and fields (teardown: also after an error)."""
    token = g.pop("correlation_token", None)
    if token is not None:
        reset_correlation_id(token)
    context = g.pop("log_context", None)
    if context is not None:
        unbind(context)


def log_answer(logger: logging.Logger, status: int, *, quiet: bool = False) -> None:
    """One line for the answered request: the route template, never the path or query
    string (they may hold a searched name); ``quiet`` ones (probes, scrapes) at DEBUG."""
    rule = request.url_rule.rule if request.url_rule is not None else "unmatched"
    started = g.get("request_started")
    duration_ms = round((time.perf_counter() - started) * 1000, 1) if started else None
    logger.log(
        logging.DEBUG if quiet else logging.INFO,
        "%s %s %d",
        request.method if request.url_rule is not None else "-",
        rule,
        status,
        extra={"route": rule, "status": status, "duration_ms": duration_ms},
    )
