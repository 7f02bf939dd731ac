"""The early warning's rules, table by table: what each decides from a client's facts, at
what level, since when and in what words; the days of the foundation's calendar; a
readmission's fresh window; the thresholds a foundation may set."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from services.assessment.risk_flags import dump_reasons, stored_reasons
from services.assessment.risk_rules import (
    DEFAULT_THRESHOLDS,
    RULES,
    AttendanceFact,
    CheckinFact,
    ClientFacts,
    NoteFact,
    OutcomeFact,
    Reason,
    Thresholds,
    evaluate,
    level_of,
    thresholds_from,
)
from services.assessment.risk_rules.attendance import (
    consecutive_absences,
    missed_sessions,
    no_recent_session,
)
from services.assessment.risk_rules.day_phrases import days_phrase
from services.assessment.risk_rules.facts import current_episode
from services.assessment.risk_rules.family import family_needs_help
from services.assessment.risk_rules.notes import behaviour_notes, crisis_note
from services.assessment.risk_rules.outcomes import relapse_reported
from shared.vocabulary import (
    Attendance,
    CheckinAnswer,
    FollowupOutcome,
    Locale,
    NoteKind,
    Obstacle,
    RiskLevel,
    RiskRule,
)

JAKARTA = ZoneInfo("Asia/Jakarta")
DEFAULTS = DEFAULT_THRESHOLDS
A, X, E = Attendance.ATTENDED, Attendance.ABSENT, Attendance.EXCUSED
BI, CA, FC = (
    Obstacle.BEHAVIOUR_INCONSISTENCY,
    Obstacle.CLOSED_ATTITUDE,
    Obstacle.FAMILY_COMMUNICATION,
)


def at(month_day: int, hour: int = 10, month: int = 12) -> datetime:
    """A moment of 2026 in the foundation's calendar (Jakarta)."""
    return datetime(2026, month, month_day, hour, 0, tzinfo=JAKARTA)


NOW = at(10, 12)


def nov(month_day: int, hour: int = 10) -> datetime:
    return at(month_day, hour, month=11)


def sessions(*recorded: tuple[int, Attendance] | tuple[int, Attendance, str]) -> tuple:
    """Attendances at sessions on days of December (``"cancelled"`` as a third item)."""
    return tuple(
        AttendanceFact(at(r[0]), r[1], session_cancelled=len(r) > 2 and r[2] == "cancelled")
        for r in recorded
    )


def facts(**kwargs) -> ClientFacts:
    base = {"zone": JAKARTA, "in_care": True, "admitted_on": date(2026, 11, 1)}
    return ClientFacts(**{**base, **kwargs})


def note(when: datetime, kind: NoteKind = NoteKind.BEHAVIOUR, *obstacles: Obstacle) -> NoteFact:
    return NoteFact(when, kind, frozenset(obstacles))


def summary(reason: Reason | None) -> tuple | None:
    return None if reason is None else (reason.level, reason.since, reason.params)


def run(rule, client: ClientFacts, thresholds: Thresholds = DEFAULTS, now: datetime = NOW):
    """A rule over the current episode's facts, as :func:`evaluate` gives them to it."""
    return summary(rule(current_episode(client), thresholds, now))


# --- consecutive_absences ---------------------------------------------------------------------

HIGH, WATCH = RiskLevel.HIGH, RiskLevel.WATCH


