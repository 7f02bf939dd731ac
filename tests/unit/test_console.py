"""The staff console's pure rules: lock-out, caseload, charts, its catalogue, its tokens."""

from __future__ import annotations

import re
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import jwt
import pytest

from services.console import lockout
from services.console.caseload import build_caseload
from services.console.charts import bar_chart
from services.console.config import console_config
from services.console.texts import MESSAGES
from shared.auth import (
    CONSOLE_AUDIENCE,
    Caller,
    decode_token,
    issue_console_token,
    issue_token,
)
from shared.problems import Unauthorized
from shared.rate_limit import AuthFailureLimiter
from shared.settings import ConfigurationError, Settings

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LOCK = timedelta(minutes=15)
SECRET = "unit-test-secret-0123456789abcdef0123456789"
CONSOLE_KEY = "unit-test-console-key-0123456789abcdef01234"
CONSOLE_DIR = Path(__file__).resolve().parents[2] / "services" / "console"


# --- lock-out --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("failures", "locked_until", "expected_failures", "expected_locked"),
    [
        (0, None, 1, False),
        (3, None, 4, False),
        (4, None, 5, True),  # the fifth failure locks
        (5, NOW + timedelta(minutes=3), 5, True),  # locked: nothing changes, no extension
        (5, NOW - timedelta(seconds=1), 1, False),  # a lock that ran out: counting starts again
    ],
)
def test_after_failure(failures, locked_until, expected_failures, expected_locked):
    state = lockout.after_failure(lockout.LockState(failures, locked_until), NOW, 5, LOCK)
    assert state.failures == expected_failures
    assert lockout.is_locked(state, NOW) is expected_locked
    if expected_locked and locked_until is None:
        assert state.locked_until == NOW + LOCK


def test_a_lock_ends_after_its_duration():
    state = lockout.LockState(5, NOW + LOCK)
    assert lockout.is_locked(state, NOW + LOCK - timedelta(seconds=1))
    assert not lockout.is_locked(state, NOW + LOCK)
    assert lockout.after_success() == lockout.LockState(0, None)


# --- caseload --------------------------------------------------------------------------------


def _client(cid: str, status: str = "admitted", worker: str | None = "sw-1") -> dict:
    return {"id": cid, "code": cid.upper(), "status": status, "case_worker_id": worker}


def _at(hours: float) -> str:
    return (NOW + timedelta(hours=hours)).isoformat()


def test_caseload_keeps_my_clients_in_care_and_what_is_late():
    clients = [
        _client("a"),
        _client("b", worker="sw-2"),
        _client("c", status="discharged"),
        _client("d", status="discharged"),
        _client("e", status="registered"),
    ]
    sessions = [
        {
            "id": "s2",
            "kind": "family",
            "client_ids": ["a"],
            "starts_at": _at(48),
            "status": "scheduled",
        },
        {
            "id": "s1",
            "kind": "individual",
            "client_ids": ["a", "b"],
            "starts_at": _at(2),
            "status": "scheduled",
        },
        {
            "id": "s0",
            "kind": "group",
            "client_ids": ["e"],
            "starts_at": _at(1),
            "status": "cancelled",
        },
    ]
    due = [
        {"client_id": "e", "status": "due", "due_at": _at(-1)},
        {"client_id": "a", "status": "due", "due_at": _at(5)},
    ]
    followups = [
        {"client_id": "c", "due_on": "2026-03-01", "outcome": None},
        {"client_id": "d", "due_on": "2026-03-01", "outcome": "abstinent"},
    ]
    rows = build_caseload(
        clients, sessions, due, followups, now=NOW, today=NOW.date(), case_worker_id="sw-1"
    )
    assert [r.client["id"] for r in rows] == ["c", "e", "a"]  # late first, then by code
    by_id = {r.client["id"]: r for r in rows}
    assert by_id["a"].next_session["id"] == "s1" and not by_id["a"].needs_attention
    assert by_id["e"].overdue_assessment and by_id["e"].next_session is None  # cancelled
    assert len(by_id["c"].overdue_followups) == 1
    everyone = build_caseload(
        clients, sessions, due, followups, now=NOW, today=NOW.date(), case_worker_id=None
    )
    assert {r.client["id"] for r in everyone} == {"a", "b", "c", "e"}
    searched = build_caseload(
        clients, [], [], [], now=NOW, today=NOW.date(), case_worker_id=None, every_status=True
    )
    assert len(searched) == 5


