"""Bahasa Indonesia and English: the texts, the user's locale, dates.

Every text a page shows goes through :func:`t` with a key of :data:`MESSAGES`
(:mod:`services.console.texts`); a form's error message is a :class:`Lazy` text, rendered in
the language of the request that shows it. What an API refuses is shown by its stable code
(:func:`problem_text`, :func:`field_error_text`, :func:`message_reason`), never by its
English sentence, which is shown only for a code the console does not know.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_date
from babel.dates import format_datetime as babel_datetime
from babel.dates import format_time as babel_time
from flask import g, has_request_context, request, session

from services.console.texts import MESSAGES, codes

LOCALES = ("id", "en")
DEFAULT_LOCALE = "id"


def current_locale() -> str:
    if not has_request_context():
        return DEFAULT_LOCALE
    chosen = g.get("locale") or session.get("locale")
    if chosen in LOCALES:
        return chosen
    best = request.accept_languages.best_match(LOCALES)
    return best or DEFAULT_LOCALE


def t(key: str, **params: object) -> str:
    """The text for ``key`` in the current locale (the key itself if none is known)."""
    entry = MESSAGES.get(key)
    if entry is None:
        return key
    text = entry[LOCALES.index(current_locale())]
    return text.format(**params) if params else text


def label(kind: str, value: object) -> str:
    """A code's human name (``status.admitted`` → "Dirawat"); the code if none is known."""
    if value is None or value == "":
        return "–"
    key = f"{kind}.{value}"
    return t(key) if key in MESSAGES else str(value)


# --- the APIs' stable codes ---------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{(\w+)[^{}]*\}")  # {name}, and {name!r} written as the API does
_IN_PARENTHESES = re.compile(r"\s*\([^()]*\)")
#: Members shown by their name on the page rather than as the API sent them.
MEMBER_LABELS = {
    "role": "role",
    "client_status": "status",
    "referral_status": "referral_status",
    "target_status": "referral_status",
}


def problem_text(
    code: str | None, members: Mapping[str, Any], detail: str = "", service: str | None = None
) -> str:
    """What the console says for a refusal from ``service``: its code's text in the user's
    language, filled from the problem's members; the API's own ``detail`` when the code is
    unknown (an older API, or a code added since)."""
    text = _code_text("PROBLEMS", code, members, service)
    return detail if text is None else text


def field_error_text(
    code: str | None, message: str, members: Mapping[str, Any], service: str | None = None
) -> str:
    """A field error by its code (``error_codes``); the API's message when it has none the
    console knows."""
    text = _code_text("FIELDS", code, members, service)
    return message if text is None else text


def message_reason(message: Mapping[str, Any]) -> str:
    """Why a message was held, cancelled or is retried, by its ``reason_code`` (filled from
    the message row); the API's ``reason`` when the code is missing (a row from before codes)
    or unknown."""
    text = _code_text("REASONS", message.get("reason_code"), message, "notifications")
    return (message.get("reason") or "") if text is None else text


def _code_text(
    kind: str, code: str | None, members: Mapping[str, Any], service: str | None
) -> str | None:
    entry = codes.lookup(kind, code, service) if code else None
    if entry is None:
        return None
    return fill(entry[LOCALES.index(current_locale())], members)


def fill(text: str, members: Mapping[str, Any]) -> str:
    """``text`` with each placeholder taken from ``members``; a part in parentheses whose
    member is missing is left out, and so is a bare placeholder (never an error)."""
    dropped = False

    def optional_part(match: re.Match[str]) -> str:
        nonlocal dropped
        names = _PLACEHOLDER.findall(match.group(0))
        if any(_shown(members, name) is None for name in names):
            dropped = True
            return ""
        return match.group(0)

    def placeholder(match: re.Match[str]) -> str:
        nonlocal dropped
        value = _shown(members, match.group(1))
        dropped = dropped or value is None
        return value or ""

    text = _PLACEHOLDER.sub(placeholder, _IN_PARENTHESES.sub(optional_part, text))
    if dropped:  # no double space, no space before a full stop where a part was
        text = re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r" {2,}", " ", text)).strip()
    return text


def _shown(members: Mapping[str, Any], name: str) -> str | None:
    """A member as the page shows it, or ``None`` when there is none to show."""
    value = members.get(name)
    if value is None or value == "" or isinstance(value, Mapping):
        return None
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    kind = MEMBER_LABELS.get(name)
    return label(kind, value) if kind else str(value)


class Lazy:
    """A message looked up when it is shown, so one form class serves both languages."""

    def __init__(self, key: str, **params: object):
        self.key = key
        self.params = params

    def __str__(self) -> str:
        return t(self.key, **self.params)

    def __mod__(self, values: object) -> str:  # WTForms formats some messages with %
        return str(self)

    def __html__(self) -> str:
        from markupsafe import escape

        return str(escape(str(self)))


def format_day(value: date | str | None) -> str:
    if not value:
        return "–"
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return babel_date(value, "d MMM yyyy", locale=current_locale())


def format_moment(value: datetime | str | None, timezone: str) -> str:
    """A moment in the foundation's time zone, in the user's language."""
    if not value:
        return "–"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return babel_datetime(
        value, "EEE d MMM yyyy, HH:mm", tzinfo=ZoneInfo(timezone), locale=current_locale()
    )


def format_clock(value: datetime | str, timezone: str) -> str:
    """A time of day in the foundation's time zone, as each language writes it ("14.30" in
    Bahasa Indonesia, "14:30" in English)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    pattern = "HH.mm" if current_locale() == "id" else "HH:mm"
    return babel_time(value, pattern, tzinfo=ZoneInfo(timezone), locale=current_locale())
