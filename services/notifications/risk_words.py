"""The early warning's rules as a staff message names them (``staff.risk_alert``).

Assessment sends rule names (codes); a staff member reads words in the foundation's
language. The console has its own, fuller texts for the same codes.
"""

from __future__ import annotations

from shared.vocabulary import Locale, RiskRule

RISK_RULE_WORDS: dict[str, dict[str, str]] = {
    RiskRule.CONSECUTIVE_ABSENCES: {
        Locale.ID: "dua kali berturut-turut tidak hadir",
        Locale.EN: "two absences in a row",
    },
    RiskRule.MISSED_SESSIONS: {Locale.ID: "sering tidak hadir", Locale.EN: "missed sessions"},
    RiskRule.NO_RECENT_SESSION: {
        Locale.ID: "lama tidak mengikuti sesi",
        Locale.EN: "no recent session",
    },
    RiskRule.BEHAVIOUR_NOTES: {Locale.ID: "catatan perilaku", Locale.EN: "behaviour notes"},
    RiskRule.CRISIS_NOTE: {Locale.ID: "catatan krisis", Locale.EN: "a crisis note"},
    RiskRule.FAMILY_NEEDS_HELP: {
        Locale.ID: "keluarga meminta bantuan",
        Locale.EN: "the family asked for help",
    },
    RiskRule.RELAPSE_REPORTED: {Locale.ID: "kambuh dilaporkan", Locale.EN: "relapse reported"},
}


def rule_words(rules: list[str], locale: str) -> str:
    """The rules, in ``locale``'s words, comma-separated (an unknown rule by its name)."""
    return ", ".join(RISK_RULE_WORDS.get(rule, {}).get(locale, rule) for rule in rules)
