"""Events between services: the catalogue, the envelope, the outbox and the inbox.

The names below are loaded on first use: a process that needs only the envelope's
correlation id (the scheduler's logs) does not load the catalogue and the ORM with it.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_WHERE = {
    "CATALOGUE": "shared.events.catalogue",
    "subscribers_of": "shared.events.catalogue",
    "Event": "shared.events.envelope",
    "current_correlation_id": "shared.events.envelope",
}

__all__ = ["CATALOGUE", "Event", "current_correlation_id", "subscribers_of"]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'shared.events' has no attribute {name!r}")
