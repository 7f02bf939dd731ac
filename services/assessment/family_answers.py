"""A family's answers, as notifications reports them in ``family.replied``: an RSVP to a
family session's invitation is kept per session and contact; a post-discharge check-in is
kept on its follow-up.

Only the latest answer counts, by when the family answered (``answered_at``): a reply can be
redelivered or overtaken by a later one, so an answer older than the one kept changes
nothing. The comparison is made inside each UPDATE's condition, so two workers applying two
answers at once still keep the later one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from sqlalchemy import Update, or_, select, update
from sqlalchemy.orm import Session

from services.assessment.lookup import find
from services.assessment.models import (
    ClientView,
    CounsellingSession,
    Followup,
    SessionFamilyRsvp,
    SessionParticipant,
)
from shared.db import rowcount
from shared.vocabulary import CheckinAnswer, ReplyIntent, RsvpAnswer

RSVP_ANSWERS: Final[dict[str, RsvpAnswer]] = {
    ReplyIntent.RSVP_YES: RsvpAnswer.YES,
    ReplyIntent.RSVP_NO: RsvpAnswer.NO,
    ReplyIntent.RSVP_LATER: RsvpAnswer.LATER,
}
CHECKIN_ANSWERS: Final[dict[str, CheckinAnswer]] = {
    ReplyIntent.CHECKIN_OK: CheckinAnswer.OK,
    ReplyIntent.CHECKIN_HELP: CheckinAnswer.HELP,
}


class AnswerNotHere(Exception):
    """The answer names a session or follow-up this foundation does not have here (unknown,
    another foundation's, or not the named client's): never applied."""


class NotAnAnswer(Exception):
    """The reply answers nothing assessment keeps (an RSVP without its session, a check-in
    without its follow-up, or another intent)."""


def record_family_answer(db: Session, foundation: str | None, reply: dict[str, Any]) -> bool:
    """Keep the answer ``reply`` (a ``family.replied`` payload) carries; False when a later
    answer is kept already. Raises :class:`AnswerNotHere` or :class:`NotAnAnswer`."""
    intent = reply["intent"]
    if intent in RSVP_ANSWERS and reply.get("session_id"):
        return _record_rsvp(db, foundation, reply, RSVP_ANSWERS[intent])
    if intent in CHECKIN_ANSWERS and reply.get("followup_id"):
        return _record_checkin(db, foundation, reply, CHECKIN_ANSWERS[intent])
    raise NotAnAnswer(intent)


def _client_in_session(db: Session, foundation: str, session_id: str, client_id: str) -> bool:
    """Whether the foundation's session ``session_id`` has its client ``client_id``."""
    return (
        db.execute(
            select(SessionParticipant.client_id)
            .join(CounsellingSession, CounsellingSession.id == SessionParticipant.session_id)
            .join(ClientView, ClientView.id == SessionParticipant.client_id)
            .where(
                SessionParticipant.session_id == session_id,
                SessionParticipant.client_id == client_id,
                CounsellingSession.foundation == foundation,
                ClientView.foundation == foundation,
            )
        ).first()
        is not None
    )


def _record_rsvp(
    db: Session, foundation: str | None, reply: dict[str, Any], answer: RsvpAnswer
) -> bool:
    session_id, contact_id = reply["session_id"], reply["contact_id"]
    if foundation is None or not _client_in_session(db, foundation, session_id, reply["client_id"]):
        raise AnswerNotHere(session_id)
    answered_at: datetime = reply["answered_at"]
    values = {
        "client_id": reply["client_id"],
        "answer": answer,
        "answered_at": answered_at,
        "reply_id": reply["reply_id"],
    }
    replaced = _changed(
        db,
        update(SessionFamilyRsvp)
        .where(
            SessionFamilyRsvp.session_id == session_id,
            SessionFamilyRsvp.contact_id == contact_id,
            SessionFamilyRsvp.answered_at < answered_at,
        )
        .values(**values),
    )
    if replaced:
        return True
    if db.get(SessionFamilyRsvp, (session_id, contact_id)) is not None:
        return False  # as late or later an answer is kept already
    # a first answer; one racing it fails on the primary key and its event is retried
    db.add(
        SessionFamilyRsvp(
            session_id=session_id, contact_id=contact_id, foundation=foundation, **values
        )
    )
    db.flush()
    return True


def _record_checkin(
    db: Session, foundation: str | None, reply: dict[str, Any], answer: CheckinAnswer
) -> bool:
    followup_id = reply["followup_id"]
    followup = find(db, Followup, foundation, followup_id) if foundation else None
    if followup is None or followup.client_id != reply["client_id"]:
        raise AnswerNotHere(followup_id)
    answered_at: datetime = reply["answered_at"]
    return _changed(
        db,
        update(Followup)
        .where(
            Followup.id == followup_id,
            or_(Followup.family_checkin_at.is_(None), Followup.family_checkin_at < answered_at),
        )
        .values(family_checkin=answer, family_checkin_at=answered_at),
    )


def _changed(db: Session, statement: Update) -> bool:
    """Run an UPDATE (the rows it touches are not reloaded: none is read again here);
    whether it changed a row."""
    result = db.execute(statement.execution_options(synchronize_session=False))
    return bool(rowcount(result))
