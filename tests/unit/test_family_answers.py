"""Which family replies assessment keeps, and what each means on a session or follow-up."""

from __future__ import annotations

import pytest

from services.assessment.family_answers import (
    CHECKIN_ANSWERS,
    RSVP_ANSWERS,
    NotAnAnswer,
    record_family_answer,
)
from shared.vocabulary import CHECKIN_INTENTS, RSVP_INTENTS, CheckinAnswer, RsvpAnswer


def test_every_rsvp_and_check_in_intent_means_one_answer_and_every_answer_is_meant():
    assert set(RSVP_ANSWERS) == set(RSVP_INTENTS)
    assert set(RSVP_ANSWERS.values()) == set(RsvpAnswer)
    assert set(CHECKIN_ANSWERS) == set(CHECKIN_INTENTS)
    assert set(CHECKIN_ANSWERS.values()) == set(CheckinAnswer)


@pytest.mark.parametrize(
    ("intent", "session_id", "followup_id"),
    [
        ("text", "s-1", None),
        ("stop", None, "f-1"),
        ("start", "s-1", "f-1"),
        ("rsvp_yes", None, "f-1"),  # an RSVP names its session
        ("checkin_help", "s-1", None),  # a check-in names its follow-up
    ],
)
def test_a_reply_that_answers_nothing_assessment_keeps(intent, session_id, followup_id):
    reply = {
        "reply_id": "r-1",
        "client_id": "c-1",
        "contact_id": "k-1",
        "intent": intent,
        "session_id": session_id,
        "followup_id": followup_id,
    }
    with pytest.raises(NotAnAnswer):
        record_family_answer(None, "medan-plus", reply)  # type: ignore[arg-type]