@pytest.mark.parametrize(
    ("attendances", "kwargs", "expected"),
    [
        pytest.param(
            sessions((1, A), (3, X), (5, X)),
            {},
            (HIGH, at(5), {"count": 2, "days": ["2026-12-03", "2026-12-05"]}),
            id="the last two absent",
        ),
        pytest.param(sessions((3, X), (5, A)), {}, None, id="the last one attended"),
        pytest.param(sessions((5, X)), {}, None, id="one absence only"),
        pytest.param(sessions(), {}, None, id="nothing recorded"),
        pytest.param(sessions((3, X), (4, E), (5, X)), {}, None, id="an excused one between"),
        pytest.param(sessions((3, X), (5, E)), {}, None, id="excused is never an absence"),
        pytest.param(
            sessions((3, X), (5, X, "cancelled")), {}, None, id="a cancelled session not counted"
        ),
        pytest.param(
            sessions((3, X), (4, A, "cancelled"), (5, X)),
            {},
            (HIGH, at(5), {"count": 2, "days": ["2026-12-03", "2026-12-05"]}),
            id="a cancelled session breaks no run",
        ),
        pytest.param(
            sessions((5, X), (1, A), (3, X)),
            {},
            (HIGH, at(5), {"count": 2, "days": ["2026-12-03", "2026-12-05"]}),
            id="in the order of the sessions, not of recording",
        ),
        pytest.param(
            sessions((2, X), (4, X), (6, X)),
            {},
            (HIGH, at(4), {"count": 3, "days": ["2026-12-02", "2026-12-04", "2026-12-06"]}),
            id="a longer run: since the absence that made two",
        ),
        pytest.param(sessions((3, X), (5, X)), {"in_care": False}, None, id="out of care"),
        pytest.param(
            sessions((2, X), (3, X), (5, X)),
            {"admitted_on": date(2026, 12, 4)},
            None,
            id="readmitted: absences before admission do not count",
        ),
        pytest.param(
            sessions((3, X), (5, X)),
            {"admitted_on": None, "in_care": False},
            None,
            id="never admitted",
        ),
    ],
)
def test_consecutive_absences(attendances, kwargs, expected):
    client = facts(attendances=attendances, **kwargs)
    assert run(consecutive_absences, client) == expected


def test_consecutive_absences_by_the_foundations_threshold():
    client = facts(attendances=sessions((4, X), (5, X)))
    assert run(consecutive_absences, client, Thresholds(consecutive_absences=3)) is None
    client = facts(attendances=sessions((3, X), (4, X), (5, X)))
    level, since, _ = run(consecutive_absences, client, Thresholds(consecutive_absences=3))
    assert (level, since) == (HIGH, at(5))


def test_a_sessions_day_is_the_foundations_day():
    # 01:00 in Jakarta on 4 December is still 3 December in UTC
    early = datetime(2026, 12, 3, 18, 0, tzinfo=UTC)
    client = facts(attendances=(AttendanceFact(at(2), X), AttendanceFact(early, X)))
    assert run(consecutive_absences, client)[2]["days"] == ["2026-12-02", "2026-12-04"]


# --- missed_sessions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attendances", "thresholds", "expected"),
    [
        pytest.param(
            sessions((1, X), (2, A), (3, X), (4, A)),
            DEFAULTS,
            (WATCH, at(3), {"count": 2, "last": 4, "days": ["2026-12-01", "2026-12-03"]}),
            id="two of the last four",
        ),
        pytest.param(
            sessions((1, X), (2, A), (3, A), (4, A), (5, X)),
            DEFAULTS,
            None,
            id="the older absence fell out of the last four",
        ),
        pytest.param(
            sessions((1, E), (2, E), (3, X), (4, A)), DEFAULTS, None, id="excused not counted"
        ),
        pytest.param(
            sessions((1, X), (2, A, "cancelled"), (3, A), (4, A), (5, X)),
            DEFAULTS,
            (WATCH, at(5), {"count": 2, "last": 4, "days": ["2026-12-01", "2026-12-05"]}),
            id="a cancelled session is not among the last four",
        ),
        pytest.param(
            sessions((1, X), (3, X)),
            DEFAULTS,
            (WATCH, at(3), {"count": 2, "last": 2, "days": ["2026-12-01", "2026-12-03"]}),
            id="fewer than four recorded",
        ),
        pytest.param(
            sessions((1, X), (2, A), (3, X), (4, A), (5, A)),
            Thresholds(missed_sessions_absent=3, missed_sessions_last=5),
            None,
            id="three of five asked, two missed",
        ),
        pytest.param(
            sessions((1, X), (2, X), (3, A), (4, X), (5, A)),
            Thresholds(missed_sessions_absent=3, missed_sessions_last=5),
            (
                WATCH,
                at(4),
                {"count": 3, "last": 5, "days": ["2026-12-01", "2026-12-02", "2026-12-04"]},
            ),
            id="three of five",
        ),
    ],
)
def test_missed_sessions(attendances, thresholds, expected):
    assert run(missed_sessions, facts(attendances=attendances), thresholds) == expected


