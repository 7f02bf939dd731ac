"""Every text the console shows, in Bahasa Indonesia and English, one module per area.

Each area module holds ``MESSAGES: {key: (id, en)}`` (placeholders are ``str.format``
fields); :data:`MESSAGES` merges them, and a key found in two areas stops the console from
starting. :mod:`.vocabulary` names the suite's fixed option lists and statuses; :mod:`.codes`
holds the texts for the APIs' stable codes (refusals, field errors, message reasons).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import ModuleType
from typing import Final

from services.console.texts import (
    care,
    clients,
    conversation,
    data_requests,
    early_warning,
    errors,
    family,
    navigation,
    programmes,
    referrals,
    reports,
    screening,
    sessions,
    staff,
    vocabulary,
)

AREAS: Final[tuple[ModuleType, ...]] = (
    navigation,
    errors,
    clients,
    care,
    screening,
    sessions,
    family,
    conversation,
    early_warning,
    data_requests,
    referrals,
    programmes,
    reports,
    staff,
    vocabulary,
)


def merge(catalogues: Iterable[tuple[str, Mapping[str, tuple[str, str]]]]) -> dict:
    """One mapping of ``(name, texts)`` pairs; a key in two of them is a mistake (one would
    silently hide the other), so it raises ``ValueError`` naming both."""
    merged: dict[str, tuple[str, str]] = {}
    origin: dict[str, str] = {}
    for name, texts in catalogues:
        for key, text in texts.items():
            if key in merged:
                raise ValueError(f"text {key!r} is in both {origin[key]} and {name}")
            merged[key] = text
            origin[key] = name
    return merged


#: ``key: (Bahasa Indonesia, English)``: what :func:`services.console.i18n.t` reads.
MESSAGES: Final[dict[str, tuple[str, str]]] = merge(
    (area.__name__.rsplit(".", 1)[1], area.MESSAGES) for area in AREAS
)
