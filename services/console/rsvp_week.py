"""The caseload's family sessions of the coming week, and what each family answered to its
invitation (a session's ``family_rsvp``: the latest answer per contact).

Pure. The families listed for a client are those the invitation went to: contacts who may be
contacted, while the client's consent lets the family be contacted; a contact who answered is
listed whatever changed since. A contact without an answer is "no answer yet", and so is
everyone of a session from an assessment service that does not report ``family_rsvp``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from shared.vocabulary import SessionKind

RSVP_DAYS = 7
CANCELLED = "cancelled"


@dataclass(frozen=True)
class FamilyAnswer:
    contact: Mapping[str, Any]
    answer: str | None  # RsvpAnswer (yes | no | later); None: no answer yet
    answered_at: str | None = None


@dataclass(frozen=True)
class SessionRsvps:
    session: Mapping[str, Any]
    client: Mapping[str, Any]
    answers: list[FamilyAnswer]


def rsvps_this_week(
    clients: Iterable[Mapping[str, Any]],
    sessions: Iterable[Mapping[str, Any]],
    *,
    now: datetime,
) -> list[SessionRsvps]:
    """One entry per family session in ``[now, now + RSVP_DAYS days)`` and client of
    ``clients`` taking part in it, soonest first; cancelled sessions are left out."""
    by_id = {c["id"]: c for c in clients}
    until = now + timedelta(days=RSVP_DAYS)
    found: list[SessionRsvps] = []
    for session in sorted(sessions, key=lambda s: s["starts_at"]):
        if session.get("kind") != SessionKind.FAMILY or session.get("status") == CANCELLED:
            continue
        if not now <= datetime.fromisoformat(session["starts_at"]) < until:
            continue
        for client_id in session.get("client_ids") or []:
            client = by_id.get(client_id)
            if client is not None:
                found.append(SessionRsvps(session, client, family_answers(client, session)))
    return found


def family_answers(client: Mapping[str, Any], session: Mapping[str, Any]) -> list[FamilyAnswer]:
    """The client's invited contacts, each with their latest answer to ``session``."""
    latest = {
        r["contact_id"]: r
        for r in sorted(session.get("family_rsvp") or [], key=lambda r: r.get("answered_at") or "")
        if r.get("client_id") == client["id"]
    }
    consent = bool((client.get("consent") or {}).get("contact_family"))
    answers = []
    for contact in client.get("family_contacts") or []:
        rsvp = latest.get(contact["id"])
        if rsvp is None and not (consent and contact.get("may_contact", True)):
            continue  # not invited, and no answer from them
        answers.append(
            FamilyAnswer(
                contact,
                rsvp.get("answer") if rsvp else None,
                rsvp.get("answered_at") if rsvp else None,
            )
        )
    return answers
