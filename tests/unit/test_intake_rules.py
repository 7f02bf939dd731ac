"""Intake's small decisions, table by table: who may be admitted and from which day, whose
consent a minor needs, how a family contact is reached, and the codes their refusals carry."""

from __future__ import annotations

from datetime import date

import pytest

from services.intake.admission import admission_day_error, may_be_admitted
from services.intake.family_contacts import unreachable
from services.intake.identity import needs_guardian_consent
from services.intake.phones import InvalidPhone, normalise_phone
from services.intake.screening import ScreeningError, score_dast10
from shared.codes import field_code

TODAY = date(2026, 3, 10)


@pytest.mark.parametrize(
    ("status", "admittable"),
    [("registered", True), ("discharged", True), ("admitted", False), ("placed", False)],
)
def test_who_may_be_admitted(status, admittable):
    assert may_be_admitted(status) is admittable


@pytest.mark.parametrize(
    ("admitted_on", "last_discharge", "code"),
    [
        (TODAY, None, None),
        (date(2026, 3, 11), None, "date_in_future"),
        (date(2020, 1, 1), None, None),  # a late record of an old admission
        (date(2026, 3, 1), date(2026, 3, 1), None),  # readmitted the day of the discharge
        (date(2026, 2, 28), date(2026, 3, 1), "readmission_before_discharge"),
        (date(2026, 3, 11), date(2026, 3, 1), "date_in_future"),
    ],
)
def test_from_which_day_an_episode_may_start(admitted_on, last_discharge, code):
    error = admission_day_error(admitted_on, TODAY, last_discharge)
    assert (field_code(error) if error else None) == code


def test_a_readmission_refusal_names_the_last_discharge():
    error = admission_day_error(date(2026, 2, 1), TODAY, date(2026, 3, 1))
    assert error == "A readmission starts on or after the last discharge (2026-03-01)."


SIXTEEN = date(2010, 1, 1)
ADULT = date(1990, 1, 1)


@pytest.mark.parametrize(
    ("born", "consent", "needed"),
    [
        (SIXTEEN, {"contact_family": True, "given_by": "client"}, True),
        (SIXTEEN, {"share_progress": True, "given_by": "client"}, True),
        (SIXTEEN, {"contact_family": True, "given_by": "guardian"}, False),
        (SIXTEEN, {"contact_family": False, "share_progress": False}, False),  # asks nothing
        (ADULT, {"contact_family": True, "given_by": "client"}, False),
        (None, {"contact_family": True, "given_by": "client"}, False),  # age unknown
    ],
)
def test_when_a_minor_needs_a_guardians_consent(born, consent, needed):
    assert needs_guardian_consent(born, consent, TODAY) is needed


@pytest.mark.parametrize(
    ("channel", "phone", "email", "refused"),
    [
        ("sms", "+6281234567890", None, None),
        ("whatsapp", "+6281234567890", None, None),
        ("email", None, "siti@example.org", None),
        ("sms", None, "siti@example.org", ("phone", "phone_required_for_channel")),
        ("whatsapp", None, None, ("phone", "phone_required_for_channel")),
        ("email", "+6281234567890", None, ("email", "email_required_for_channel")),
        (None, None, None, None),  # no channel: the schema names that field
    ],
)
def test_a_family_contact_is_reachable_on_its_channel(channel, phone, email, refused):
    found = unreachable(channel, phone, email)
    assert (None if found is None else (found[0], field_code(found[1]))) == refused


def test_the_phone_refusal_names_the_channel_in_its_words():
    assert unreachable("whatsapp", None, None) == ("phone", "A phone is needed for whatsapp.")


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("abc", "not_a_phone_number"),
        ("0812", "invalid_phone_number"),
        ("0812-3456-7890 ext. 12", "phone_has_extension"),
    ],
)
def test_a_phone_refusal_carries_its_code(raw, code):
    with pytest.raises(InvalidPhone) as refused:
        normalise_phone(raw)
    assert field_code(refused.value.message) == code


def test_a_screening_refusal_carries_its_code_and_its_words():
    with pytest.raises(ScreeningError) as refused:
        score_dast10([True] * 9)
    assert refused.value.code == "dast10_answer_count"
    assert refused.value.message == "Expected exactly 10 answers, got 9."