def test_missed_sessions_hold_only_in_care():
    client = facts(attendances=sessions((1, X), (3, X)), in_care=False)
    assert run(missed_sessions, client) is None


# --- no_recent_session ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "now", "expected"),
    [
        pytest.param({"admitted_on": date(2026, 12, 1)}, NOW, None, id="9 days since admission"),
        pytest.param(
            {"admitted_on": date(2026, 11, 20)},
            NOW,
            (
                WATCH,
                at(4, 0),
                {"days_without": 20, "last_attended": [], "admitted_on": "2026-11-20"},
            ),
            id="20 days since admission, none attended",
        ),
        pytest.param(
            {"admitted_on": date(2026, 11, 20), "attendances": sessions((1, A))},
            NOW,
            None,
            id="attended 9 days ago",
        ),
        pytest.param(
            {"attendances": (AttendanceFact(nov(26), A),)},
            NOW,
            (
                WATCH,
                at(10, 0),
                {
                    "days_without": 14,
                    "last_attended": ["2026-11-26"],
                    "admitted_on": "2026-11-01",
                },
            ),
            id="attended 14 days ago: none in the last 14",
        ),
        pytest.param(
            {"attendances": (AttendanceFact(nov(27), A),)}, NOW, None, id="attended 13 days ago"
        ),
        pytest.param(
            {"attendances": (AttendanceFact(nov(26), A),) + sessions((5, X), (6, E))},
            NOW,
            (
                WATCH,
                at(10, 0),
                {
                    "days_without": 14,
                    "last_attended": ["2026-11-26"],
                    "admitted_on": "2026-11-01",
                },
            ),
            id="absent and excused are not attended",
        ),
        pytest.param(
            {"attendances": (AttendanceFact(nov(26), A),) + sessions((5, A, "cancelled"))},
            NOW,
            (
                WATCH,
                at(10, 0),
                {
                    "days_without": 14,
                    "last_attended": ["2026-11-26"],
                    "admitted_on": "2026-11-01",
                },
            ),
            id="a cancelled session is not attended",
        ),
        pytest.param(
            {"attendances": (AttendanceFact(nov(27), A),)},
            datetime(2026, 12, 10, 16, 30, tzinfo=UTC),  # 23:30 in Jakarta
            None,
            id="the foundation's day has not turned",
        ),
        pytest.param(
            {"attendances": (AttendanceFact(nov(27), A),)},
            datetime(2026, 12, 10, 17, 30, tzinfo=UTC),  # 00:30 on 11 December in Jakarta
            (
                WATCH,
                at(11, 0),
                {
                    "days_without": 14,
                    "last_attended": ["2026-11-27"],
                    "admitted_on": "2026-11-01",
                },
            ),
            id="the foundation's day has turned",
        ),
        pytest.param(
            {"admitted_on": date(2026, 11, 20), "in_care": False}, NOW, None, id="out of care"
        ),
        pytest.param(
            {"admitted_on": date(2026, 12, 5), "attendances": sessions((1, A))},
            at(25),
            (
                WATCH,
                at(19, 0),
                {"days_without": 20, "last_attended": [], "admitted_on": "2026-12-05"},
            ),
            id="readmitted: counted from the new admission",
        ),
        pytest.param(
            {"admitted_on": date(2026, 12, 5), "attendances": sessions((1, A))},
            NOW,
            None,
            id="readmitted 5 days ago",
        ),
    ],
)
def test_no_recent_session(kwargs, now, expected):
    assert run(no_recent_session, facts(**kwargs), now=now) == expected


