"""One client's facts for the early warning, read from assessment's records: attendance at
sessions, notes, and the current episode's follow-up outcomes and family check-ins. Only
the columns the rules need are read (never a note's text)."""

from __future__ import annotations

from datetime import datetime, time
from typing import cast

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from services.assessment.local_dates import zone_of
from services.assessment.models import (
    ClientView,
    CounsellingSession,
    Followup,
    Note,
    SessionParticipant,
)
from services.assessment.risk_rules import (
    AttendanceFact,
    CheckinFact,
    ClientFacts,
    NoteFact,
    OutcomeFact,
)
from shared.vocabulary import (
    Attendance,
    CheckinAnswer,
    ClientStatus,
    FollowupOutcome,
    NoteKind,
    Obstacle,
    SessionStatus,
    values,
)

IN_CARE = frozenset({ClientStatus.ADMITTED, ClientStatus.PLACED})
OBSTACLES = frozenset(values(Obstacle))

# The facts' queries, built once (the early warning is recomputed on every change to what
# its rules read); their values are bound when they run.
_ATTENDANCES = (
    select(CounsellingSession.starts_at, CounsellingSession.status, SessionParticipant.attendance)
    .join(CounsellingSession, CounsellingSession.id == SessionParticipant.session_id)
    .where(
        SessionParticipant.client_id == bindparam("client_id"),
        SessionParticipant.attendance.is_not(None),
        CounsellingSession.foundation == bindparam("foundation"),
    )
)
_ATTENDANCES_FROM = _ATTENDANCES.where(CounsellingSession.starts_at >= bindparam("from_moment"))
_NOTES = select(Note.recorded_at, Note.kind, Note.obstacles).where(
    Note.client_id == bindparam("client_id"), Note.foundation == bindparam("foundation")
)
_NOTES_OF_EPISODE = _NOTES.where(Note.episode_id == bindparam("episode_id"))
_NOTES_BEFORE_ADMISSION = _NOTES.where(Note.episode_id.is_(None))
_FOLLOWUPS = select(
    Followup.recorded_at, Followup.outcome, Followup.family_checkin_at, Followup.family_checkin
).where(
    Followup.client_id == bindparam("client_id"),
    Followup.foundation == bindparam("foundation"),
    Followup.episode_id == bindparam("episode_id"),
)


def load_facts(db: Session, client: ClientView) -> ClientFacts:
    """The facts of ``client``'s current episode (its sessions from the admission day on)."""
    zone = zone_of(db, client.foundation)
    from_moment = (
        datetime.combine(client.admitted_on, time.min, tzinfo=zone) if client.admitted_on else None
    )
    outcomes, checkins = _followup_facts(db, client)
    return ClientFacts(
        zone=zone,
        in_care=client.status in IN_CARE,
        admitted_on=client.admitted_on,
        attendances=_attendances(db, client, from_moment),
        notes=_notes(db, client),
        outcomes=outcomes,
        checkins=checkins,
    )


def _attendances(
    db: Session, client: ClientView, from_moment: datetime | None
) -> tuple[AttendanceFact, ...]:
    params = {"client_id": client.id, "foundation": client.foundation}
    if from_moment is None:
        rows = db.execute(_ATTENDANCES, params)
    else:
        rows = db.execute(_ATTENDANCES_FROM, {**params, "from_moment": from_moment})
    return tuple(
        AttendanceFact(
            session_starts_at=starts_at,
            status=Attendance(cast(str, attendance)),
            session_cancelled=status == SessionStatus.CANCELLED,
        )
        for starts_at, status, attendance in rows
    )


def _notes(db: Session, client: ClientView) -> tuple[NoteFact, ...]:
    """The notes of the client's current episode (before any admission: those of none)."""
    params = {"client_id": client.id, "foundation": client.foundation}
    if client.episode_id:
        rows = db.execute(_NOTES_OF_EPISODE, {**params, "episode_id": client.episode_id})
    else:
        rows = db.execute(_NOTES_BEFORE_ADMISSION, params)
    return tuple(
        NoteFact(
            recorded_at=recorded_at,
            kind=NoteKind(kind),
            obstacles=frozenset(Obstacle(o) for o in obstacles.split(",") if o in OBSTACLES),
        )
        for recorded_at, kind, obstacles in rows
    )


def _followup_facts(
    db: Session, client: ClientView
) -> tuple[tuple[OutcomeFact, ...], tuple[CheckinFact, ...]]:
    """The outcomes recorded at the current episode's follow-ups, and the families' latest
    answers to their check-ins."""
    if not client.episode_id:
        return (), ()
    params = {"client_id": client.id, "foundation": client.foundation}
    rows = db.execute(_FOLLOWUPS, {**params, "episode_id": client.episode_id}).all()
    outcomes = tuple(
        OutcomeFact(recorded_at=recorded_at, outcome=FollowupOutcome(outcome))
        for recorded_at, outcome, _at, _answer in rows
        if outcome is not None and recorded_at is not None
    )
    checkins = tuple(
        CheckinFact(answered_at=answered_at, answer=CheckinAnswer(answer))
        for _recorded, _outcome, answered_at, answer in rows
        if answer is not None and answered_at is not None
    )
    return outcomes, checkins