# --- charts ----------------------------------------------------------------------------------


def test_bars_are_scaled_to_the_largest_value():
    chart = bar_chart([("a", 10), ("b", 5), ("c", 0)])
    widths = [bar.width for bar in chart.bars]
    assert widths[0] == 2 * widths[1] and widths[2] == 0
    assert [bar.text for bar in chart.bars] == ["10", "5", "0"]
    assert chart.height == 3 * (chart.bars[1].y - chart.bars[0].y)


def test_percent_bars_scale_to_one_and_empty_charts_have_room_for_a_line():
    chart = bar_chart([("x", 0.5), ("y", 1.0)], percent=True)
    assert [bar.text for bar in chart.bars] == ["50 %", "100 %"]
    assert chart.bars[1].width == 2 * chart.bars[0].width
    assert bar_chart([]).bars == [] and bar_chart([]).height > 0


# --- the catalogue ---------------------------------------------------------------------------


def test_every_message_has_both_languages_and_the_same_placeholders():
    for key, (indonesian, english) in MESSAGES.items():
        assert indonesian.strip() and english.strip(), key
        fields = re.compile(r"\{(\w+)\}")
        assert set(fields.findall(indonesian)) == set(fields.findall(english)), key


def test_every_key_the_pages_use_is_in_the_catalogue():
    used = set()
    for path in [*CONSOLE_DIR.glob("templates/*.html"), *CONSOLE_DIR.rglob("*.py")]:
        text = path.read_text()
        used |= set(re.findall(r"""_\(\s*['"]([a-z_]+\.[a-z_.]+)['"]""", text))
        used |= set(re.findall(r"""['"]((?:field|hint|flash|error)\.[a-z_]+)['"]""", text))
        used |= set(re.findall(r"""Lazy\(\s*"([a-z_]+\.[a-z_]+)""", text))
    missing = sorted(k for k in used if k not in MESSAGES and not k.endswith(".html"))
    assert not missing


# --- console tokens --------------------------------------------------------------------------


def test_a_console_token_names_its_user_and_audience():
    token = issue_console_token(CONSOLE_KEY, sub="staff-1", role="counselor", foundation="yakita")
    claims = jwt.decode(token, CONSOLE_KEY, algorithms=["HS256"], audience=CONSOLE_AUDIENCE)
    assert claims["exp"] - claims["iat"] == 300
    assert decode_token(SECRET, token, console_key=CONSOLE_KEY) == Caller(
        "staff-1", "counselor", "yakita"
    )


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(
            lambda: jwt.encode(
                {"sub": "x", "role": "operator", "aud": CONSOLE_AUDIENCE, "exp": time.time() + 60},
                CONSOLE_KEY,
            ),
            id="operator",
        ),
        pytest.param(
            lambda: jwt.encode(
                {"sub": "x", "role": "admin", "foundation": "f", "exp": time.time() + 60},
                CONSOLE_KEY,
            ),
            id="no-audience",
        ),
        pytest.param(
            lambda: jwt.encode(
                {
                    "sub": "x",
                    "role": "admin",
                    "foundation": "f",
                    "aud": CONSOLE_AUDIENCE,
                    "exp": time.time() + 60,
                },
                SECRET,
            ),
            id="main-key-console-audience",
        ),
        pytest.param(
            lambda: issue_token(CONSOLE_KEY, sub="x", role="admin", foundation="f"),
            id="issue_token-with-console-key",
        ),
    ],
)
def test_console_key_tokens_that_are_refused(token):
    with pytest.raises(Unauthorized):
        decode_token(SECRET, token(), console_key=CONSOLE_KEY)


