"""Whether a placement may start: pure rules on the client's status and a programme's beds."""

from __future__ import annotations


class PlacementRefused(Exception):
    pass


def check_placeable(client_status: str, has_active_placement: bool) -> None:
    if has_active_placement or client_status == "placed":
        raise PlacementRefused("The client already has an active placement.")
    if client_status != "admitted":
        raise PlacementRefused(f"The client is {client_status}; only admitted clients are placed.")


def check_capacity(occupied: int, capacity: int) -> None:
    if occupied >= capacity:
        raise PlacementRefused("The programme is at capacity.")


def available(occupied: int, capacity: int) -> int:
    return max(capacity - occupied, 0)
