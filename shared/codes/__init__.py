"""Every stable code the suite speaks in, with its English text: the one list clients read.

Three kinds:

- a refusal's ``code`` in a problem+json body (``nik_taken``): :data:`PROBLEM_CODES`;
- a field error's code, listed in ``error_codes`` beside the message in ``errors`` (same
  field, same position): :data:`FIELD_CODES`;
- a message row's ``reason_code``, beside its ``reason``: :data:`REASON_CODES`.

The codes any service may use are in :mod:`shared.codes.common`; each service's own in a
module of its name. A code is a snake_case identifier that never changes once released; its
English text is what the API's ``detail``, field message or ``reason`` says (``str.format``
fields filled in where the text has them). The staff console translates the codes (Bahasa
Indonesia and English), never the sentences, and a unit test fails when a code here has no
console text in both languages: add a code, and its console texts, in the same change.

Pure: nothing but the standard library.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType
from typing import Final

from shared.codes import assessment, common, intake, notifications

#: The services whose codes are listed here, each with the module that lists them.
_BY_SERVICE = {"intake": intake, "assessment": assessment, "notifications": notifications}


def _merged(kind: str) -> dict[str, str]:
    merged: dict[str, str] = dict(getattr(common, kind, {}))
    for service, module in _BY_SERVICE.items():
        for code, text in getattr(module, kind, {}).items():
            if merged.get(code, text) != text:
                raise ValueError(f"{service} gives code {code!r} another text: one code, one text")
            merged[code] = text
    return merged


#: A refusal's code → its English text (the problem's ``detail`` unless it says more).
PROBLEM_CODES: Final[Mapping[str, str]] = MappingProxyType(_merged("PROBLEMS"))
#: A field error's code → its English message.
FIELD_CODES: Final[Mapping[str, str]] = MappingProxyType(_merged("FIELDS"))
#: A message row's reason code → its English reason.
REASON_CODES: Final[Mapping[str, str]] = MappingProxyType(_merged("REASONS"))


def problem_codes_of(service: str) -> tuple[str, ...]:
    """The refusal codes ``service`` may answer with (the common ones and its own), sorted:
    what its OpenAPI document lists."""
    own = getattr(_BY_SERVICE.get(service), "PROBLEMS", {})
    return tuple(sorted({*common.PROBLEMS, *own}))


def field_codes_of(service: str) -> tuple[str, ...]:
    """The field error codes ``service`` may answer with, sorted."""
    own = getattr(_BY_SERVICE.get(service), "FIELDS", {})
    return tuple(sorted({*common.FIELDS, *own}))


# --- using them --------------------------------------------------------------------------------


class FieldMessage(str):
    """A field error's English message that knows its code (``str`` everywhere else, so
    marshmallow and JSON take it as they take any message)."""

    code: str

    def __new__(cls, code: str, text: str) -> FieldMessage:
        message = super().__new__(cls, text)
        message.code = code
        return message


def field_error(code: str, **params: object) -> FieldMessage:
    """The message of field error ``code`` (its text's fields filled from ``params``)."""
    if code not in FIELD_CODES:
        raise ValueError(f"unknown field error code {code!r}: add it to shared/codes/")
    text = FIELD_CODES[code]
    return FieldMessage(code, text.format(**params) if params else text)


def field_code(message: str) -> str:
    """The code of a field error's message: its own where it carries one, else the code
    whose English text it is (filled-in fields matched as any text), else ``invalid``."""
    code = getattr(message, "code", None)
    if code:
        return code
    for known, pattern in _field_patterns():
        if pattern.fullmatch(message):
            return known
    return "invalid"


def reason_text(code: str, **params: object) -> str:
    """The English ``reason`` of reason code ``code`` (its text's fields from ``params``)."""
    if code not in REASON_CODES:
        raise ValueError(f"unknown reason code {code!r}: add it to shared/codes/")
    text = REASON_CODES[code]
    return text.format(**params) if params else text


_FIELD_RE = re.compile(r"\{[a-z_]+(?:![rs])?\}")


@cache
def _field_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each field code's text as a pattern (fields match any text), most literal text first
    so that an exact text never loses to a looser pattern."""

    def pattern(text: str) -> re.Pattern[str]:
        parts = _FIELD_RE.split(text)
        return re.compile(".+?".join(re.escape(part) for part in parts), re.DOTALL)

    ordered = sorted(
        FIELD_CODES.items(),
        key=lambda item: ("{" in item[1], -len(_FIELD_RE.sub("", item[1]))),
    )
    return tuple((code, pattern(text)) for code, text in ordered)
