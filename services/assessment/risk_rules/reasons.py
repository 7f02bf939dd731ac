"""A reason a client is flagged: which rule holds, at what level, since when, and what it
rests on (``params``: plain JSON values, so a stored reason is told again in either
language with :func:`describe`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from services.assessment.risk_rules.day_phrases import day_phrase, days_phrase
from shared.vocabulary import Locale, RiskLevel, RiskRule

#: A reason's params: counts, ISO dates and lists of ISO dates.
Param = int | str | list[str]
Params = Mapping[str, Param]

#: The levels in rising order of concern.
LEVEL_RANK: Final[Mapping[RiskLevel, int]] = {
    RiskLevel.NONE: 0,
    RiskLevel.WATCH: 1,
    RiskLevel.HIGH: 2,
}


@dataclass(frozen=True)
class Reason:
    """One rule that holds. ``since``: when it began to hold."""

    rule: RiskRule
    level: RiskLevel
    since: datetime
    params: Params

    @property
    def detail(self) -> dict[Locale, str]:
        """What it means for a person, in both languages."""
        return describe(self.rule, self.params)


def iso_days(days: Sequence[date]) -> list[str]:
    return [d.isoformat() for d in days]


def _days(params: Params, name: str = "days") -> list[date]:
    value = params.get(name, [])
    listed = value if isinstance(value, list) else [str(value)]
    return [date.fromisoformat(d) for d in listed]


def _int(params: Params, name: str) -> int:
    value = params.get(name, 0)
    return value if isinstance(value, int) else 0


def _consecutive(p: Params, lang: Locale) -> str:
    days = days_phrase(_days(p), lang)
    if lang == Locale.ID:
        return f"{_int(p, 'count')} sesi berturut-turut tidak hadir: {days}"
    return f"{_int(p, 'count')} sessions missed in a row: {days}"


def _missed(p: Params, lang: Locale) -> str:
    days, count, last = days_phrase(_days(p), lang), _int(p, "count"), _int(p, "last")
    if lang == Locale.ID:
        return f"Tidak hadir di {count} dari {last} sesi terakhir: {days}"
    return f"{count} of the last {last} sessions missed: {days}"


def _no_recent(p: Params, lang: Locale) -> str:
    span = _int(p, "days_without")
    last = _days(p, "last_attended")
    if last:
        day = day_phrase(last[0], lang)
        if lang == Locale.ID:
            return f"{span} hari tanpa sesi yang dihadiri (terakhir {day})"
        return f"No session attended for {span} days (last on {day})"
    day = day_phrase(_days(p, "admitted_on")[0], lang)
    if lang == Locale.ID:
        return f"Belum ada sesi yang dihadiri dalam {span} hari sejak masuk ({day})"
    return f"No session attended in the {span} days since admission ({day})"


def _behaviour(p: Params, lang: Locale) -> str:
    days, count, window = days_phrase(_days(p), lang), _int(p, "count"), _int(p, "window_days")
    if lang == Locale.ID:
        return (
            f"{count} catatan perilaku tidak konsisten atau sikap tertutup "
            f"dalam {window} hari: {days}"
        )
    notes = "note" if count == 1 else "notes"
    return (
        f"{count} {notes} of inconsistent behaviour or a closed attitude in {window} days: {days}"
    )


def _crisis(p: Params, lang: Locale) -> str:
    days = days_phrase(_days(p), lang)
    return f"Catatan krisis: {days}" if lang == Locale.ID else f"Crisis note: {days}"


def _family_help(p: Params, lang: Locale) -> str:
    days = days_phrase(_days(p), lang)
    if lang == Locale.ID:
        return f"Keluarga meminta bantuan pada bimbingan lanjut: {days}"
    return f"The family asked for help at a follow-up check-in: {days}"


def _relapse(p: Params, lang: Locale) -> str:
    days = days_phrase(_days(p), lang)
    if lang == Locale.ID:
        return f"Kambuh dilaporkan pada bimbingan lanjut: {days}"
    return f"Relapse reported at a follow-up: {days}"


TEXTS: Final[Mapping[RiskRule, Callable[[Params, Locale], str]]] = {
    RiskRule.CONSECUTIVE_ABSENCES: _consecutive,
    RiskRule.MISSED_SESSIONS: _missed,
    RiskRule.NO_RECENT_SESSION: _no_recent,
    RiskRule.BEHAVIOUR_NOTES: _behaviour,
    RiskRule.CRISIS_NOTE: _crisis,
    RiskRule.FAMILY_NEEDS_HELP: _family_help,
    RiskRule.RELAPSE_REPORTED: _relapse,
}


def describe(rule: RiskRule, params: Params) -> dict[Locale, str]:
    """The reason in Bahasa Indonesia and English."""
    text = TEXTS[rule]
    return {locale: text(params, locale) for locale in Locale}
