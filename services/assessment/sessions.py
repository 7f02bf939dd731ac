"""Counselling sessions: individual, group and family; reschedule, cancel, attendance.

Every change is an event carrying the session's whole state, which the notifications service
turns into family invitations, reminders, change and cancellation notices.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from services.assessment.care_summary import publish_care_summary
from services.assessment.lookup import client_to_change, in_path
from services.assessment.models import ClientView, CounsellingSession, SessionParticipant
from services.assessment.risk_flags import recompute_flag
from shared.auth import Caller, foundation_of
from shared.codes import field_error
from shared.db import utcnow
from shared.events.catalogue import SESSION_CHANGES
from shared.events.unit_of_work import UnitOfWork
from shared.problems import Conflict, Gone, ValidationFailed
from shared.vocabulary import SessionKind, SessionStatus


def session_state(session: CounsellingSession) -> dict[str, Any]:
    """The session's whole state, as its events carry it."""
    return {
        "id": session.id,
        "kind": session.kind,
        "client_ids": [p.client_id for p in session.participants],
        "starts_at": session.starts_at,
        "duration_minutes": session.duration_minutes,
        "location": session.location,
        "title": session.title,
        "status": session.status,
        "facilitator_id": session.facilitator_id,
    }


def sole_participant(client_ids: list[str]) -> str | None:
    """The client whose key seals a session's title and place: its only participant. A
    session of several clients is about none of them alone."""
    return client_ids[0] if len(client_ids) == 1 else None


def _participants(db: Session, foundation: str, client_ids: list[str], kind: str) -> list[str]:
    unique = list(dict.fromkeys(client_ids))
    if kind == SessionKind.INDIVIDUAL and len(unique) != 1:
        raise ValidationFailed(
            errors={"client_ids": [field_error("individual_session_one_client")]}
        )
    found = {
        client_id: erased_at
        for client_id, erased_at in db.execute(
            select(ClientView.id, ClientView.erased_at).where(
                ClientView.foundation == foundation, ClientView.id.in_(unique)
            )
        )
    }
    # positions in the list as it was sent, where the console shows each entry's error
    missing = [i for i, cid in enumerate(client_ids) if cid not in found]
    if missing:
        raise ValidationFailed(
            errors={f"client_ids.{i}": [field_error("client_unknown_here")] for i in missing}
        )
    if any(found[cid] is not None for cid in unique):
        raise Gone()  # a client whose data was erased: nothing new is recorded about them
    return unique


def schedule_session(uow: UnitOfWork, caller: Caller, data: dict[str, Any]) -> CounsellingSession:
    """Schedule a session with clients this service knows (an individual session has one)."""
    foundation = foundation_of(caller)
    db = uow.session
    clients = _participants(db, foundation, data["client_ids"], data["kind"])
    session = CounsellingSession(
        foundation=foundation,
        client_id=sole_participant(clients),
        kind=data["kind"],
        starts_at=data["starts_at"],
        duration_minutes=data["duration_minutes"],
        location=data.get("location"),
        title=data.get("title"),
        status=SessionStatus.SCHEDULED,
        facilitator_id=caller.sub,
        participants=[SessionParticipant(client_id=c) for c in clients],
        family_rsvp=[],  # no family has answered yet (and none is loaded after the commit)
    )
    db.add(session)
    db.flush()
    uow.emit(
        "session.scheduled",
        subject=session.id,
        foundation=foundation,
        data=session_state(session),
        key_of=session.client_id,
    )
    return session


def _open_session(uow: UnitOfWork, caller: Caller, session_id: str) -> CounsellingSession:
    """A session that may still change: not cancelled, and not the session of one client
    whose data was erased (410 ``gone``: nothing new is recorded about them)."""
    foundation = foundation_of(caller)
    session = in_path(uow.session, CounsellingSession, foundation, session_id, lock=True)
    if session.status == SessionStatus.CANCELLED:
        raise Conflict(code="session_cancelled")
    if session.client_id is not None:
        client_to_change(uow.session, foundation, session.client_id)
    return session


def reschedule_session(
    uow: UnitOfWork, caller: Caller, session_id: str, data: dict[str, Any]
) -> CounsellingSession:
    """Move a session that has not started (time, duration, place, title). The event names
    what changed (``changed``), so the family is told of what they see (the time, the place)
    each time it changes and of nothing else; a change to what already holds is no change
    and emits nothing."""
    session = _open_session(uow, caller, session_id)
    now = utcnow()
    if session.starts_at <= now:
        raise Conflict(code="session_started")
    if "starts_at" in data and data["starts_at"] <= now:  # a session that took place is booked
        raise ValidationFailed(errors={"starts_at": [field_error("moved_into_the_past")]})
    changed = [
        name for name in SESSION_CHANGES if name in data and getattr(session, name) != data[name]
    ]
    if not changed:
        return session
    for name in changed:
        setattr(session, name, data[name])
    uow.session.flush()
    uow.emit(
        "session.rescheduled",
        subject=session.id,
        foundation=caller.foundation,
        data={**session_state(session), "changed": changed},
        key_of=session.client_id,
    )
    return session


def cancel_session(uow: UnitOfWork, caller: Caller, session_id: str) -> CounsellingSession:
    """Cancel a session that is not cancelled yet."""
    session = _open_session(uow, caller, session_id)
    session.status = SessionStatus.CANCELLED
    uow.session.flush()
    # attendance at a cancelled session no longer counts for the early warning
    for participant in session.participants:
        if participant.attendance is not None:
            recompute_flag(uow, participant.client_id)
            publish_care_summary(uow, participant.client_id)
    uow.emit(
        "session.cancelled",
        subject=session.id,
        foundation=caller.foundation,
        data=session_state(session),
        key_of=session.client_id,
    )
    return session


def record_attendance(
    uow: UnitOfWork, caller: Caller, session_id: str, data: dict[str, Any]
) -> CounsellingSession:
    """Record a participant's attendance once the session has started (and, for a family
    session only, whether the family came)."""
    session = _open_session(uow, caller, session_id)
    participant = next((p for p in session.participants if p.client_id == data["client_id"]), None)
    if participant is None:
        raise ValidationFailed(errors={"client_id": [field_error("client_not_in_session")]})
    client_to_change(uow.session, session.foundation, participant.client_id)
    if session.starts_at > utcnow():
        raise Conflict(code="attendance_before_start")
    participant.attendance = data["status"]
    if "family_attended" in data:
        if session.kind != SessionKind.FAMILY and data["family_attended"] is not None:
            raise ValidationFailed(
                errors={"family_attended": [field_error("family_sessions_only")]}
            )
        participant.family_attended = data["family_attended"]
    recompute_flag(uow, participant.client_id)
    publish_care_summary(uow, participant.client_id)
    return session


def sessions_query(foundation: str, args: dict[str, Any]) -> Select:
    """The foundation's sessions in time order, by client and time window (a calendar)."""
    stmt = select(CounsellingSession).where(CounsellingSession.foundation == foundation)
    if args.get("client_id"):
        stmt = stmt.where(
            CounsellingSession.id.in_(
                select(SessionParticipant.session_id).where(
                    SessionParticipant.client_id == args["client_id"]
                )
            )
        )
    if args.get("starts_after"):
        stmt = stmt.where(CounsellingSession.starts_at >= args["starts_after"])
    if args.get("starts_before"):
        stmt = stmt.where(CounsellingSession.starts_at < args["starts_before"])
    return stmt.order_by(CounsellingSession.starts_at)
