"""What fuzzing (and probing around what it found) turned up, each kept as a focused test.

- Error responses were documented as flask-smorest's ``{code, status, message}`` JSON while
  every service answers RFC 9457 problem+json: the documents now say what is answered.
- A NUL character in a path, query or body reached PostgreSQL, which refuses it: 500.
- A lone surrogate (``"\\ud800"``) reached the cipher, which cannot encode it: 500.
- A body nested a thousand levels deep, or an integer of 5,000 digits, broke the JSON
  parser: 500.
- Dates near year 1 or 9999 overflowed once an offset, a duration or a time zone was
  applied (sessions, reassessments, reports, calendar queries): 500.
- A name of 121 characters, the first a vertical tab, was accepted where the document says
  ``maxLength: 120``: the cap was checked only after trimming.
- A template body like ``{{ 'a' * 999999999 }}`` was accepted and rendered while checked:
  27 s and 4 GB for one request.
"""

from __future__ import annotations

import time

import pytest

from services.notifications.schemas import validate_template_source
from services.notifications.templates import DEFAULTS
from tests.conftest import PG_AVAILABLE
from tests.security.world import DIMENSIONS, PEOPLE, populate

FOUNDATION = "medan-plus"
PROBLEM = "application/problem+json"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request) -> str:
    """NUL characters hurt only on PostgreSQL: these run on both where it answers."""
    if request.param == "postgres" and not PG_AVAILABLE:
        pytest.skip("no PostgreSQL answers on 127.0.0.1:5432")
    return request.param


@pytest.fixture
def world(suite):
    return populate(suite, FOUNDATION, PEOPLE["a"])


def call(suite, service, method, path, body=None, raw=None):
    headers = suite.headers("admin", FOUNDATION)
    if raw is not None:
        headers["Content-Type"] = "application/json"
        return suite.client(service).open(path, method=method, data=raw, headers=headers)
    return suite.client(service).open(path, method=method, json=body, headers=headers)


