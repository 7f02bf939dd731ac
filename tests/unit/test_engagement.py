"""Engagement after admission (started, engaged, retained 90 days) and caseloads beside the
staffing norm: every boundary, table by table."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.assessment.engagement import (
    EpisodeFacts,
    Measure,
    Milestone,
    Milestones,
    engaged,
    milestones,
    retained_90,
    started,
    tally,
    tally_by,
)
from services.assessment.staffing_norm import Caseload, caseloads

MET, MISSED, PENDING = Milestone.MET, Milestone.MISSED, Milestone.PENDING
ADMITTED = date(2026, 3, 1)
LONG_AFTER = ADMITTED + timedelta(days=400)


def day(n: int) -> date:
    """Day ``n`` after admission (admission day is day 0)."""
    return ADMITTED + timedelta(days=n)


def facts(*attended: int, discharged: int | None = None) -> EpisodeFacts:
    return EpisodeFacts(
        admitted_on=ADMITTED,
        attended_on=tuple(day(n) for n in attended),
        discharged_on=day(discharged) if discharged is not None else None,
    )


@pytest.mark.parametrize(
    ("episode", "today", "expected"),
    [
        (facts(0), day(0), MET),  # on admission day
        (facts(14), day(20), MET),  # the last day of the window
        (facts(15), day(20), MISSED),  # one day late
        (facts(15, 3), day(20), MET),  # order given does not matter
        (facts(-1), day(20), MISSED),  # before admission: not this episode's
        (facts(-1), day(10), PENDING),
        (facts(), day(14), PENDING),  # the window is still open today
        (facts(), day(15), MISSED),
        (facts(discharged=3), day(5), MISSED),  # left before starting
        (facts(5, discharged=3), day(20), MISSED),  # a session after discharge is not this one
        (facts(3, discharged=3), day(20), MET),  # discharge day still counts
    ],
)
def test_started(episode, today, expected):
    assert started(episode, today) is expected


@pytest.mark.parametrize(
    ("episode", "today", "expected"),
    [
        (facts(2, 10, 36), day(40), MET),  # first + 34 is the last day
        (facts(2, 10, 37), day(40), MISSED),
        (facts(2, 10, 37), day(36), PENDING),  # one more may still come
        (facts(2, 2, 2), day(3), MET),  # same-day sessions are sessions
        (facts(2, 10), day(36), PENDING),
        (facts(2, 10), day(37), MISSED),
        (facts(2, 10, discharged=20), day(21), MISSED),  # ended before the third
        (facts(15, 16, 17), day(40), MISSED),  # never started in time
        (facts(), day(10), PENDING),  # may still start
        (facts(14, 30, 48), day(60), MET),  # the window runs from the first session
        (facts(1, 2, 40), day(60), MISSED),
    ],
)
def test_engaged(episode, today, expected):
    assert engaged(episode, today) is expected


@pytest.mark.parametrize(
    ("episode", "today", "expected"),
    [
        (facts(), day(89), PENDING),
        (facts(), day(90), MET),  # still in care on day 90
        (facts(discharged=89), day(200), MISSED),
        (facts(discharged=90), day(200), MET),  # discharged on day 90: was in care then
        (facts(discharged=120), day(200), MET),  # dropped out later: still retained 90
        (facts(discharged=10), day(10), MISSED),  # known before day 90
    ],
)
def test_retained_90(episode, today, expected):
    assert retained_90(episode, today) is expected


def test_milestones_measure_all_three():
    assert milestones(facts(1, 5, 9), day(95)) == Milestones(MET, MET, MET)
    assert milestones(facts(), day(3)) == Milestones(PENDING, PENDING, PENDING)


def test_a_tally_rates_only_decided_episodes():
    result = tally(
        [
            Milestones(MET, MET, MET),
            Milestones(MET, MISSED, PENDING),
            Milestones(MISSED, MISSED, MISSED),
            Milestones(PENDING, PENDING, PENDING),
        ]
    )
    assert result.admitted == 4
    assert result.started == Measure(count=2, pending=1, rate=0.667)
    assert result.engaged == Measure(count=1, pending=1, rate=0.333)
    assert result.retained_90 == Measure(count=1, pending=2, rate=0.5)


def test_an_empty_or_undecided_tally_has_no_rate():
    assert tally([]).started == Measure(0, 0, None)
    assert tally([Milestones(PENDING, PENDING, PENDING)]).retained_90 == Measure(0, 1, None)


def test_tally_by_groups():
    groups = tally_by(
        [
            ("a", Milestones(MET, MET, MET)),
            ("b", Milestones(MISSED, MISSED, MISSED)),
            ("a", Milestones(MET, MISSED, MET)),
        ]
    )
    assert {k: (t.admitted, t.engaged.count) for k, t in groups.items()} == {
        "a": (2, 1),
        "b": (1, 0),
    }
    assert tally_by([]) == {}


@pytest.mark.parametrize(
    ("role", "clients", "over"),
    [
        ("social_worker", 0, False),
        ("social_worker", 7, False),  # at the norm is not over it
        ("social_worker", 8, True),
        ("counselor", 8, False),
        ("counselor", 10, False),
        ("counselor", 11, True),
    ],
)
def test_caseload_beside_the_norm(role, clients, over):
    (row,) = caseloads([("w", role)], {"w": clients})
    assert row == Caseload("w", role, clients, 10 if role == "counselor" else 7, over)


def test_caseloads_leave_out_roles_without_a_norm_and_list_the_heaviest_first():
    rows = caseloads(
        [("a", "social_worker"), ("b", "counselor"), ("c", "admin"), ("d", "social_worker")],
        {"b": 11, "a": 3, "c": 40, "x": 5},
    )
    assert [(r.case_worker_id, r.clients, r.over_norm) for r in rows] == [
        ("b", 11, True),
        ("a", 3, False),
        ("d", 0, False),
    ]
