"""The stable codes: well-formed, and every code the source names is in the registry.

A raise with a code the registry does not list would fail only when it is reached; reading
the source finds it before any request does.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from shared.codes import FIELD_CODES, PROBLEM_CODES, REASON_CODES, field_code, field_error

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(
    path
    for folder in ("shared", "services")
    for path in (ROOT / folder).rglob("*.py")
    if "migrations" not in path.parts
)
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
PROBLEM_CLASSES = {
    "Problem",
    "BadRequest",
    "MalformedJson",
    "Unauthorized",
    "Forbidden",
    "NotFound",
    "Conflict",
    "Gone",
    "ValidationFailed",
    "TooManyRequests",
}


def _calls(name_matches) -> list[tuple[str, ast.Call]]:
    found = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name_matches(name):
                    found.append((f"{path.relative_to(ROOT)}:{node.lineno}", node))
    return found


def _literal_code(call: ast.Call, keyword: str = "code", position: int | None = None):
    for kw in call.keywords:
        if kw.arg == keyword and isinstance(kw.value, ast.Constant):
            return kw.value.value
    if position is not None and len(call.args) > position:
        arg = call.args[position]
        if isinstance(arg, ast.Constant):
            return arg.value
    return None


@pytest.mark.parametrize(
    "registry", [PROBLEM_CODES, FIELD_CODES, REASON_CODES], ids=["problem", "field", "reason"]
)
def test_codes_are_snake_case_with_an_english_text(registry):
    for code, text in registry.items():
        assert SNAKE.match(code), code
        assert text.strip() and text == text.strip(), code


def test_every_problem_code_raised_in_the_source_is_registered():
    named = {
        (where, code)
        for where, call in _calls(lambda name: name in PROBLEM_CLASSES)
        if (code := _literal_code(call)) is not None
    }
    assert named, "no raise names a code: the walk found nothing"
    assert [(where, code) for where, code in named if code not in PROBLEM_CODES] == []


def test_every_field_and_reason_code_in_the_source_is_registered():
    fields = {
        (where, code)
        for where, call in _calls(lambda name: name == "field_error")
        if (code := _literal_code(call, position=0)) is not None
    }
    reasons = {
        (where, code)
        for where, call in _calls(lambda name: name == "reason_text")
        if (code := _literal_code(call, position=0)) is not None
    }
    assert fields, "no field_error call found: the walk found nothing"
    assert [(w, c) for w, c in fields if c not in FIELD_CODES] == []
    assert [(w, c) for w, c in reasons if c not in REASON_CODES] == []


@pytest.mark.parametrize(
    ("message", "code"),
    [
        ("Missing data for required field.", "required"),
        ("Longer than maximum length 200.", "too_long"),
        ("Must be one of: sms, whatsapp, email.", "not_one_of"),
        ("Not a valid aware datetime.", "naive_datetime"),
        ("Something no registry lists.", "invalid"),
    ],
)
def test_marshmallows_own_messages_map_to_their_codes(message, code):
    assert field_code(message) == code


def test_a_field_error_carries_its_code_and_refuses_an_unknown_one():
    message = field_error("nested_too_deep", depth=32)
    assert message == "Nested more than 32 levels deep." and field_code(message) == (
        "nested_too_deep"
    )
    with pytest.raises(ValueError, match="unknown field error code"):
        field_error("no_such_code")


def test_the_date_range_text_names_the_bounds_the_fields_hold():
    from shared.fields import EARLIEST, LATEST

    text = FIELD_CODES["date_out_of_range"]
    assert EARLIEST.isoformat() in text and LATEST.isoformat() in text
