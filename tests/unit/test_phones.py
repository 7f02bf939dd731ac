"""Phone numbers to E.164."""

from __future__ import annotations

import pytest

from services.intake.phones import InvalidPhone, normalise_phone


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("081234567890", "+6281234567890"),
        ("(0812) 3456 7890", "+6281234567890"),
        ("0812 3456 789", "+628123456789"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("+6281234567890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("021-555-1234", "+62215551234"),
        ("+31 20 123 4567", "+31201234567"),
        ("+1 650 253 0000", "+16502530000"),
    ],
)
def test_normalise_phone(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("020 7946 0958", "GB", "+442079460958"),
        ("+62 812 3456 7890", "GB", "+6281234567890"),
    ],
)
def test_normalise_phone_other_region(raw, region, expected):
    assert normalise_phone(raw, region) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "123",
        "abc",
        "",
        "+1 555",
        "0812",
        "62812",
        "+62 812",
        "08123456789012345",
        "   ",
        "0812-3456-7890 ext. 12",  # E.164 has no extension: refused, not cut off
        "+62 21 555 1234 x 5",
    ],
)
def test_invalid_phone_raises(raw):
    with pytest.raises(InvalidPhone):
        normalise_phone(raw)


def test_invalid_phone_is_a_value_error():
    assert issubclass(InvalidPhone, ValueError)
