"""Delivery channels behind one small interface.

A channel sends one rendered message and raises :class:`TransientFailure` when trying again
later may help, :class:`PermanentFailure` when it will not. ``idempotency_key`` (the
message id) travels with every send so a provider can drop a repeat after a crash.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

log = logging.getLogger("pendamping.delivery")


class TransientFailure(Exception):
    pass


class PermanentFailure(Exception):
    pass


@dataclass(frozen=True)
class Outgoing:
    idempotency_key: str
    channel: str
    address: str | None
    template: str
    locale: str
    body: str
    sender_name: str


class Channel(Protocol):
    def send(self, message: Outgoing) -> str | None:
        """Deliver ``message``; return the provider's message id, if any."""


class LogChannel:
    """The development default: records that the message was rendered, sends nothing.

    Only ids and sizes reach the log; the rendered body stays in the (encrypted) message row.
    """

    def send(self, message: Outgoing) -> str | None:
        log.info(
            "delivered via log: message=%s template=%s locale=%s chars=%d",
            message.idempotency_key,
            message.template,
            message.locale,
            len(message.body),
        )
        return None


def channel_for(name: str, setting: dict | None = None) -> Channel:
    """The channel configured for ``name``; with no provider configured, ``log``."""
    return LogChannel()
