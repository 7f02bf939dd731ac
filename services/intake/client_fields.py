"""A client record's fields as a request body gives them, and what a birth date must be.

Registration and ``PATCH /clients/{id}`` write the same fields the same way: the name with
its keyed-hash tokens (for search and duplicates), the NIK (one client per NIK, see
:mod:`services.intake.nik`), the birth date with its keyed hash, the use history (encrypted
health data), the case worker (active staff of the foundation) and the referral.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from services.intake.health import HEALTH_FIELDS, with_health
from services.intake.identity import name_tokens
from services.intake.models import Client, ClientNameToken
from services.intake.nik import set_nik
from services.intake.staff import require_case_worker
from shared.codes import field_error
from shared.crypto import cipher
from shared.problems import ValidationFailed

#: Fields stored as given.
_PLAIN_FIELDS = ("sex", "phone", "address", "date_of_birth_estimated")


def name_token_hashes(name: str) -> list[str]:
    """The keyed hashes of a name's normalised tokens (what a name search compares)."""
    return [cipher().blind_index("name:" + token) for token in name_tokens(name)]


def _set_name(client: Client, name: str) -> None:
    client.full_name = name
    client.name_tokens = [
        ClientNameToken(token=token, foundation=client.foundation)
        for token in name_token_hashes(name)
    ]


def _set_date_of_birth(client: Client, value: date | None) -> None:
    client.date_of_birth = value.isoformat() if value else None
    client.dob_index = cipher().blind_index("dob:" + value.isoformat()) if value else None


def birth_date_of(client: Client) -> date | None:
    return date.fromisoformat(client.date_of_birth) if client.date_of_birth else None


def apply_fields(session: Session, client: Client, data: dict[str, Any]) -> None:
    """Write the fields ``data`` names onto ``client`` (the others stay as they are)."""
    if "full_name" in data:
        _set_name(client, data["full_name"])
    if "nik" in data:
        set_nik(session, client, data["nik"])
    if "date_of_birth" in data:
        _set_date_of_birth(client, data["date_of_birth"])
    for name in _PLAIN_FIELDS:
        if name in data:
            setattr(client, name, data[name])
    if any(name in data for name in HEALTH_FIELDS):
        client.health = with_health(client, data)
    if "case_worker_id" in data:
        client.case_worker_id = require_case_worker(
            session, client.foundation, data["case_worker_id"]
        )
    if "referral" in data:
        referral = data["referral"] or {}
        client.referral_source = referral.get("source")
        client.referral_compulsory = bool(referral.get("compulsory"))
        client.referral_reference_no = referral.get("reference_no")


def check_birth_date(client: Client, today: date) -> None:
    """A birth date is a day of the foundation's calendar that has come; an estimated one
    is still a date (e.g. 1 July of the year the family remembers)."""
    born = birth_date_of(client)
    if born and born > today:
        raise ValidationFailed(errors={"date_of_birth": [field_error("date_in_future")]})
    if client.date_of_birth_estimated and not born:
        raise ValidationFailed(
            errors={"date_of_birth_estimated": [field_error("estimated_birth_date_missing")]}
        )
