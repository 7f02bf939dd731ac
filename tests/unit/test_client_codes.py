"""Client-code prefixes and formatting."""

from __future__ import annotations

import pytest

from services.intake.client_codes import code_prefix, format_code


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("medan-plus", "MP"),
        ("yakita", "YAK"),
        ("a-b-c-d-e", "ABCD"),
        ("rumah-damai-sejahtera", "RDS"),
        ("yayasan-harapan-baru-indonesia", "YHBI"),
        ("Medan-Plus", "MP"),
        ("medan_plus", "MP"),
        ("medan  plus", "MP"),
        ("-medan-plus-", "MP"),
        ("ab", "AB"),
        ("x", "X"),
        ("bnn2", "BNN"),
        ("2nd-house", "2H"),
        ("", "CL"),
        ("---", "CL"),
    ],
)
def test_code_prefix(slug, expected):
    assert code_prefix(slug) == expected


@pytest.mark.parametrize(
    ("prefix", "year", "number", "expected"),
    [
        ("MP", 2026, 7, "MP-2026-0007"),
        ("YAK", 2025, 1, "YAK-2025-0001"),
        ("ABCD", 2026, 999, "ABCD-2026-0999"),
        ("MP", 2026, 1000, "MP-2026-1000"),
        ("MP", 2026, 9999, "MP-2026-9999"),
        ("MP", 2026, 12345, "MP-2026-12345"),
        ("CL", 2030, 0, "CL-2030-0000"),
    ],
)
def test_format_code(prefix, year, number, expected):
    assert format_code(prefix, year, number) == expected


@pytest.mark.parametrize(
    ("slug", "number", "expected"),
    [("medan-plus", 7, "MP-2026-0007"), ("yakita", 42, "YAK-2026-0042")],
)
def test_prefix_and_format_compose(slug, number, expected):
    assert format_code(code_prefix(slug), 2026, number) == expected
