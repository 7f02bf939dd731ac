"""Bahasa Indonesia and English: the message catalogue, the user's locale, dates.

Every text a page shows goes through :func:`t` with a key of :data:`MESSAGES`; a form's
error message is a :class:`Lazy` text, rendered in the language of the request that shows
it. Messages the APIs send (in English) are translated where the catalogue knows them.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_date
from babel.dates import format_datetime as babel_datetime
from flask import g, has_request_context, request, session

from services.console.messages import (
    API_MESSAGE_PATTERNS,
    API_MESSAGES,
    MESSAGE_REASONS,
    MESSAGES,
)

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


def api_message(message: str) -> str:
    """A message an API sent, in the user's language where the catalogue has it."""
    entry = API_MESSAGES.get(message)
    if entry is None:
        entry = next(
            (texts for pattern, texts in API_MESSAGE_PATTERNS if re.fullmatch(pattern, message)),
            None,
        )
    if entry is None:
        return message
    return entry[LOCALES.index(current_locale())]


def message_reason(reason: str | None) -> str:
    """Why a message was held, cancelled or is retried, in the user's language (a
    provider's own error text after ``retrying:`` is shown as the provider gave it)."""
    if not reason:
        return ""
    column = LOCALES.index(current_locale())
    known = MESSAGE_REASONS.get(reason)
    if known is not None:
        return known[column]
    prefix = "retrying: "
    if reason.startswith(prefix):
        return MESSAGE_REASONS[prefix][column] + reason[len(prefix) :]
    return reason


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