def test_without_a_console_key_no_console_token_is_accepted():
    token = issue_console_token(CONSOLE_KEY, sub="s", role="admin", foundation="f")
    with pytest.raises(Unauthorized):
        decode_token(SECRET, token)
    main = issue_token(SECRET, sub="op", role="operator")
    assert decode_token(SECRET, main, console_key=CONSOLE_KEY).role == "operator"


@pytest.mark.parametrize("role", ["operator", "superuser"])
def test_the_console_never_mints_a_token_beyond_foundation_roles(role):
    with pytest.raises(ValueError):
        issue_console_token(CONSOLE_KEY, sub="s", role=role, foundation="f")


# --- configuration ---------------------------------------------------------------------------


def _settings(environment: str = "development", console_key: str = CONSOLE_KEY) -> Settings:
    return Settings(
        environment=environment,
        secret_key=SECRET,
        data_keys=("k",),
        redis_url="redis://x",
        database_urls={"console": "sqlite:///console.sqlite"},
        var_dir=Path("var"),
        console_key=console_key,
    )


def test_development_defaults_and_ports():
    config = console_config(_settings(), {"INTAKE_PORT": "7001"})
    assert config.api_urls == {
        "intake": "http://127.0.0.1:7001",
        "assessment": "http://127.0.0.1:5002",
        "notifications": "http://127.0.0.1:5003",
    }
    assert not config.secure_cookies and config.lockout_failures == 5
    assert config.derived_key("a") != config.derived_key("b") != CONSOLE_KEY


def test_production_names_the_apis_and_sets_secure_cookies():
    with pytest.raises(ConfigurationError, match="CONSOLE_INTAKE_URL"):
        console_config(_settings("production"), {})
    urls = {
        f"CONSOLE_{s}_URL": f"http://{s.lower()}:1/"
        for s in ("INTAKE", "ASSESSMENT", "NOTIFICATIONS")
    }
    config = console_config(_settings("production"), urls)
    assert config.secure_cookies and config.api_urls["intake"] == "http://intake:1"
    with pytest.raises(ConfigurationError, match="PENDAMPING_CONSOLE_KEY"):
        console_config(_settings(console_key=""), {})


def test_dates_in_both_languages():
    from flask import Flask, g

    from services.console.i18n import format_day, format_moment, label, t

    app = Flask(__name__)
    with app.test_request_context():
        g.locale = "id"
        assert format_day(date(2026, 8, 17)) == "17 Agu 2026"
        moment = format_moment("2026-08-17T03:00:00+00:00", "Asia/Jakarta")
        assert moment == "Sen 17 Agu 2026, 10:00"
        assert label("status", "admitted") == "Dirawat" and label("status", "odd") == "odd"
        g.locale = "en"
        assert format_day("2026-08-17") == "17 Aug 2026"
        assert t("client.minutes", n=60) == "60 min"


def test_a_due_assessment_reads_without_a_doubled_word():
    from flask import Flask, g

    from services.console.i18n import label, t

    # the care card shows the status badge, then when it is due
    with Flask(__name__).test_request_context():
        for locale in ("id", "en"):
            g.locale = locale
            words = f"{label('assessment', 'due')} {t('client.due_at', due='17 Aug')}".split()
            doubled = [a for a, b in zip(words, words[1:], strict=False) if a.lower() == b.lower()]
            assert not doubled, (locale, words)


# --- the client page's forms -----------------------------------------------------------------

RATED = {
    "withdrawal": "1",
    "biomedical": "0",
    "emotional_behavioral": "3",
    "readiness_to_change": "2",
    "relapse_potential": "2",
    "recovery_environment": "1",
}


def _posted(form_class, data: dict, locale: str = "id", **kwargs):
    """``form_class`` as posted with ``data`` (validated), in ``locale``."""
    from flask import Flask, g
    from werkzeug.datastructures import MultiDict

    app = Flask(__name__)
    app.config.update(SECRET_KEY="unit", WTF_CSRF_ENABLED=False)
    with app.test_request_context(method="POST", data=MultiDict(data)):
        g.locale = locale
        form = form_class(**kwargs)
        form.validate()
        errors = {name: [str(e) for e in messages] for name, messages in form.errors.items()}
        return form, errors


