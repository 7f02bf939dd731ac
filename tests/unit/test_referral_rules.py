"""The rules of a referral's course: its ground (consent or an admin's override), each
transition allowed and refused for each side, the age band a receiving foundation sees, and
the case worker's reminder."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest

from services.intake.referral_rules import (
    TRANSITIONS,
    Side,
    age_band,
    ground_of,
    may_change,
    remind_at,
    shares_in_order,
)
from shared.vocabulary import AgeBand, ReferralStatus, Role, values

PENDING, ACCEPTED, REJECTED, DONE, REVOKED = (
    "pending",
    "accepted",
    "rejected",
    "done",
    "revoked",
)
SENDER, RECEIVER = Side.SENDER, Side.RECEIVER


@pytest.mark.parametrize(
    ("consent", "role", "override_reason", "ground"),
    [
        # consent: any role that refers, and an override reason beside it is not kept
        (True, Role.SOCIAL_WORKER, None, (True, None)),
        (True, Role.COUNSELOR, None, (True, None)),
        (True, Role.ADMIN, None, (True, None)),
        (True, Role.SOCIAL_WORKER, "Perintah pengadilan", (True, None)),
        # without consent: an admin with a reason overrides
        (False, Role.ADMIN, "Perintah pengadilan No. 12", (False, "Perintah pengadilan No. 12")),
        (False, Role.ADMIN, "  Perintah pengadilan  ", (False, "Perintah pengadilan")),
        # ... and nobody else, and not without a reason
        (False, Role.ADMIN, None, None),
        (False, Role.ADMIN, "", None),
        (False, Role.ADMIN, "   ", None),
        (False, Role.SOCIAL_WORKER, "Perintah pengadilan", None),
        (False, Role.COUNSELOR, "Perintah pengadilan", None),
        (False, Role.SOCIAL_WORKER, None, None),
    ],
)
def test_a_referral_rests_on_consent_or_an_admins_reasoned_override(
    consent, role, override_reason, ground
):
    found = ground_of(consent, role, override_reason)
    if ground is None:
        assert found is None
    else:
        assert (found.consent, found.override_reason) == ground
        assert found.overridden is (not consent)


# (current, target, side, partner answers itself) → allowed
ALLOWED = {
    # a foundation of this deployment answers for itself
    (PENDING, ACCEPTED, RECEIVER, True),
    (PENDING, REJECTED, RECEIVER, True),
    (PENDING, REVOKED, SENDER, True),
    (ACCEPTED, DONE, RECEIVER, True),
    (ACCEPTED, DONE, SENDER, True),
    (ACCEPTED, REVOKED, SENDER, True),
    # any other partner: the sender records its answers
    (PENDING, ACCEPTED, SENDER, False),
    (PENDING, REJECTED, SENDER, False),
    (PENDING, REVOKED, SENDER, False),
    (ACCEPTED, DONE, SENDER, False),
    (ACCEPTED, REVOKED, SENDER, False),
}
CASES = [
    (current, target, side, itself)
    for current, target, side, itself in itertools.product(
        values(ReferralStatus), values(ReferralStatus), (SENDER, RECEIVER), (True, False)
    )
    # an outside partner has no receiving side of its own in the suite
    if itself or side == SENDER
]


@pytest.mark.parametrize(("current", "target", "side", "itself"), CASES)
def test_each_transition_is_allowed_only_where_the_table_says(current, target, side, itself):
    allowed = (current, target, side, itself) in ALLOWED
    assert may_change(current, target, side, partner_answers_itself=itself) is allowed


def test_the_table_covers_every_way_out_and_the_end_states_have_none():
    assert set(TRANSITIONS) == {ReferralStatus.PENDING, ReferralStatus.ACCEPTED}
    for status in (REJECTED, DONE, REVOKED):
        assert not any(
            may_change(status, target, side, partner_answers_itself=itself)
            for target in values(ReferralStatus)
            for side in Side
            for itself in (True, False)
        )


@pytest.mark.parametrize("value", ["", "cancelled", "PENDING", "accepted "])
def test_an_unknown_status_is_never_a_transition(value):
    assert not may_change(PENDING, value, SENDER, partner_answers_itself=False)
    assert not may_change(value, ACCEPTED, RECEIVER, partner_answers_itself=True)


TODAY = date(2026, 12, 8)


@pytest.mark.parametrize(
    ("birth", "band"),
    [
        (None, AgeBand.UNKNOWN),
        (date(2008, 12, 9), AgeBand.UNDER_18),  # 17 until tomorrow
        (date(2008, 12, 8), AgeBand.FROM_18_TO_24),  # 18 today
        (date(2002, 1, 1), AgeBand.FROM_18_TO_24),
        (date(2001, 12, 8), AgeBand.FROM_25_TO_34),
        (date(1992, 12, 9), AgeBand.FROM_25_TO_34),
        (date(1991, 12, 8), AgeBand.FROM_35_TO_44),
        (date(1981, 12, 9), AgeBand.FROM_35_TO_44),  # 44 until tomorrow
        (date(1981, 12, 8), AgeBand.FROM_45_TO_54),
        (date(1971, 12, 9), AgeBand.FROM_45_TO_54),
        (date(1971, 12, 8), AgeBand.FROM_55),
        (date(1940, 2, 29), AgeBand.FROM_55),
    ],
)
def test_a_receiving_foundation_sees_an_age_band_not_a_birth_date(birth, band):
    assert age_band(birth, TODAY) == band


CREATED = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "reminded"),
    [
        (PENDING, CREATED + timedelta(days=7)),
        (ACCEPTED, None),
        (REJECTED, None),
        (DONE, None),
        (REVOKED, None),
    ],
)
def test_only_a_pending_referral_reminds_the_case_worker_a_week_on(status, reminded):
    assert remind_at(status, CREATED) == reminded


def test_shared_parts_are_kept_once_in_the_vocabularys_order():
    assert shares_in_order(["plan", "identity", "plan", "screening"]) == [
        "identity",
        "screening",
        "plan",
    ]
    assert shares_in_order([]) == []
