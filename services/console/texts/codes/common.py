"""The console's texts for the codes any service answers with (shared/codes/common.py): ``code: (id, en)``.

One entry for every code of that registry module, in both languages (a unit test checks).
Placeholders are ``str.format`` fields that the problem body carries beside the code.
"""

from __future__ import annotations

#: A refusal's code → what the console says (Bahasa Indonesia, English).
PROBLEMS: dict[str, tuple[str, str]] = {}

#: A field error's code → what the console says beside the field.
FIELDS: dict[str, tuple[str, str]] = {}