def _assessment(**changes):
    from services.console.forms.care import AssessmentForm

    return _posted(AssessmentForm, {**RATED, **changes})


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, {}),
        ({"withdrawal": ""}, {"withdrawal": ["Wajib diisi."]}),
        ({"biomedical": "5"}, {"biomedical": ["Pilihan tidak dikenal."]}),
        (
            {"level_override": "outpatient"},
            {"override_reason": ["Tuliskan alasan memakai tingkat layanan lain."]},
        ),
        (
            {"level_override": "outpatient", "override_reason": "   "},
            {"override_reason": ["Tuliskan alasan memakai tingkat layanan lain."]},
        ),
        (
            {"override_reason": "karena"},
            {"level_override": ["Pilih tingkat layanan yang dipakai, atau kosongkan alasannya."]},
        ),
        ({"level_override": "intensive_outpatient", "override_reason": "bekerja"}, {}),
        (
            {"level_override": "hospital", "override_reason": "x"},
            {"level_override": ["Pilihan tidak dikenal."]},
        ),
        ({"strengths": "\n".join(["baris"] * 31)}, {"strengths": ["Paling banyak 30 baris."]}),
        (
            {"limitations": "x" * 301},
            {"limitations": ["Setiap baris paling banyak 300 karakter."]},
        ),
        ({"notes": "x" * 5001}, {"notes": ["Paling banyak 5000 karakter."]}),
    ],
)
def test_assessment_form(changes, expected):
    _, errors = _assessment(**changes)
    assert errors == expected


def test_assessment_form_sends_ratings_as_numbers_and_one_item_per_line():
    form, errors = _assessment(strengths="  Keluarga mendukung \n\n Mau bekerja\n", notes=" ")
    assert not errors
    assert form.to_api() == {
        "dimensions": {k: int(v) for k, v in RATED.items()},
        "strengths": ["Keluarga mendukung", "Mau bekerja"],
        "limitations": [],
        "notes": None,
        "level_override": None,
        "override_reason": None,
    }
    assert form.field_for("dimensions.relapse_potential") is form.relapse_potential
    assert form.field_for("strengths.4") is form.strengths
    assert form.field_for("dimensions") is None and form.field_for("csrf_token") is None


def test_assessment_errors_in_english():
    from services.console.forms.care import AssessmentForm

    _, errors = _posted(AssessmentForm, {**RATED, "withdrawal": "", "override_reason": "x"}, "en")
    assert errors == {
        "withdrawal": ["Required."],
        "level_override": ["Choose the level used instead, or leave the reason empty."],
    }


def test_the_placement_form_offers_programmes_with_their_free_places():
    from flask import Flask, g

    from services.console.forms.care import PlacementForm

    form, errors = _posted(PlacementForm, {"program_id": "", "start_on": "2026-13-01"})
    assert errors == {
        "program_id": ["Wajib diisi."],
        "start_on": ["Tanggal tidak valid (TTTT-BB-HH)."],
    }
    assert form.start_on.raw == "2026-13-01"  # kept as typed
    form, errors = _posted(PlacementForm, {"program_id": "p1", "start_on": "2026-08-17"})
    assert not errors
    assert form.to_api("c1") == {"client_id": "c1", "program_id": "p1", "start_on": "2026-08-17"}
    form.offer(
        [
            {"id": "p1", "name": "Rumah Damai", "available": 3, "capacity": 20},
            {"id": "p2", "name": "Pasca-rawat", "available": 0, "capacity": 5},
        ]
    )
    with Flask(__name__).test_request_context():
        g.locale = "id"
        labels = [str(choice.label) for choice in form.program_id.choices]
    assert labels == [
        "–",
        "Rumah Damai – 3 dari 20 tempat tersedia",
        "Pasca-rawat – penuh (0 dari 5 tempat tersedia)",
    ]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"reason": "completed", "discharged_on": "2026-08-17"}, {}),
        ({"reason": "", "discharged_on": "2026-08-17"}, {"reason": ["Wajib diisi."]}),
        (
            {"reason": "escaped", "discharged_on": "2026-08-17"},
            {"reason": ["Pilihan tidak dikenal."]},
        ),
        ({"reason": "other", "discharged_on": ""}, {"discharged_on": ["Wajib diisi."]}),
        (
            {"reason": "other", "discharged_on": "17/08/2026"},
            {"discharged_on": ["Tanggal tidak valid (TTTT-BB-HH)."]},
        ),
    ],
)
def test_discharge_form(data, expected):
    from services.console.forms.care import DischargeForm

    form, errors = _posted(DischargeForm, data)
    assert errors == expected
    if not expected:
        assert form.to_api() == {"reason": "completed", "discharged_on": "2026-08-17"}


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"outcome": "relapsed", "notes": " Kembali memakai. "}, {}),
        ({"outcome": "", "notes": "x"}, {"outcome": ["Wajib diisi."]}),
        ({"outcome": "cured"}, {"outcome": ["Pilihan tidak dikenal."]}),
        ({"outcome": "other", "notes": "x" * 5001}, {"notes": ["Paling banyak 5000 karakter."]}),
    ],
)
def test_followup_form(data, expected):
    from services.console.forms.care import FollowupForm

    form, errors = _posted(FollowupForm, data)
    assert errors == expected
    if not expected:
        assert form.to_api() == {"outcome": "relapsed", "notes": "Kembali memakai."}