def test_no_recent_session_by_the_foundations_threshold():
    client = facts(admitted_on=date(2026, 12, 3))
    assert run(no_recent_session, client, Thresholds(no_recent_session_days=8)) is None
    assert run(no_recent_session, client, Thresholds(no_recent_session_days=7))[0] == WATCH


# --- behaviour_notes and crisis_note ----------------------------------------------------------


@pytest.mark.parametrize(
    ("notes", "expected"),
    [
        pytest.param(
            (note(at(3), NoteKind.BEHAVIOUR, BI), note(at(9), NoteKind.PROGRESS, CA)),
            (WATCH, at(9), {"count": 2, "window_days": 14, "days": ["2026-12-03", "2026-12-09"]}),
            id="two tagged notes of any kind",
        ),
        pytest.param((note(at(3), NoteKind.BEHAVIOUR, BI),), None, id="one only"),
        pytest.param(
            (note(at(3), NoteKind.BEHAVIOUR, BI, CA),), None, id="one note with both tags"
        ),
        pytest.param(
            (note(at(3), NoteKind.BEHAVIOUR, BI), note(at(4), NoteKind.BEHAVIOUR, FC)),
            None,
            id="another obstacle",
        ),
        pytest.param(
            (note(at(3), NoteKind.BEHAVIOUR), note(at(4), NoteKind.BEHAVIOUR)),
            None,
            id="behaviour notes without the tags",
        ),
        pytest.param(
            (note(nov(26), NoteKind.BEHAVIOUR, BI), note(at(10), NoteKind.BEHAVIOUR, CA)),
            None,
            id="14 days ago is outside 14 days",
        ),
        pytest.param(
            (note(nov(27), NoteKind.BEHAVIOUR, BI), note(at(10), NoteKind.BEHAVIOUR, CA)),
            (WATCH, at(10), {"count": 2, "window_days": 14, "days": ["2026-11-27", "2026-12-10"]}),
            id="13 days ago is within",
        ),
        pytest.param(
            (note(at(3), NoteKind.CRISIS, CA), note(at(3, 15), NoteKind.BEHAVIOUR, BI)),
            (WATCH, at(3, 15), {"count": 2, "window_days": 14, "days": ["2026-12-03"]}),
            id="two on one day",
        ),
        pytest.param(
            (note(nov(2), NoteKind.BEHAVIOUR, BI), note(nov(3), NoteKind.BEHAVIOUR, CA)),
            None,
            id="long ago",
        ),
    ],
)
def test_behaviour_notes(notes, expected):
    assert run(behaviour_notes, facts(notes=notes)) == expected


def test_behaviour_notes_by_the_foundations_threshold():
    client = facts(notes=(note(at(9), NoteKind.BEHAVIOUR, BI),))
    assert run(behaviour_notes, client, Thresholds(behaviour_notes_count=1))[0] == WATCH
    client = facts(notes=(note(at(1), NoteKind.BEHAVIOUR, BI), note(at(9), NoteKind.BEHAVIOUR, CA)))
    assert run(behaviour_notes, client, Thresholds(behaviour_notes_days=5)) is None


