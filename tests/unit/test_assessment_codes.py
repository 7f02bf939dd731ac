"""Assessment's stable codes: each one is raised somewhere, every code its rule modules raise is
registered, and the console has a text for each in both languages."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from services.assessment.capacity import PlacementRefused, check_capacity, check_placeable
from services.assessment.lookup import NOT_FOUND
from services.console.texts.codes import assessment as console_texts
from shared.codes import FIELD_CODES, PROBLEM_CODES
from shared.codes import assessment as registry

SERVICE = Path(__file__).resolve().parents[2] / "services" / "assessment"
SOURCES = sorted(p for p in SERVICE.rglob("*.py") if "migrations" not in p.parts)
#: Members a problem body of assessment carries beside its code (a console text may name them).
BODY_MEMBERS = {"client_status"}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _string_constants() -> set[str]:
    return {
        node.value
        for path in SOURCES
        for node in ast.walk(ast.parse(path.read_text(), str(path)))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


def _domain_error_codes() -> set[tuple[str, str]]:
    """The code each ``RatingError(field, code)`` and ``PlacementRefused(code)`` names."""
    found = set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            position = {"RatingError": 1, "PlacementRefused": 0}.get(node.func.id)
            if position is not None and len(node.args) > position:
                code = node.args[position]
                assert isinstance(code, ast.Constant), f"{path.name}:{node.lineno}: code literal"
                found.add((node.func.id, code.value))
    return found


def test_every_code_of_the_rule_modules_is_registered():
    codes = _domain_error_codes()
    assert {kind for kind, _ in codes} == {"RatingError", "PlacementRefused"}
    assert [c for kind, c in codes if kind == "RatingError" and c not in FIELD_CODES] == []
    assert [c for kind, c in codes if kind == "PlacementRefused" and c not in PROBLEM_CODES] == []
    assert [c for c in NOT_FOUND.values() if c not in registry.PROBLEMS] == []


def test_every_registered_code_is_used_by_the_service():
    used = _string_constants()
    assert sorted(set(registry.PROBLEMS) - used) == []
    assert sorted(set(registry.FIELDS) - used) == []


@pytest.mark.parametrize("kind", ["PROBLEMS", "FIELDS"])
def test_the_console_has_both_languages_for_each_code_and_no_stale_text(kind):
    codes, texts = getattr(registry, kind), getattr(console_texts, kind)
    assert sorted(set(codes) ^ set(texts)) == []
    for code, (indonesian, english) in texts.items():
        assert indonesian.strip() and english.strip() and indonesian != english, code
        allowed = BODY_MEMBERS & _fields(codes[code]) if kind == "PROBLEMS" else set()
        assert _fields(indonesian) <= allowed and _fields(english) <= allowed, code


@pytest.mark.parametrize(
    ("status", "placed", "code", "params"),
    [
        ("admitted", False, None, {}),
        ("admitted", True, "already_placed", {}),
        ("placed", False, "already_placed", {}),
        ("placed", True, "already_placed", {}),
        ("registered", False, "client_not_admitted", {"client_status": "registered"}),
        ("discharged", False, "client_not_admitted", {"client_status": "discharged"}),
        ("discharged", True, "already_placed", {}),
    ],
)
def test_who_may_be_placed(status, placed, code, params):
    if code is None:
        check_placeable(status, placed)
        return
    with pytest.raises(PlacementRefused) as refused:
        check_placeable(status, placed)
    assert (refused.value.code, refused.value.params) == (code, params)
    assert PROBLEM_CODES[code].format(**params)


@pytest.mark.parametrize(
    ("occupied", "capacity", "full"), [(0, 1, False), (1, 2, False), (1, 1, True), (3, 2, True)]
)
def test_a_full_programme_refuses(occupied, capacity, full):
    if not full:
        check_capacity(occupied, capacity)
        return
    with pytest.raises(PlacementRefused) as refused:
        check_capacity(occupied, capacity)
    assert refused.value.code == "programme_full"