@pytest.mark.parametrize(
    ("data", "family_session", "expected_errors", "body"),
    [
        ({"status": "attended", "family_attended": "y"}, True, {}, {"family_attended": True}),
        ({"status": "absent"}, True, {}, {"family_attended": False}),
        ({"status": "excused", "family_attended": "y"}, False, {}, {}),  # not a family session
        ({}, True, {"status": ["Pilih salah satu."]}, None),
        ({"status": "late"}, False, {"status": ["Pilih salah satu."]}, None),
    ],
)
def test_attendance_form(data, family_session, expected_errors, body):
    from services.console.forms.sessions import AttendanceForm

    form, errors = _posted(AttendanceForm, data)
    assert errors == expected_errors
    if body is not None:
        sent = form.to_api("c1", family_session)
        assert sent == {"client_id": "c1", "status": data["status"], **body}


def test_dast10_answers_in_questionnaire_order_and_unanswered_questions():
    from services.console.forms.screening import DAST_QUESTIONS, Dast10Form

    answers = {name: "no" for name in DAST_QUESTIONS} | {"q1": "yes", "q10": "yes"}
    form, errors = _posted(Dast10Form, answers)
    assert not errors
    assert form.to_api() == {
        "instrument": "DAST-10",
        "answers": [True, False, False, False, False, False, False, False, False, True],
    }
    form, errors = _posted(Dast10Form, {**answers, "q3": "maybe", "q7": ""})
    assert errors == {"q3": ["Pilih salah satu."], "q7": ["Pilih salah satu."]}
    assert form.field_for("answers.2") is form.q3
    assert form.field_for("answers.10") is None and form.field_for("answers") is None


def test_the_ten_dast_questions_are_in_both_languages():
    from services.console.forms.screening import DAST_QUESTIONS

    assert len(DAST_QUESTIONS) == 10
    for name in DAST_QUESTIONS:
        indonesian, english = MESSAGES[f"dast.{name}"]
        assert indonesian.startswith("Apakah") and english.endswith("?")
    assert "always able to stop" in MESSAGES["dast.q3"][1]  # the reverse-scored item