@pytest.mark.parametrize(
    ("notes", "kwargs", "expected"),
    [
        pytest.param(
            (note(at(4), NoteKind.CRISIS),), {}, (HIGH, at(4), {"days": ["2026-12-04"]}), id="6d"
        ),
        pytest.param((note(at(3), NoteKind.CRISIS),), {}, None, id="7 days ago is outside 7"),
        pytest.param((note(at(9), NoteKind.PROGRESS, BI),), {}, None, id="not a crisis note"),
        pytest.param(
            (note(at(9), NoteKind.CRISIS), note(at(5), NoteKind.CRISIS)),
            {},
            (HIGH, at(5), {"days": ["2026-12-05", "2026-12-09"]}),
            id="two: since the first",
        ),
        pytest.param(
            (note(at(9), NoteKind.CRISIS),),
            {"in_care": False},
            (HIGH, at(9), {"days": ["2026-12-09"]}),
            id="after discharge too",
        ),
        pytest.param(
            (note(at(9), NoteKind.CRISIS),),
            {"admitted_on": date(2026, 12, 10)},
            None,
            id="before the readmission",
        ),
    ],
)
def test_crisis_note(notes, kwargs, expected):
    assert run(crisis_note, facts(notes=notes, **kwargs)) == expected


# --- family_needs_help and relapse_reported ---------------------------------------------------


def checkin(when: datetime, answer: CheckinAnswer = CheckinAnswer.HELP) -> CheckinFact:
    return CheckinFact(when, answer)


@pytest.mark.parametrize(
    ("checkins", "expected"),
    [
        pytest.param(
            (checkin(nov(11)),), (HIGH, nov(11), {"days": ["2026-11-11"]}), id="29 days ago"
        ),
        pytest.param((checkin(nov(10)),), None, id="30 days ago is outside 30"),
        pytest.param((checkin(at(9), CheckinAnswer.OK),), None, id="all well"),
        pytest.param(
            (checkin(at(9)), checkin(at(2)), checkin(at(5), CheckinAnswer.OK)),
            (HIGH, at(2), {"days": ["2026-12-02", "2026-12-09"]}),
            id="two follow-ups asked for help",
        ),
        pytest.param((), None, id="no answer"),
    ],
)
def test_family_needs_help(checkins, expected):
    client = facts(checkins=checkins, in_care=False)
    assert run(family_needs_help, client) == expected


def outcome(when: datetime, value: FollowupOutcome) -> OutcomeFact:
    return OutcomeFact(when, value)


RELAPSED, ABSTINENT = FollowupOutcome.RELAPSED, FollowupOutcome.ABSTINENT


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        pytest.param(
            (outcome(at(2), RELAPSED),), (HIGH, at(2), {"days": ["2026-12-02"]}), id="relapsed"
        ),
        pytest.param(
            (outcome(at(2), RELAPSED), outcome(at(6), ABSTINENT)), None, id="a later outcome"
        ),
        pytest.param(
            (outcome(at(6), FollowupOutcome.LOST_CONTACT), outcome(at(2), RELAPSED)),
            None,
            id="any later outcome, whatever order they come in",
        ),
        pytest.param(
            (outcome(nov(5), ABSTINENT), outcome(at(6), RELAPSED)),
            (HIGH, at(6), {"days": ["2026-12-06"]}),
            id="relapsed after abstinent",
        ),
        pytest.param(
            (outcome(nov(5), RELAPSED), outcome(at(6), RELAPSED)),
            (HIGH, nov(5), {"days": ["2026-11-05", "2026-12-06"]}),
            id="relapsed twice: since the first",
        ),
        pytest.param(
            (outcome(nov(2), RELAPSED),),
            (HIGH, nov(2), {"days": ["2026-11-02"]}),
            id="however long ago",
        ),
        pytest.param((), None, id="no outcome"),
    ],
)
def test_relapse_reported(outcomes, expected):
    assert run(relapse_reported, facts(outcomes=outcomes, in_care=False)) == expected


# --- evaluate, level_of -----------------------------------------------------------------------


def test_every_rule_of_the_vocabulary_is_evaluated():
    assert set(RULES) == set(RiskRule)


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        ((), RiskLevel.NONE),
        ((WATCH,), WATCH),
        ((WATCH, HIGH), HIGH),
        ((HIGH, WATCH), HIGH),
        ((WATCH, WATCH), WATCH),
    ],
)
def test_the_level_is_the_highest_reasons(levels, expected):
    reasons = [Reason(RiskRule.MISSED_SESSIONS, level, NOW, {}) for level in levels]
    assert level_of(reasons) == expected


