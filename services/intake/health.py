"""A client's use history (substances, duration, route): health data, kept encrypted."""

from __future__ import annotations

import json
from typing import Any

HEALTH_FIELDS = ("primary_substances", "use_duration_months", "route_of_use")


def health_of(client: Any) -> dict[str, Any]:
    return json.loads(client.health or "{}")


def with_health(client: Any, changes: dict[str, Any]) -> str:
    current = health_of(client)
    current.update({k: v for k, v in changes.items() if k in HEALTH_FIELDS})
    return json.dumps(current)
