"""Identity as it really comes in: single names, estimated birth dates, no NIK for some.

Pure rules: NIK shape and masking, name normalisation for keyed-hash search, whether two
names are alike enough to flag a possible duplicate, and who may consent for a minor.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from difflib import SequenceMatcher
from typing import Any

from shared.vocabulary import ConsentGiver

NIK_LENGTH = 16
ADULT_AGE = 18
_NON_LETTERS = re.compile(r"[^a-z0-9]+")


def is_valid_nik(value: str) -> bool:
    """A NIK is exactly 16 digits (no further structure is checked)."""
    return len(value) == NIK_LENGTH and value.isascii() and value.isdigit()


def mask_nik(value: str | None) -> str | None:
    """Only the last four digits are ever shown: ``************3456``."""
    if not value:
        return None
    return "*" * (len(value) - 4) + value[-4:]


def normalise_name(name: str) -> str:
    """Lower-case ASCII letters and digits, single spaces (``Siti Nur'aini`` → ``siti nuraini``)."""
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_only = decomposed.encode("ascii", "ignore").decode().lower().replace("'", "")
    return " ".join(t for t in _NON_LETTERS.split(ascii_only) if t)


def name_tokens(name: str) -> list[str]:
    """Distinct tokens of a normalised name, in order."""
    seen: list[str] = []
    for token in normalise_name(name).split():
        if token not in seen:
            seen.append(token)
    return seen


def names_alike(a: str, b: str) -> bool:
    """Alike enough to ask "is this the same person?": a shared name token, or spellings
    that differ by little (``Budi Santoso`` / ``Budi Santosa`` / ``Santoso``)."""
    na, nb = normalise_name(a), normalise_name(b)
    if not na or not nb:
        return False
    if set(na.split()) & set(nb.split()):
        return True
    return SequenceMatcher(None, na, nb).ratio() >= 0.8


def age_on(date_of_birth: date, today: date) -> int:
    years = today.year - date_of_birth.year
    if (today.month, today.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def is_minor(date_of_birth: date | None, today: date) -> bool:
    return date_of_birth is not None and age_on(date_of_birth, today) < ADULT_AGE


def needs_guardian_consent(
    date_of_birth: date | None, consent: Mapping[str, Any], today: date
) -> bool:
    """Whether ``consent`` asks for something only a guardian may give here: a minor's
    consent to contact the family or share progress, not given by a guardian."""
    wants = consent.get("contact_family") or consent.get("share_progress")
    return (
        bool(wants)
        and consent.get("given_by") != ConsentGiver.GUARDIAN
        and is_minor(date_of_birth, today)
    )
