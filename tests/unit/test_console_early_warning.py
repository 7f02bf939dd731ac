"""The console's reading of the early warning and the engagement report: a flag's reasons, the
caseload's "needs attention" list, the outreach form, the engagement tables and their charts."""

from __future__ import annotations

from datetime import date

import pytest

from services.console import engagement
from services.console.caseload import build_caseload
from services.console.charts import NO_VALUE, against_norm, grouped_rates
from services.console.risk_flag import attention_list, is_flagged, local_day, reasons
from tests.unit.test_console import NOW, _client, _posted

JAKARTA = "Asia/Jakarta"


# --- a flag's reasons ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2026-03-02", date(2026, 3, 2)),
        ("2026-03-01T18:30:00+00:00", date(2026, 3, 2)),  # already the 2nd in Jakarta
        ("2026-03-01T16:30:00+00:00", date(2026, 3, 1)),
        ("2026-03-01T23:00:00", date(2026, 3, 1)),  # no offset: as written
        (None, None),
        ("", None),
        ("kemarin", None),
    ],
)
def test_a_reason_began_on_a_day_of_the_foundation_calendar(value, day):
    assert local_day(value, JAKARTA) == day


def test_reasons_most_pressing_first_then_the_longest_standing():
    flag = {
        "level": "high",
        "reasons": [
            {"rule": "missed_sessions", "level": "watch", "since": "2026-02-01"},
            {"rule": "crisis_note", "level": "high", "since": "2026-02-20T02:00:00+00:00"},
            {"rule": "consecutive_absences", "level": "high", "since": "2026-02-10"},
            {"rule": "no_recent_session", "since": None},  # no level: the flag's
            {"level": "watch"},  # no rule: nothing to name, left out
        ],
    }
    found = reasons(flag, JAKARTA)
    assert [(r.rule, r.level) for r in found] == [
        ("consecutive_absences", "high"),
        ("crisis_note", "high"),
        ("no_recent_session", "high"),
        ("missed_sessions", "watch"),
    ]
    assert found[1].since == date(2026, 2, 20)
    assert reasons(None, JAKARTA) == [] and reasons({"level": "none"}, JAKARTA) == []


@pytest.mark.parametrize(
    ("flag", "flagged"),
    [
        ({"level": "high"}, True),
        ({"level": "watch"}, True),
        ({"level": "none", "reasons": []}, False),
        ({}, False),
        (None, False),
    ],
)
def test_only_watch_and_high_are_flags(flag, flagged):
    assert is_flagged(flag) is flagged


# --- the caseload's "needs attention" list ----------------------------------------------------


CLIENTS = [
    {"id": "a", "code": "K-1", "full_name": "Ani", "case_worker_id": "me"},
    {"id": "b", "code": "K-2", "full_name": "Budi", "case_worker_id": "other"},
    {"id": "c", "code": "K-3", "full_name": "Citra", "case_worker_id": "me"},
    {"id": "d", "code": "K-4", "full_name": "Dedi", "case_worker_id": "me"},
]
FLAGS = [
    {
        "client_id": "b",
        "level": "high",
        "reasons": [{"rule": "crisis_note", "level": "high", "since": "2026-02-05"}],
    },
    {
        "client_id": "a",
        "level": "watch",
        "reasons": [{"rule": "missed_sessions", "level": "watch", "since": "2026-02-01"}],
    },
    {
        "client_id": "c",
        "level": "high",
        "reasons": [
            {"rule": "missed_sessions", "level": "watch", "since": "2026-01-01"},
            {"rule": "consecutive_absences", "level": "high", "since": "2026-02-10"},
        ],
    },
    {"client_id": "d", "level": "none", "reasons": []},
    {"client_id": "gone", "level": "high", "reasons": []},  # erased, or not found by a search
]


def test_my_flagged_clients_high_first_each_with_its_most_pressing_reason():
    mine = attention_list(FLAGS, CLIENTS, timezone=JAKARTA, staff_id="me", case_worker_id="me")
    assert [(f.client["code"], f.level) for f in mine] == [("K-3", "high"), ("K-1", "watch")]
    assert mine[0].top_reason.rule == "consecutive_absences"  # high, though it began later
    assert mine[0].top_reason.since == date(2026, 2, 10)


def test_everyones_flagged_clients_the_users_own_first_within_a_level():
    everyone = attention_list(FLAGS, CLIENTS, timezone=JAKARTA, staff_id="me", case_worker_id=None)
    assert [(f.client["code"], f.mine) for f in everyone] == [
        ("K-3", True),
        ("K-2", False),
        ("K-1", True),
    ]
    viewer = attention_list(FLAGS, CLIENTS, timezone=JAKARTA, staff_id=None, case_worker_id=None)
    assert [f.client["code"] for f in viewer] == ["K-2", "K-3", "K-1"]  # the oldest reason first
    assert attention_list([], CLIENTS, timezone=JAKARTA, staff_id="me", case_worker_id="me") == []


def test_a_flagged_client_needs_attention_on_the_caseload_a_discharged_one_too():
    clients = [_client("a"), _client("b"), _client("c", status="discharged"), _client("d")]
    rows = build_caseload(
        clients,
        [],
        [],
        [],
        now=NOW,
        today=NOW.date(),
        case_worker_id="sw-1",
        risk_levels={"b": "watch", "c": "high", "elsewhere": "high"},
    )
    assert [(r.client["id"], r.risk_level, r.needs_attention) for r in rows] == [
        ("b", "watch", True),
        ("c", "high", True),  # a relapse reported after discharge keeps the client listed
        ("a", None, False),
        ("d", None, False),
    ]