def assert_field_error(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.get_json()
    assert body["status"] == status and body["type"] and body["title"] and body["detail"]
    if field is not None:
        assert field in body["errors"], body["errors"]
    return body


SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@SQLITE_ONLY
def test_documents_describe_errors_as_problem_json(suite):
    for service in ("intake", "assessment", "notifications"):
        spec = suite.client(service).get("/openapi.json").get_json()
        default = spec["components"]["responses"]["DEFAULT_ERROR"]
        (media_type,) = default["content"]
        assert media_type == PROBLEM
        schema = spec["components"]["schemas"]["Problem"]
        assert set(schema["required"]) == {"type", "title", "status", "detail", "code"}
        assert schema["properties"]["status"]["type"] == "integer"
        # the document lists the stable codes a client may meet
        assert {"validation_failed", "not_found"} <= set(schema["properties"]["code"]["enum"])
        for path, operations in spec["paths"].items():
            for method, operation in operations.items():
                if method != "parameters":
                    assert "default" in operation["responses"], (service, method, path)


NUL_IN_PATH = [
    ("intake", "/clients/%00"),
    ("intake", "/foundations/%00"),
    ("assessment", "/assessments/a%00b"),
    ("assessment", "/sessions/%00"),
    ("notifications", "/messages/%00"),
    ("notifications", "/templates/family.welcome%00"),
]


NUL_IN_QUERY = [
    ("intake", "/clients?q=%00", "q"),
    ("intake", "/audit?resource_id=x%00", "resource_id"),
    ("assessment", "/assessments?client_id=%00", "client_id"),
    ("assessment", "/sessions?client_id=%00", "client_id"),
    ("assessment", "/followups?client_id=%00", "client_id"),
    ("notifications", "/messages?client_id=%00", "client_id"),
    ("notifications", "/messages?template=%00", "template"),
]


def nul_bodies(world):
    client, active = world.ids["client"]
    return [
        (
            "intake",
            "POST",
            "/clients",
            {"full_name": "X", "case_worker_id": "\x00"},
            "case_worker_id",
        ),
        (
            "intake",
            "POST",
            "/clients",
            {
                "full_name": "X",
                "family_contacts": [
                    {
                        "name": "S\x00",
                        "relationship": "m",
                        "phone": "0812-3456-7890",
                        "channel": "sms",
                    }
                ],
            },
            "family_contacts.0.name",
        ),
        (
            "intake",
            "POST",
            f"/clients/{client}/screenings",
            {"instrument": "ASSIST", "answers": {"alc\x00": {"q2": "never"}}},
            "answers.alc\x00",
        ),
        ("assessment", "POST", "/assessments", {"client_id": "\x00"}, "client_id"),
        (
            "assessment",
            "POST",
            "/sessions",
            {
                "kind": "group",
                "client_ids": [active, "\x00"],
                "starts_at": "2030-01-01T10:00:00+07:00",
                "duration_minutes": 60,
            },
            "client_ids.1",
        ),
        (
            "notifications",
            "PUT",
            "/templates/family.welcome",
            {"body": "Halo {{ recipient_name }}\x00"},
            "body",
        ),
        (
            "notifications",
            "PUT",
            "/channels/sms",
            {"base_url": "https://sms.example", "api_key": "k\x00", "sender_id": "X"},
            "api_key",
        ),
    ]


def test_a_nul_character_never_reaches_the_database(suite, world):
    """In the path: 404; in the query or the body: 422 naming the field; nothing stored."""
    for service, path in NUL_IN_PATH:
        role = "operator" if "foundations" in path else "admin"
        response = suite.client(service).get(path, headers=suite.headers(role, FOUNDATION))
        assert_field_error(response, 404)
    for service, path, field in NUL_IN_QUERY:
        assert_field_error(call(suite, service, "GET", path), 422, field)
    before = call(suite, "intake", "GET", "/clients").get_json()["total"]
    for service, method, path, body, field in nul_bodies(world):
        assert_field_error(call(suite, service, method, path, body), 422, field)
    assert call(suite, "intake", "GET", "/clients").get_json()["total"] == before


UNREADABLE = [
    ("intake", "POST", "/clients", '{"full_name": "\\ud800"}', "full_name"),
    ("intake", "POST", "/staff", '{"name": "A\\udfff", "role": "admin"}', "name"),
    (
        "assessment",
        "POST",
        "/programs",
        '{"name": "\\ud83d", "kind": "outpatient", "capacity": 1, "duration_days": 1}',
        "name",
    ),
]
DEEP = [
    ("intake", "POST", "/clients"),
    ("assessment", "POST", "/sessions"),
    ("notifications", "PUT", "/channels/sms"),
]


@SQLITE_ONLY
def test_bodies_the_parser_or_the_cipher_cannot_take_are_refused(suite, world):
    for service, method, path, raw, field in UNREADABLE:  # lone surrogates
        assert_field_error(call(suite, service, method, path, raw=raw), 422, field)
    for service, method, path in DEEP:
        for depth in (40, 1_000, 100_000):
            raw = '{"a":' * depth + "1" + "}" * depth
            assert_field_error(call(suite, service, method, path, raw=raw), 422, "_body")
    raw = '{"full_name": "X", "use_duration_months": ' + "9" * 5000 + "}"
    assert_field_error(call(suite, "intake", "POST", "/clients", raw=raw), 400)
    # nested a little: still validated field by field
    raw = '{"full_name": "X", "referral": {"source": {"a": {"b": [1]}}}}'
    assert_field_error(call(suite, "intake", "POST", "/clients", raw=raw), 422, "referral.source")


def far_dates(world):
    client, active = world.ids["client"]
    session = world.ids["session"][0]
    return [
        (
            "assessment",
            "POST",
            "/sessions",
            {
                "kind": "family",
                "client_ids": [active],
                "duration_minutes": 60,
                "starts_at": "0001-01-01T00:00:00+14:00",
            },
            "starts_at",
        ),
        (
            "assessment",
            "POST",
            "/sessions",
            {
                "kind": "individual",
                "client_ids": [active],
                "duration_minutes": 600,
                "starts_at": "9999-12-31T23:00:00-12:00",
            },
            "starts_at",
        ),
        (
            "assessment",
            "PATCH",
            f"/sessions/{session}",
            {"starts_at": "9999-12-31T23:00:00-12:00"},
            "starts_at",
        ),
        (
            "assessment",
            "GET",
            "/sessions?starts_after=0001-01-01T00:00:00%2B14:00",
            None,
            "starts_after",
        ),
        (
            "assessment",
            "GET",
            "/sessions?starts_before=9999-12-31T23:59:59-12:00",
            None,
            "starts_before",
        ),
        (
            "assessment",
            "POST",
            "/assessments",
            {"client_id": client, "due_at": "0001-01-01T00:00:00+14:00"},
            "due_at",
        ),
        ("assessment", "GET", "/reports/obstacles?from=0001-01-01&to=9999-12-31", None, "from"),
        ("assessment", "GET", "/followups?due_before=9999-12-31", None, "due_before"),
        (
            "assessment",
            "POST",
            "/placements",
            {"client_id": active, "program_id": world.first("program"), "start_on": "9999-12-31"},
            "start_on",
        ),
        (
            "assessment",
            "POST",
            f"/clients/{active}/goals",
            {"text": "x", "target_date": "0001-01-01"},
            "target_date",
        ),
        (
            "assessment",
            "POST",
            f"/clients/{active}/discharge",
            {"reason": "completed", "discharged_on": "0001-01-01"},
            "discharged_on",
        ),
        ("intake", "GET", "/reports/ipwl?from=0001-01-01&to=2026-01-01", None, "from"),
        (
            "intake",
            "POST",
            f"/clients/{client}/admission",
            {"family_agreement": True, "admitted_on": "0001-01-01"},
            "admitted_on",
        ),
    ]


@SQLITE_ONLY
def test_dates_far_from_now_are_422_not_an_overflow(suite, world):
    for service, method, path, body, field in far_dates(world):
        body_out = assert_field_error(call(suite, service, method, path, body), 422, field)
        assert "1900-01-01" in str(body_out["errors"][field]), (path, body_out)


@SQLITE_ONLY
def test_dates_inside_the_range_still_work(suite, world):
    active = world.ids["client"][1]
    starts = "2199-12-31T10:00:00+07:00"
    session = call(
        suite,
        "assessment",
        "POST",
        "/sessions",
        {"kind": "individual", "client_ids": [active], "starts_at": starts, "duration_minutes": 60},
    )
    assert session.status_code == 201, session.get_json()
    report = call(suite, "assessment", "GET", "/reports/obstacles?from=1900-01-01&to=2199-12-31")
    assert report.status_code == 200
    assessed = call(
        suite,
        "assessment",
        "PUT",
        f"/assessments/{world.ids['assessment'][-1]}",
        {"dimensions": DIMENSIONS},
    )
    assert assessed.status_code == 200


AMPLIFYING_TEMPLATES = [
    "{{ 'a' * 999999999 }}",
    "{{ recipient_name * 999999999 }}",
    "{{ 9 ** 9 ** 9 }}",
    "{{ recipient_name.center(999999999) }}",
    "{{ recipient_name|center(999999999) }}",
    "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
    "{{ lipsum(100000) }}",
    "{% set x = recipient_name %}{{ x }}",
    "{{ recipient_name[0] }}",
    "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    "{{ recipient_name|format(1) }}",
]


@SQLITE_ONLY
def test_a_template_that_could_grow_without_bound_is_refused_at_once(suite):
    for body in AMPLIFYING_TEMPLATES:
        started = time.monotonic()
        response = suite.client("notifications").put(
            "/templates/family.welcome?locale=en",
            json={"body": body},
            headers=suite.headers("admin"),
        )
        assert_field_error(response, 422, "body")
        assert time.monotonic() - started < 1.0, body


@SQLITE_ONLY
def test_every_default_template_and_ordinary_wording_is_still_accepted(suite):
    for locales in DEFAULTS.values():
        for source in locales.values():
            validate_template_source(source)
    ordinary = (
        "Halo {{ recipient_name|default('Bapak/Ibu') }}, salam dari {{ sender_name|upper }}."
        "{% if location is defined and location %} Tempat: {{ location }}.{% endif %}"
        " {{ client_first_name ~ '!' }}"
    )
    response = suite.client("notifications").put(
        "/templates/family.welcome?locale=en",
        json={"body": ordinary},
        headers=suite.headers("admin"),
    )
    assert response.status_code == 200, response.get_json()


@SQLITE_ONLY
def test_a_text_cap_holds_for_the_text_as_sent(suite, world):
    too_long = "\u000b" + "x" * 120  # 121 as sent, 120 once trimmed
    response = call(suite, "intake", "POST", "/staff", {"name": too_long, "role": "counselor"})
    assert_field_error(response, 422, "name")
    fits = call(suite, "intake", "POST", "/staff", {"name": " " + "x" * 119, "role": "counselor"})
    assert fits.status_code == 201 and fits.get_json()["name"] == "x" * 119