def test_evaluate_lists_every_rule_that_holds_most_serious_first():
    client = facts(
        admitted_on=date(2026, 11, 20),
        attendances=sessions((3, X), (5, X)),
        notes=(note(at(4), NoteKind.CRISIS, BI), note(at(6), NoteKind.BEHAVIOUR, CA)),
    )
    reasons = evaluate(client, DEFAULTS, NOW)
    assert [(r.rule, r.level) for r in reasons] == [
        (RiskRule.CRISIS_NOTE, HIGH),
        (RiskRule.CONSECUTIVE_ABSENCES, HIGH),
        (RiskRule.NO_RECENT_SESSION, WATCH),
        (RiskRule.MISSED_SESSIONS, WATCH),
        (RiskRule.BEHAVIOUR_NOTES, WATCH),
    ]
    assert level_of(reasons) == HIGH


def test_a_client_with_nothing_against_them_is_not_flagged():
    client = facts(admitted_on=date(2026, 12, 1), attendances=sessions((3, A), (5, X), (8, A)))
    assert evaluate(client, DEFAULTS, NOW) == []


def test_a_readmission_starts_a_fresh_window():
    before = facts(
        admitted_on=date(2026, 11, 1),
        attendances=sessions((1, X), (2, X)),
        notes=(note(at(2), NoteKind.CRISIS),),
    )
    assert level_of(evaluate(before, DEFAULTS, at(3))) == HIGH
    readmitted = replace(before, admitted_on=date(2026, 12, 3))
    assert evaluate(readmitted, DEFAULTS, at(4)) == []


def test_now_must_say_its_offset():
    with pytest.raises(ValueError, match="aware"):
        evaluate(facts(), DEFAULTS, datetime(2026, 12, 10, 12, 0))


# --- details ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "params", "id_text", "en_text"),
    [
        (
            RiskRule.CONSECUTIVE_ABSENCES,
            {"count": 2, "days": ["2026-12-03", "2026-12-05"]},
            "2 sesi berturut-turut tidak hadir: 3 dan 5 Desember",
            "2 sessions missed in a row: 3 and 5 December",
        ),
        (
            RiskRule.MISSED_SESSIONS,
            {"count": 2, "last": 4, "days": ["2026-11-28", "2026-12-05"]},
            "Tidak hadir di 2 dari 4 sesi terakhir: 28 November dan 5 Desember",
            "2 of the last 4 sessions missed: 28 November and 5 December",
        ),
        (
            RiskRule.NO_RECENT_SESSION,
            {"days_without": 16, "last_attended": ["2026-11-24"], "admitted_on": "2026-11-01"},
            "16 hari tanpa sesi yang dihadiri (terakhir 24 November)",
            "No session attended for 16 days (last on 24 November)",
        ),
        (
            RiskRule.NO_RECENT_SESSION,
            {"days_without": 14, "last_attended": [], "admitted_on": "2026-11-26"},
            "Belum ada sesi yang dihadiri dalam 14 hari sejak masuk (26 November)",
            "No session attended in the 14 days since admission (26 November)",
        ),
        (
            RiskRule.BEHAVIOUR_NOTES,
            {"count": 2, "window_days": 14, "days": ["2026-12-03", "2026-12-09"]},
            "2 catatan perilaku tidak konsisten atau sikap tertutup dalam 14 hari: "
            "3 dan 9 Desember",
            "2 notes of inconsistent behaviour or a closed attitude in 14 days: 3 and 9 December",
        ),
        (
            RiskRule.CRISIS_NOTE,
            {"days": ["2026-12-09"]},
            "Catatan krisis: 9 Desember",
            "Crisis note: 9 December",
        ),
        (
            RiskRule.FAMILY_NEEDS_HELP,
            {"days": ["2026-12-09"]},
            "Keluarga meminta bantuan pada bimbingan lanjut: 9 Desember",
            "The family asked for help at a follow-up check-in: 9 December",
        ),
        (
            RiskRule.RELAPSE_REPORTED,
            {"days": ["2026-12-31", "2027-01-02"]},
            "Kambuh dilaporkan pada bimbingan lanjut: 31 Desember 2026 dan 2 Januari 2027",
            "Relapse reported at a follow-up: 31 December 2026 and 2 January 2027",
        ),
    ],
)
def test_each_reason_says_what_it_rests_on_in_both_languages(rule, params, id_text, en_text):
    reason = Reason(rule, HIGH, NOW, params)
    assert reason.detail == {Locale.ID: id_text, Locale.EN: en_text}


