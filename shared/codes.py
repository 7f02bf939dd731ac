"""Every stable code the suite speaks in, with its English text: the one list clients read.

Three kinds, one registry each:

- :data:`PROBLEM_CODES` — a refusal's ``code`` in a problem+json body (``nik_taken``);
- :data:`FIELD_CODES` — a field error's code, beside its message in ``errors``;
- :data:`REASON_CODES` — a message row's ``reason_code``, beside its ``reason``.

A code is a snake_case identifier that never changes once released; its English text here is
what the API's ``detail``, field message or ``reason`` says. The staff console translates the
codes (Bahasa Indonesia and English), never the sentences, and a unit test fails when a code
listed here has no console text in both languages. Add a code here, and its console texts, in
the same change. Pure: nothing but the standard library.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

#: A refusal's code → its English title-like text.
PROBLEM_CODES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "bad_request": "Bad request.",
        "malformed_json": "The request body is not valid JSON.",
        "unauthorized": "A valid token is needed.",
        "forbidden": "Your role may not do this.",
        "not_found": "No such resource.",
        "conflict": "The request clashes with the resource's state.",
        "validation_failed": "Some fields are not valid.",
        "too_many_requests": "Too many requests; try again later.",
    }
)

#: A field error's code → its English message.
FIELD_CODES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "required": "Missing data for required field.",
        "invalid": "Not valid.",
    }
)

#: A message row's reason code → its English reason.
REASON_CODES: Final[Mapping[str, str]] = MappingProxyType({})
