"""Whether a placement may start: pure rules on the client's status and a programme's beds."""

from __future__ import annotations

from shared.vocabulary import ClientStatus


class PlacementRefused(Exception):
    """A placement that may not start: ``code`` is the refusal's stable code
    (:mod:`shared.codes`), ``params`` the members its text names (sent in the problem body)."""

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def check_placeable(client_status: str, has_active_placement: bool) -> None:
    """Refuse a client who is already placed, or who is not admitted (registered, discharged)."""
    if has_active_placement or client_status == ClientStatus.PLACED:
        raise PlacementRefused("already_placed")
    if client_status != ClientStatus.ADMITTED:
        raise PlacementRefused("client_not_admitted", client_status=client_status)


def check_capacity(occupied: int, capacity: int) -> None:
    """Refuse a placement in a programme whose beds are all taken."""
    if occupied >= capacity:
        raise PlacementRefused("programme_full")


def available(occupied: int, capacity: int) -> int:
    """The free places of a programme (never negative)."""
    return max(capacity - occupied, 0)
