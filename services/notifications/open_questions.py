"""Which question a family contact's reply answers: their latest open question.

Pure: the contact's family messages as plain facts in, the open question (or none) out.

Two kinds of message ask something:

- a family-session invitation or reminder ("will you come?"), open until the session
  starts. The session's start is the one its latest change notice gave (a reschedule), else
  the one the message itself names; a session with a cancellation notice asks nothing more;
- a post-discharge check-in (``family.followup``), open for 7 days after it was sent.

Only a message that was sent asks anything; of the open ones the latest sent is the question.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from services.notifications.reply_intent import QuestionKind
from shared.vocabulary import MessageStatus

SESSION_QUESTIONS: Final = frozenset({"family.session_invitation", "family.session_reminder"})
SESSION_CHANGED: Final = "family.session_changed"
SESSION_CANCELLED: Final = "family.session_cancelled"
CHECKIN_QUESTION: Final = "family.followup"
#: Every template the rule reads (what the loader selects).
TEMPLATES_READ: Final = SESSION_QUESTIONS | {SESSION_CHANGED, SESSION_CANCELLED, CHECKIN_QUESTION}
CHECKIN_OPEN_FOR: Final = timedelta(days=7)


@dataclass(frozen=True)
class FamilyMessage:
    """A message to the contact, as the rule reads it. ``subject_id``: the session or
    follow-up it is about; ``starts_at``: the session's start as the message gave it."""

    id: str
    template: str
    status: str
    subject_id: str | None
    created_at: datetime
    sent_at: datetime | None = None
    starts_at: datetime | None = None


@dataclass(frozen=True)
class OpenQuestion:
    """The question a reply answers: the message that asked it, what it asks, and the
    session (with its start) or follow-up it is about."""

    message_id: str
    kind: QuestionKind
    session_id: str | None = None
    followup_id: str | None = None
    starts_at: datetime | None = None


def _session_starts(messages: list[FamilyMessage]) -> dict[str, datetime | None]:
    """Each session's start as the family was last told; ``None``: cancelled."""
    starts: dict[str, datetime | None] = {}
    for message in sorted(messages, key=lambda m: m.created_at):
        if message.subject_id is None:
            continue
        if message.template == SESSION_CANCELLED:
            starts[message.subject_id] = None
        elif message.template == SESSION_CHANGED and message.starts_at is not None:
            if message.subject_id in starts and starts[message.subject_id] is None:
                continue  # a cancelled session stays cancelled
            starts[message.subject_id] = message.starts_at
    return starts


def _asked(
    message: FamilyMessage, starts: dict[str, datetime | None], now: datetime
) -> OpenQuestion | None:
    """The question ``message`` leaves open at ``now``, or ``None``."""
    if message.status != MessageStatus.SENT or message.sent_at is None:
        return None
    if message.template == CHECKIN_QUESTION:
        if now - message.sent_at > CHECKIN_OPEN_FOR:
            return None
        return OpenQuestion(message.id, QuestionKind.CHECKIN, followup_id=message.subject_id)
    if message.template not in SESSION_QUESTIONS or message.subject_id is None:
        return None
    starts_at = starts.get(message.subject_id, message.starts_at)
    if starts_at is None or starts_at <= now:
        return None
    return OpenQuestion(
        message.id, QuestionKind.SESSION, session_id=message.subject_id, starts_at=starts_at
    )


def latest_open_question(messages: Iterable[FamilyMessage], now: datetime) -> OpenQuestion | None:
    """The contact's latest open question at ``now`` (aware), or ``None``."""
    facts = list(messages)
    starts = _session_starts(facts)
    latest: tuple[datetime, OpenQuestion] | None = None
    for message in facts:
        question = _asked(message, starts, now)
        if question is not None and message.sent_at is not None:
            if latest is None or message.sent_at > latest[0]:
                latest = (message.sent_at, question)
    return latest[1] if latest else None
