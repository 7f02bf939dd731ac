"""Days as a person writes them in a sentence, in Bahasa Indonesia or English (Babel):
``3 dan 5 Desember``, ``28 November and 2 December``; the year only when the days span
more than one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from babel.dates import format_date
from babel.lists import format_list

from shared.vocabulary import Locale


def day_phrase(day: date, locale: Locale) -> str:
    """One day: ``3 Desember`` / ``3 December``."""
    return str(format_date(day, "d MMMM", locale=locale))


def days_phrase(days: Sequence[date], locale: Locale) -> str:
    """Several days in order, the month named once for a run of days in the same month."""
    ordered = sorted(days)
    with_year = len({d.year for d in ordered}) > 1
    words = []
    for i, day in enumerate(ordered):
        following = ordered[i + 1] if i + 1 < len(ordered) else None
        same_month = following is not None and (following.year, following.month) == (
            day.year,
            day.month,
        )
        pattern = "d" if same_month else ("d MMMM y" if with_year else "d MMMM")
        words.append(str(format_date(day, pattern, locale=locale)))
    return str(format_list(words, locale=locale))