def test_every_rule_has_its_words():
    for rule in RiskRule:
        reason = Reason(rule, HIGH, NOW, {"days": ["2026-12-03"], "admitted_on": "2026-12-01"})
        assert set(reason.detail) == set(Locale)


@pytest.mark.parametrize(
    ("days", "id_text", "en_text"),
    [
        ([date(2026, 12, 3)], "3 Desember", "3 December"),
        ([date(2026, 12, 5), date(2026, 12, 3)], "3 dan 5 Desember", "3 and 5 December"),
        (
            [date(2026, 11, 28), date(2026, 11, 30), date(2026, 12, 2)],
            "28, 30 November, dan 2 Desember",
            "28, 30 November, and 2 December",
        ),
    ],
)
def test_days_are_written_as_people_write_them(days, id_text, en_text):
    assert (days_phrase(days, Locale.ID), days_phrase(days, Locale.EN)) == (id_text, en_text)


def test_a_stored_reason_is_the_reason_computed():
    reasons = evaluate(
        facts(attendances=sessions((3, X), (5, X)), admitted_on=date(2026, 12, 1)), DEFAULTS, NOW
    )
    kept = SimpleNamespace(reasons=dump_reasons(reasons))
    assert stored_reasons(kept) == reasons
    assert stored_reasons(SimpleNamespace(reasons="[]")) == []


# --- thresholds -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ({}, DEFAULTS),
        ({"crisis_note_days": 3}, Thresholds(crisis_note_days=3)),
        ({"crisis_note_days": 0}, DEFAULTS),
        ({"crisis_note_days": 91}, DEFAULTS),
        ({"crisis_note_days": "3"}, DEFAULTS),
        ({"crisis_note_days": True}, DEFAULTS),
        ({"crisis_note_days": 3.0}, DEFAULTS),
        ({"unknown": 3}, DEFAULTS),
        ({"consecutive_absences": 1}, DEFAULTS),
        (
            {"missed_sessions_absent": 3, "missed_sessions_last": 6},
            Thresholds(missed_sessions_absent=3, missed_sessions_last=6),
        ),
        ({"missed_sessions_absent": 5, "missed_sessions_last": 4}, DEFAULTS),
    ],
)
def test_stored_thresholds_are_read_tolerantly(stored, expected):
    assert thresholds_from(stored) == expected


def test_the_defaults_are_the_contracts():
    assert DEFAULTS == Thresholds(
        consecutive_absences=2,
        missed_sessions_absent=2,
        missed_sessions_last=4,
        no_recent_session_days=14,
        behaviour_notes_count=2,
        behaviour_notes_days=14,
        crisis_note_days=7,
        family_needs_help_days=30,
    )
    with pytest.raises(AttributeError):
        DEFAULTS.crisis_note_days = 3  # type: ignore[misc]


def test_one_day_more_or_less_decides():
    client = facts(notes=(note(NOW - timedelta(days=6), NoteKind.CRISIS),))
    assert run(crisis_note, client)[0] == HIGH
    assert run(crisis_note, client, now=NOW + timedelta(days=1)) is None
