"""The codes notifications answers with beyond the common ones: refusals (problem ``code``) and
field errors (``error_codes``), each with its English text."""

from __future__ import annotations

#: A refusal's code → its English text (the problem's ``detail`` unless it says more).
PROBLEMS: dict[str, str] = {}

#: A field error's code → its English message.
FIELDS: dict[str, str] = {}


#: A message row's ``reason_code`` → its English ``reason`` (``str.format`` fields filled in).
REASONS: dict[str, str] = {}
