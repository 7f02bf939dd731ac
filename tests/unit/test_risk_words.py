"""A risk alert names every rule in words of both languages, never by its code."""

from __future__ import annotations

import pytest

from services.notifications.risk_words import rule_words
from shared.vocabulary import Locale, RiskRule, values


@pytest.mark.parametrize("locale", values(Locale))
@pytest.mark.parametrize("rule", values(RiskRule))
def test_every_rule_has_words(rule, locale):
    words = rule_words([rule], locale)
    assert words and words != rule and "_" not in words


def test_rules_are_listed_in_the_order_given():
    assert rule_words(["crisis_note", "consecutive_absences"], "en") == (
        "a crisis note, two absences in a row"
    )
