"""Events between services: the catalogue, the envelope, the outbox and the inbox."""

from shared.events.catalogue import CATALOGUE, subscribers_of
from shared.events.envelope import Event, current_correlation_id

__all__ = ["CATALOGUE", "Event", "current_correlation_id", "subscribers_of"]
