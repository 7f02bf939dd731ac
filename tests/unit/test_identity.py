"""Identity fields at their edges: the NIK's shape and masking, dates of birth."""

from __future__ import annotations

from datetime import date

import marshmallow as ma
import pytest

from services.intake.identity import is_minor, is_valid_nik, mask_nik
from services.intake.schemas import PastDate


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("3271046504930002", True),
        ("0000000000000000", True),
        ("327104650493000", False),  # 15 digits
        ("32710465049300021", False),  # 17
        ("3271 0465 0493 0002", False),
        ("327104650493000a", False),
        ("３２７１０４６５０４９３０００２", False),  # full-width digits
        ("٣٢٧١٠٤٦٥٠٤٩٣٠٠٠٢", False),  # Arabic-Indic digits
        ("", False),
    ],
)
def test_a_nik_is_exactly_sixteen_ascii_digits(value, valid):
    assert is_valid_nik(value) is valid


def test_only_the_last_four_nik_digits_are_shown():
    assert mask_nik("3271046504930002") == "************0002"
    assert mask_nik(None) is None


@pytest.mark.parametrize(
    ("raw", "accepted"),
    [
        ("1900-01-01", True),
        ("1899-12-31", False),
        ("2000-02-29", True),
        ("2001-02-29", False),  # no such day
        ("1990-13-01", False),
        ("1990-5-1", False),
        ("not a date", False),
        ("9999-01-01", False),
    ],
)
def test_a_birth_date_field_takes_real_past_dates(raw, accepted):
    field = PastDate()
    if accepted:
        assert field.deserialize(raw) == date.fromisoformat(raw)
    else:
        with pytest.raises(ma.ValidationError):
            field.deserialize(raw)


@pytest.mark.parametrize(
    ("born", "minor"),
    [
        (date(2008, 11, 29), False),  # 18 today
        (date(2008, 11, 30), True),  # 18 tomorrow
        (date(2010, 1, 1), True),
        (None, False),  # unknown: not treated as a minor
    ],
)
def test_who_is_a_minor_on_a_day(born, minor):
    assert is_minor(born, date(2026, 11, 29)) is minor