@pytest.mark.parametrize(
    ("data", "expected_errors", "guardian"),
    [
        ({"contact_family": "y", "given_by": "client", "guardian_name": "Bu Ani"}, {}, None),
        ({"given_by": "guardian", "guardian_name": " Bu Ani "}, {}, "Bu Ani"),
        ({"given_by": "guardian"}, {"guardian_name": ["Sebutkan nama wali."]}, None),
        ({"given_by": "uncle"}, {"given_by": ["Pilihan tidak dikenal."]}, None),
    ],
)
def test_consent_form(data, expected_errors, guardian):
    from services.console.forms.family import ConsentForm

    form, errors = _posted(ConsentForm, data)
    assert errors == expected_errors
    if not expected_errors:
        body = form.to_api()
        assert body["contact_family"] is ("contact_family" in data)
        assert body["share_progress"] is False and body["guardian_name"] == guardian
    assert form.field_for("consent.given_by") is form.given_by


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, {}),
        ({"name": ""}, {"name": ["Wajib diisi."]}),
        ({"relationship": " "}, {"relationship": ["Wajib diisi."]}),
        ({"phone": ""}, {"phone": ["Nomor telepon diperlukan untuk SMS/WhatsApp."]}),
        (
            {"channel": "email"},
            {"email": ["Alamat email diperlukan untuk saluran email."]},
        ),
        ({"channel": "pigeon"}, {"channel": ["Pilihan tidak dikenal."]}),
    ],
)
def test_family_contact_form(changes, expected):
    from services.console.forms.family import FamilyContactEditForm

    data = {
        "name": "Pak Joko",
        "relationship": "paman",
        "phone": "0813 1111 2222",
        "channel": "whatsapp",
        "locale": "id",
        **changes,
    }
    form, errors = _posted(FamilyContactEditForm, data)
    assert errors == expected
    if not expected:
        assert form.to_api() == {
            "name": "Pak Joko",
            "relationship": "paman",
            "phone": "0813 1111 2222",
            "email": None,
            "channel": "whatsapp",
            "locale": "id",
            "may_contact": False,  # unticked: never to be contacted
        }


def test_caseload_lists_follow_ups_due_within_the_week():
    from services.console.caseload import followups_due

    clients = [_client("d", status="discharged"), _client("e", status="discharged")]
    followups = [
        {"id": "f1", "client_id": "d", "due_on": "2026-03-09", "outcome": None},  # in 7 days
        {"id": "f2", "client_id": "d", "due_on": "2026-03-10", "outcome": None},  # in 8: later
        {"id": "f3", "client_id": "e", "due_on": "2026-03-02", "outcome": None},  # today
        {"id": "f4", "client_id": "e", "due_on": "2026-02-01", "outcome": None},  # overdue
        {"id": "f5", "client_id": "e", "due_on": "2026-03-03", "outcome": "relapsed"},
    ]
    rows = build_caseload(
        clients, [], [], followups, now=NOW, today=NOW.date(), case_worker_id="sw-1"
    )
    by_id = {r.client["id"]: r for r in rows}
    assert [f["id"] for f in by_id["d"].due_followups] == ["f1"]
    assert [f["id"] for f in by_id["e"].due_followups] == ["f3"]
    assert [f["id"] for f in by_id["e"].overdue_followups] == ["f4"]
    assert all(r.needs_attention for r in rows)
    due = followups_due(rows)
    assert [(d.followup["id"], d.overdue) for d in due] == [
        ("f4", True),
        ("f3", False),
        ("f1", False),
    ]
    # a discharged client with nothing due is not on the caseload
    later = build_caseload(
        clients, [], [], followups[1:2], now=NOW, today=NOW.date(), case_worker_id="sw-1"
    )
    assert later == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"day": "kemarin"}, {"day": ["Tanggal tidak valid (TTTT-BB-HH)."]}),
        ({"day": "  "}, {"day": ["Wajib diisi."]}),
        ({"duration_minutes": "satu jam"}, {"duration_minutes": ["Masukkan bilangan bulat."]}),
        ({"duration_minutes": ""}, {"duration_minutes": ["Wajib diisi."]}),
    ],
)
def test_a_required_date_or_number_typed_wrongly_keeps_its_own_message(changes, expected):
    from services.console.forms.sessions import SessionForm

    data = {"kind": "family", "day": "2026-08-17", "time": "10:00", "duration_minutes": "60"}
    _, errors = _posted(SessionForm, {**data, **changes})
    assert errors == expected


# --- why a message did not go ----------------------------------------------------------------


