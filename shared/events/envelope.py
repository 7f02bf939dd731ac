"""The envelope every event travels in, and the correlation id that follows a user action.

``{id, type, version, occurred_at, foundation, producer, subject, sequence, correlation_id,
data}``: ``subject`` is the id of what the event is about, ``sequence`` grows per subject at
the producer, so a consumer applies an event's state only when it is newer than what it has.
"""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import marshmallow as ma

_correlation: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "pendamping_correlation_id", default=None
)


def current_correlation_id() -> str:
    """The correlation id of the action being handled (a new one when there is none)."""
    value = _correlation.get()
    if value is None:
        value = str(uuid.uuid4())
        _correlation.set(value)
    return value


def peek_correlation_id() -> str | None:
    """The correlation id of the action being handled, if it has one yet (for log lines,
    which must not invent one)."""
    return _correlation.get()


def set_correlation_id(value: str | None) -> contextvars.Token:
    return _correlation.set(value)


def reset_correlation_id(token: contextvars.Token) -> None:
    _correlation.reset(token)


@contextmanager
def correlated(value: str | None) -> Iterator[None]:
    """Handle the block as part of the action ``value`` (a new action when ``None``)."""
    token = _correlation.set(value)
    try:
        yield
    finally:
        _correlation.reset(token)


@dataclass(frozen=True)
class Event:
    """A decoded event, its personal fields already decrypted."""

    id: str
    type: str
    version: int
    occurred_at: datetime
    foundation: str | None
    producer: str
    subject: str
    sequence: int
    correlation_id: str
    data: dict[str, Any] = field(default_factory=dict)


def key_owner(envelope: Mapping[str, Any]) -> str:
    """The client whose key seals an envelope's personal values: the one it names in
    ``key_of`` (a session only that client takes part in), else its subject."""
    return str(envelope.get("key_of") or envelope["subject"])


class EnvelopeSchema(ma.Schema):
    """The wire form; unknown envelope keys are ignored so the envelope can grow."""

    class Meta:
        unknown = ma.EXCLUDE

    id = ma.fields.UUID(required=True)
    type = ma.fields.String(required=True)
    version = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1))
    occurred_at = ma.fields.AwareDateTime(required=True)
    foundation = ma.fields.String(allow_none=True, load_default=None)
    producer = ma.fields.String(required=True)
    subject = ma.fields.String(required=True)
    sequence = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1))
    correlation_id = ma.fields.String(required=True)
    data = ma.fields.Dict(required=True)
    # the client whose key seals data's personal values, when it is not the subject
    key_of = ma.fields.String(allow_none=True, load_default=None)
    # that client's key, wrapped, when data holds values under it (shared.client_keys)
    client_key = ma.fields.String(allow_none=True, load_default=None)
    # the same key sealed to each subscriber's transport key (shared.transport_keys)
    client_keys = ma.fields.Dict(allow_none=True, load_default=None)