# --- the outreach form -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected", "body"),
    [
        (
            {"method": "phone", "outcome": "reached", "notes": "  Ibu mengangkat. "},
            {},
            {"method": "phone", "outcome": "reached", "notes": "Ibu mengangkat."},
        ),
        ({"method": "visit", "outcome": "returned", "notes": "  "}, {}, None),
        ({"outcome": "reached"}, {"method": ["Pilih salah satu."]}, None),
        ({"method": "fax", "outcome": "maybe"}, {"method": ["Pilih salah satu."]}, None),
        (
            {"method": "family", "outcome": "declined", "notes": "x" * 2001},
            {"notes": ["Paling banyak 2000 karakter."]},
            None,
        ),
    ],
)
def test_outreach_form(data, expected, body):
    from services.console.forms.outreach import OutreachForm

    form, errors = _posted(OutreachForm, data)
    if data.get("outcome") == "maybe":
        expected = {**expected, "outcome": ["Pilih salah satu."]}
    assert errors == expected
    if body is not None:
        assert form.to_api() == body
    elif not expected:
        assert "notes" not in form.to_api()  # blank notes are not sent


# --- the engagement report -------------------------------------------------------------------


def _tally(admitted, started, engaged, retained, **extra):
    def measure(count, pending=0, rate=None):
        return {"count": count, "pending": pending, "rate": rate}

    return {
        "admitted": admitted,
        "started": measure(*started),
        "engaged": measure(*engaged),
        "retained_90": measure(*retained),
        **extra,
    }


REPORT = {
    "from": "2026-01-01",
    "to": "2026-03-31",
    "overall": _tally(5, (4, 0, 0.8), (2, 1, 0.5), (0, 5, None)),
    "by_program": [
        _tally(3, (3, 0, 1.0), (2, 0, 0.667), (0, 3, None), program_id="p1", program="Rumah"),
        _tally(2, (1, 0, 0.5), (0, 1, 0.0), (0, 2, None), program_id=None, program="none"),
    ],
    "by_case_worker": [
        _tally(1, (1, 0, 1.0), (0, 1, None), (0, 1, None), case_worker_id=None),
        _tally(4, (3, 0, 0.75), (2, 0, 0.5), (0, 4, None), case_worker_id="s2"),
        _tally(0, (0, 0, None), (0, 0, None), (0, 0, None), case_worker_id="s1"),
    ],
    "caseloads": [
        {"case_worker_id": "s1", "role": "counselor", "clients": 11, "norm": 10, "over_norm": True},
        {
            "case_worker_id": "s2",
            "role": "social_worker",
            "clients": 9,
            "norm": 7,
            "over_norm": True,
        },
        {
            "case_worker_id": "s3",
            "role": "social_worker",
            "clients": 2,
            "norm": 7,
            "over_norm": False,
        },
    ],
}
NAMES = {"s1": "Wati", "s2": "Rahmat", "s3": "Yusuf"}


def test_engagement_per_programme_and_per_case_worker_by_name():
    programmes = engagement.by_programme(REPORT, "Belum ditempatkan")
    assert [(p.name, p.admitted) for p in programmes] == [("Rumah", 3), ("Belum ditempatkan", 2)]
    assert programmes[0].measures["engaged"].percent == 67
    assert programmes[0].rates() == [1.0, 0.667, None]
    workers = engagement.by_case_worker(REPORT, NAMES, "Tanpa pendamping")
    assert [w.name for w in workers] == ["Rahmat", "Wati", "Tanpa pendamping"]
    assert workers[0].measures["retained_90"].pending == 4
    overall = engagement.tally(REPORT["overall"], "")
    assert overall.measures["started"].count == 4 and overall.measures["retained_90"].rate is None


def test_caseloads_heaviest_against_the_norm_first_and_over_the_norm_counted():
    rows = engagement.caseloads(REPORT, NAMES)
    assert [(r.name, r.clients, r.norm, r.over_norm) for r in rows] == [
        ("Rahmat", 9, 7, True),  # 9/7 is heavier than 11/10
        ("Wati", 11, 10, True),
        ("Yusuf", 2, 7, False),
    ]
    assert engagement.over_norm(rows) == 2
    assert engagement.caseloads({}, NAMES) == []


def test_rates_grouped_under_a_heading_each_and_an_unknown_rate_has_no_bar():
    chart = grouped_rates(
        [("Rumah", [("Mulai", 1.0), ("Terlibat", 0.5), ("Bertahan", None)]), ("Jalan", [])]
    )
    assert [h.text for h in chart.headings] == ["Rumah", "Jalan"]
    assert [b.text for b in chart.bars] == ["100 %", "50 %", NO_VALUE]
    assert chart.bars[0].width == 2 * chart.bars[1].width and chart.bars[2].width == 0
    assert [b.series for b in chart.bars] == [0, 1, 2]
    rows = {b.y for b in chart.bars} | {h.y for h in chart.headings}
    assert len(rows) == 5 and chart.height >= max(rows)  # a row each, all inside the chart
    assert grouped_rates([]).bars == [] and grouped_rates([]).height > 0


def test_a_caseload_over_its_norm_stands_out_and_the_norm_is_marked_on_one_scale():
    chart = against_norm([("Rahmat", 9, 7), ("Wati", 5, 10), ("Yusuf", 0, 7)])
    rahmat, wati, yusuf = chart.bars
    assert (rahmat.over, wati.over, yusuf.over) == (True, False, False)
    assert [b.text for b in chart.bars] == ["9 / 7", "5 / 10", "0 / 7"]
    assert rahmat.mark == yusuf.mark < rahmat.x + rahmat.width  # the bar passes its norm
    assert (
        wati.x + wati.width
        < wati.mark
        == chart.label_width + (chart.width - chart.label_width - 60)
    )
    assert yusuf.width == 0
    assert max(b.mark for b in chart.bars) <= chart.width
