"""One NIK, one client per foundation: the NIK's keyed hash, who holds it, and the refusal.

A NIK is never stored or compared in plaintext: look-ups use its keyed hash (``nik_index``).
A look-up before the write names the client who holds the NIK; the unique constraint on
(foundation, NIK index) settles a race the look-up could not see, after which the holder is
looked up again to name it in the same refusal (409 ``nik_taken``, ``existing_client_id``).
"""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from services.intake.models import Client
from shared.crypto import cipher
from shared.problems import Conflict

_HOLDER = select(Client.id).where(
    Client.foundation == bindparam("foundation"),
    Client.nik_index == bindparam("index"),
    Client.id != bindparam("id"),
)  # built once; the values are bound when it runs


def nik_index(nik: str | None) -> str | None:
    """The NIK's keyed hash (``None`` for no NIK)."""
    return cipher().blind_index("nik:" + nik) if nik else None


def holder_of_nik(session: Session, client: Client, index: str | None) -> str | None:
    """The id of another client of ``client``'s foundation with this NIK index, if any."""
    if not index:
        return None
    params = {"foundation": client.foundation, "index": index, "id": client.id}
    return session.execute(_HOLDER, params).scalar()


def nik_taken(existing_client_id: str) -> Conflict:
    """The refusal of a NIK another client of the foundation holds, naming that client."""
    return Conflict(code="nik_taken", existing_client_id=existing_client_id)


def set_nik(session: Session, client: Client, nik: str | None) -> None:
    """Give ``client`` this NIK (or none); :func:`nik_taken` if another client holds it."""
    index = nik_index(nik)
    existing = holder_of_nik(session, client, index)
    if existing:
        raise nik_taken(existing)
    client.nik, client.nik_index = nik, index
