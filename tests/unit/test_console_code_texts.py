"""The console shows the APIs' refusals, field errors and message reasons by their stable
codes: every code a service can answer with has a text in both languages, no text is left
for a code that no longer exists, and a text is filled from the problem without ever failing."""

from __future__ import annotations

import re
from importlib import import_module

import pytest
from flask import Flask, g
from wtforms import StringField

from services.console.api_client import ApiError
from services.console.forms.base import ConsoleForm
from services.console.i18n import fill, problem_text
from services.console.texts import codes as console_codes
from shared import codes as registry

KINDS = ("PROBLEMS", "FIELDS", "REASONS")
MERGED = {
    "PROBLEMS": registry.PROBLEM_CODES,
    "FIELDS": registry.FIELD_CODES,
    "REASONS": registry.REASON_CODES,
}
PLACEHOLDER = re.compile(r"\{(\w+)[^{}]*\}")
PAIRS = [(module, kind) for module in console_codes.MODULES for kind in KINDS]


def _registry(module: str, kind: str) -> dict[str, str]:
    return getattr(import_module(f"shared.codes.{module}"), kind, {})


def _console(module: str, kind: str) -> dict[str, tuple[str, str]]:
    return getattr(console_codes.MODULES[module], kind, {})


@pytest.mark.parametrize(("module", "kind"), PAIRS, ids=[f"{m}-{k}" for m, k in PAIRS])
def test_every_code_of_the_registry_has_console_texts(module, kind):
    missing = sorted(set(_registry(module, kind)) - set(_console(module, kind)))
    assert not missing, (
        f"shared/codes/{module}.py {kind} without texts in "
        f"services/console/texts/codes/{module}.py: {missing}"
    )


@pytest.mark.parametrize(("module", "kind"), PAIRS, ids=[f"{m}-{k}" for m, k in PAIRS])
def test_no_console_text_for_a_code_the_registry_does_not_have(module, kind):
    unknown = sorted(set(_console(module, kind)) - set(_registry(module, kind)))
    assert not unknown, f"services/console/texts/codes/{module}.py {kind}: no such code {unknown}"


@pytest.mark.parametrize("kind", KINDS)
def test_every_code_a_service_can_answer_with_has_a_console_text(kind):
    missing = sorted(set(MERGED[kind]) - set(getattr(console_codes, kind)))
    assert not missing, f"{kind} without console texts: {missing}"


@pytest.mark.parametrize("kind", KINDS)
def test_every_code_text_is_in_both_languages_with_the_same_placeholders(kind):
    for code, (indonesian, english) in getattr(console_codes, kind).items():
        assert indonesian.strip() and english.strip(), code
        assert set(PLACEHOLDER.findall(indonesian)) == set(PLACEHOLDER.findall(english)), code
        members = {name: "7" for name in PLACEHOLDER.findall(english)}
        for text in (indonesian, english):  # filled, or shown without what is missing
            assert "{" not in fill(text, members) and "{" not in fill(text, {}), code


# --- filling a text ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "members", "shown"),
    [
        ("Try again in {retry_after} s.", {"retry_after": 30}, "Try again in 30 s."),
        ("Try again later (in {retry_after} s).", {}, "Try again later."),
        ("Try again later (in {retry_after} s).", {"retry_after": None}, "Try again later."),
        ("Closed (client discharged).", {}, "Closed (client discharged)."),  # no placeholder
        ("The client is {client_status}; no.", {}, "The client is; no."),
        ("One of: {choices}.", {"choices": ["sms", "email"]}, "One of: sms, email."),
        ("Nested ({depth!r} deep).", {"depth": 3}, "Nested (3 deep)."),
        ("A {thing} in {place}", {"thing": {"nested": 1}}, "A in"),
    ],
)
def test_a_member_fills_its_placeholder_and_a_missing_one_is_left_out(text, members, shown):
    assert fill(text, members) == shown


def test_a_role_or_a_client_status_is_shown_by_its_name():
    assert fill("({role})", {"role": "viewer"}) == "(Hanya melihat)"
    assert fill("{client_status}", {"client_status": "discharged"}) == "Selesai"
    assert fill("{client_status}", {"client_status": "odd"}) == "odd"


# --- a refusal on a form ------------------------------------------------------------------


class _EmailForm(ConsoleForm):
    email = StringField()


def _shown(problem: dict, status: int = 422, locale: str = "id") -> tuple[list, list]:
    """The errors by the email field and above the form, for an API's ``problem``."""
    from services.console.views.common import show_api_errors

    app = Flask(__name__)
    app.config.update(SECRET_KEY="unit", WTF_CSRF_ENABLED=False)
    with app.test_request_context(method="POST"):
        g.locale = locale
        form = _EmailForm()
        form.validate()
        show_api_errors(form, ApiError("intake", status, problem))
        return [str(e) for e in form.email.errors], form.api_errors


def test_field_errors_are_shown_by_their_codes_and_unknown_ones_as_the_api_words_them():
    problem = {
        "code": "validation_failed",
        "detail": "Some fields are not valid.",
        "errors": {"email": ["Not a valid email address.", "Odd."], "extra": ["Unknown field."]},
        "error_codes": {
            "email": ["invalid_email", "code_of_a_newer_api"],
            "extra": ["unknown_field"],
        },
    }
    assert _shown(problem) == (
        ["Alamat email tidak valid.", "Odd."],
        ["Isian ini tidak dikenal."],  # a path no field of the form has: above it
    )
    assert _shown(problem, locale="en") == (
        ["Not a valid email address.", "Odd."],
        ["Unknown field."],
    )
    # an older API: messages without codes are shown as sent
    older = {"errors": {"email": ["Not a valid email address."]}, "detail": "Invalid."}
    assert _shown(older) == (
        ["Not a valid email address."],
        ["Periksa isian yang ditandai di bawah."],
    )


def test_a_refusal_is_shown_by_its_code_filled_from_the_problem():
    forbidden = {"code": "role_forbidden", "detail": "The role 'viewer' may not do this."}
    assert _shown({**forbidden, "role": "viewer"}, 403)[1] == [
        "Peran Anda (Hanya melihat) tidak boleh melakukan ini."
    ]
    assert _shown({**forbidden, "role": "viewer"}, 403, "en")[1] == [
        "Your role (Viewer) may not do this."
    ]
    assert _shown(forbidden, 403)[1] == ["Peran Anda tidak boleh melakukan ini."]  # no role
    newer = {"code": "a_code_added_since", "detail": "What the API says."}
    assert _shown(newer, 409)[1] == ["What the API says."]
    assert _shown({"detail": "An API from before codes."}, 409)[1] == ["An API from before codes."]


def test_problem_text_without_a_request_speaks_bahasa_indonesia():
    assert problem_text("not_found", {}) == console_codes.PROBLEMS["not_found"][0]
    assert problem_text(None, {}, "As sent.") == "As sent."