def test_a_message_reason_is_shown_by_its_code_and_else_as_the_api_gave_it(monkeypatch):
    from flask import Flask, g

    from services.console.i18n import message_reason
    from services.console.texts import codes

    notifications = codes.MODULES["notifications"].REASONS
    monkeypatch.setitem(
        notifications, "example_held", ("ditahan sampai {until}", "held until {until}")
    )
    held = {"reason_code": "example_held", "reason": "held until 09:00", "until": "09:00"}
    # outside a request the console speaks Bahasa Indonesia
    assert message_reason(held) == "ditahan sampai 09:00"
    with Flask(__name__).test_request_context():
        g.locale = "en"
        assert message_reason(held) == "held until 09:00"
    # a row from before reason codes, or a code this console does not know yet: the API's words
    assert message_reason({"reason_code": None, "reason": "recipient opted out"}) == (
        "recipient opted out"
    )
    assert message_reason({"reason_code": "newer_code", "reason": "as sent"}) == "as sent"
    assert message_reason({"reason_code": "example_held"}) == "ditahan sampai"  # no member
    assert message_reason({}) == ""


# --- WHO ASSIST --------------------------------------------------------------------------------


def test_assist_sends_only_the_substances_answered_and_maps_api_paths_to_questions():
    from services.console.forms.screening import AssistForm, assist_questions

    form, errors = _posted(
        AssistForm,
        {"alcohol_q2": "never", "alcohol_q6": "never", "alcohol_q7": "yes_past_3_months"},
    )
    assert errors == {}
    assert form.to_api() == {
        "instrument": "ASSIST",
        "answers": {"alcohol": {"q2": "never", "q6": "never", "q7": "yes_past_3_months"}},
    }
    assert assist_questions("tobacco") == ("q2", "q3", "q4", "q6", "q7")
    assert form.field_for("answers.opioids.q4") is form["opioids_q4"]
    assert form.field_for("answers.cocaine") is form["cocaine_q2"]  # the substance: its first
    assert form.field_for("answers.tobacco.q5") is None  # not asked: above the form
    assert form.field_for("answers.glue.q2") is None and form.field_for("answers") is None

    nothing, _ = _posted(AssistForm, {})
    assert not nothing.validate() and nothing.api_errors == [
        "Isi pertanyaan untuk setidaknya satu zat yang pernah dipakai."
    ]
    _, unknown = _posted(AssistForm, {"cannabis_q2": "sometimes"})
    assert unknown == {"cannabis_q2": ["Pilihan tidak dikenal."]}


def test_a_date_no_api_takes_is_refused_on_the_form_not_sent():
    from services.console.forms.care import GoalForm

    for typed in ("1800-01-01", "9999-12-31", "31-12-2026"):
        form, errors = _posted(GoalForm, {"text": "Bekerja lagi", "target_date": typed})
        assert list(errors) == ["target_date"] and form.target_date.data is None, typed
    _, fine = _posted(GoalForm, {"text": "Bekerja lagi", "target_date": "2199-12-31"})
    assert fine == {}


class _Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_an_address_with_too_many_failures_waits_until_its_window_ends():
    clock = _Clock()
    throttle = AuthFailureLimiter(None, namespace="console", window_seconds=900, clock=clock)
    for _ in range(2):
        throttle.record_failure("10.0.0.7", 3)
    assert throttle.wait_seconds("10.0.0.7", 3) is None  # two failures: still free
    throttle.record_failure("10.0.0.7", 3)
    assert throttle.wait_seconds("10.0.0.7", 3) == 900
    assert throttle.wait_seconds("10.0.0.8", 3) is None  # another address is not affected
    clock.now += 899.5
    assert throttle.wait_seconds("10.0.0.7", 3) == 1
    clock.now += 0.5  # the window ends: a new one starts with the next failure
    assert throttle.wait_seconds("10.0.0.7", 3) is None
    throttle.record_failure("10.0.0.7", 3)
    assert throttle.wait_seconds("10.0.0.7", 3) is None


def test_an_address_throttle_with_no_limit_never_refuses():
    throttle = AuthFailureLimiter(None, namespace="console", window_seconds=900)
    for _ in range(50):
        throttle.record_failure("10.0.0.7", 0)
    assert throttle.wait_seconds("10.0.0.7", 0) is None
