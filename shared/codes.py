"""Every stable code the suite speaks in, with its English text: the one list clients read.

Three kinds, one registry each:

- :data:`PROBLEM_CODES` — a refusal's ``code`` in a problem+json body (``nik_taken``);
- :data:`FIELD_CODES` — a field error's code, listed in ``error_codes`` beside the message in
  ``errors`` (same field, same position);
- :data:`REASON_CODES` — a message row's ``reason_code``, beside its ``reason``.

A code is a snake_case identifier that never changes once released; its English text here is
what the API's ``detail``, field message or ``reason`` says (``str.format`` fields filled in
where the text has them). The staff console translates the codes (Bahasa Indonesia and
English), never the sentences, and a unit test fails when a code listed here has no console
text in both languages: add a code here, and its console texts, in the same change.

Pure: nothing but the standard library.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType
from typing import Final

# --- refusals (problem+json ``code``) ----------------------------------------------------------

_PROBLEMS: dict[str, str] = {
    # any service: HTTP-level refusals
    "bad_request": "Bad request.",
    "malformed_json": "The body is not valid JSON.",
    "unauthorized": "A valid bearer token is required.",
    "forbidden": "Your role may not do this.",
    "not_found": "No such resource.",
    "method_not_allowed": "This method is not allowed here.",
    "conflict": "The request clashes with the resource's current state.",
    "payload_too_large": "The request body is too large.",
    "unsupported_media_type": "Send the body as application/json.",
    "validation_failed": "Some fields are not valid.",
    "too_many_requests": "Too many requests; try again later.",
    "internal_error": "Something went wrong on our side.",
    "unavailable": "The service is unavailable; try again.",
    "database_unavailable": "The database is busy or unreachable; try again.",
}

# intake's refusals


# assessment's refusals


# notifications' refusals


#: A refusal's code → its English text (the problem's ``detail`` unless it says more).
PROBLEM_CODES: Final[Mapping[str, str]] = MappingProxyType(_PROBLEMS)

# --- field errors (``error_codes``) ------------------------------------------------------------

_FIELDS: dict[str, str] = {
    # marshmallow's own messages (their wording as marshmallow 4 gives it)
    "required": "Missing data for required field.",
    "null": "Field may not be null.",
    "unknown_field": "Unknown field.",
    "invalid_input_type": "Invalid input type.",
    "invalid": "Invalid value.",
    "invalid_string": "Not a valid string.",
    "invalid_utf8": "Not a valid utf-8 string.",
    "invalid_integer": "Not a valid integer.",
    "invalid_number": "Not a valid number.",
    "number_too_large": "Number too large.",
    "special_number": "Special numeric values (nan or infinity) are not permitted.",
    "invalid_boolean": "Not a valid boolean.",
    "invalid_date": "Not a valid date.",
    "invalid_datetime": "Not a valid {obj_type}.",
    "naive_datetime": "Not a valid {awareness} {obj_type}.",
    "invalid_list": "Not a valid list.",
    "invalid_tuple": "Not a valid tuple.",
    "invalid_mapping": "Not a valid mapping type.",
    "invalid_object": "Invalid type.",
    "invalid_email": "Not a valid email address.",
    "invalid_url": "Not a valid URL.",
    "invalid_uuid": "Not a valid UUID.",
    "not_one_of": "Must be one of: {choices}.",
    "pattern_mismatch": "String does not match expected pattern.",
    "too_short": "Shorter than minimum length {min}.",
    "too_long": "Longer than maximum length {max}.",
    "length_between": "Length must be between {min} and {max}.",
    "length_exact": "Length must be {equal}.",
    "below_minimum": "Must be greater than or equal to {min}.",
    "not_above": "Must be greater than {min}.",
    "above_maximum": "Must be less than or equal to {max}.",
    "not_below": "Must be less than {max}.",
    "out_of_range": "Must be greater than or equal to {min} and less than or equal to {max}.",
    # any service: input no database or cipher stores
    "nul_character": "May not contain NUL characters.",
    "lone_surrogate": "Not valid Unicode text (a lone surrogate).",
    "nested_too_deep": "Nested more than {depth} levels deep.",
}

# intake's field errors


# assessment's field errors


# notifications' field errors


#: A field error's code → its English message.
FIELD_CODES: Final[Mapping[str, str]] = MappingProxyType(_FIELDS)

# --- message reasons (``reason_code``) ---------------------------------------------------------

_REASONS: dict[str, str] = {}

#: A message row's reason code → its English reason.
REASON_CODES: Final[Mapping[str, str]] = MappingProxyType(_REASONS)


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
        raise ValueError(f"unknown field error code {code!r}: add it to shared/codes.py")
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
        raise ValueError(f"unknown reason code {code!r}: add it to shared/codes.py")
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
