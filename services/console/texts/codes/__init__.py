"""The console's texts for the APIs' stable codes, one module per registry module of
:mod:`shared.codes`: the console shows a refusal, a field error or a message's reason by its
code, never by matching the API's English sentence.

Each module holds ``PROBLEMS`` (a problem's ``code``), ``FIELDS`` (a code of ``error_codes``)
and, for notifications, ``REASONS`` (a message's ``reason_code``): ``code: (id, en)``.

A code is looked up in the module of the service that answered, then in ``common``
(:func:`lookup`): two services may use one code, each text saying it of itself.

How a text is filled (:func:`services.console.i18n.fill`): a placeholder ``{name}`` takes
the member ``name`` of the problem body (of the message row for a reason); ``role`` and
``client_status`` are shown by their names on the page ("Pekerja sosial", "Dirawat"). An older
API may leave a member out, so write the part that needs it in parentheses, "(… {name} …)":
that part is dropped when the member is missing, and a bare placeholder is dropped alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType
from typing import Final

from services.console.texts.codes import assessment, common, intake, notifications

#: The registry module each text module answers (``shared/codes/<name>.py``).
MODULES: Final[dict[str, ModuleType]] = {
    "common": common,
    "intake": intake,
    "assessment": assessment,
    "notifications": notifications,
}


def lookup(kind: str, code: str, service: str | None = None) -> tuple[str, str] | None:
    """The texts of ``code`` (``kind``: ``PROBLEMS``, ``FIELDS`` or ``REASONS``) as the service
    that answered means it: its own module first (intake and assessment both say
    ``client_not_found``, each about itself), then the common one, then any."""
    first = [MODULES[service]] if service in MODULES else []
    for module in (*first, common, *MODULES.values()):
        texts: Mapping[str, tuple[str, str]] = getattr(module, kind, {})
        if code in texts:
            return texts[code]
    return None


def _every(kind: str) -> dict[str, tuple[str, str]]:
    """Every code of one kind that has texts (a service's own text where two modules have one)."""
    merged: dict[str, tuple[str, str]] = {}
    for module in MODULES.values():
        merged.update(getattr(module, kind, {}))
    return merged


#: Every problem ``code`` with texts; show one with :func:`lookup`, which knows the service.
PROBLEMS: Final[dict[str, tuple[str, str]]] = _every("PROBLEMS")
#: Every field error code (``error_codes``) with texts.
FIELDS: Final[dict[str, tuple[str, str]]] = _every("FIELDS")
#: Every message ``reason_code`` with texts.
REASONS: Final[dict[str, tuple[str, str]]] = _every("REASONS")
