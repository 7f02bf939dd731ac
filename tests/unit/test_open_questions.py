"""Which question a family's reply answers: the latest open one among the messages sent to
them. "Now" is 2030-03-10 10:00 UTC in every row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.notifications.open_questions import (
    FamilyMessage,
    OpenQuestion,
    latest_open_question,
)
from services.notifications.reply_intent import QuestionKind

NOW = datetime(2030, 3, 10, 10, 0, tzinfo=UTC)
SESSION, CHECKIN = QuestionKind.SESSION, QuestionKind.CHECKIN


def ago(**delta: float) -> datetime:
    return NOW - timedelta(**delta)


def ahead(**delta: float) -> datetime:
    return NOW + timedelta(**delta)


def sent(message_id, template, subject, at, starts_at=None, status="sent"):
    return FamilyMessage(
        id=message_id,
        template=template,
        status=status,
        subject_id=subject,
        created_at=at,
        sent_at=at if status == "sent" else None,
        starts_at=starts_at,
    )


INVITATION, REMINDER = "family.session_invitation", "family.session_reminder"
CHANGED, CANCELLED = "family.session_changed", "family.session_cancelled"
FOLLOWUP, WELCOME = "family.followup", "family.welcome"

ROWS = [
    ("nothing sent", [], None),
    ("a welcome asks nothing", [sent("w", WELCOME, "ep", ago(hours=1))], None),
    (
        "an invitation to a session ahead",
        [sent("i", INVITATION, "s1", ago(days=2), ahead(days=1))],
        OpenQuestion("i", SESSION, session_id="s1", starts_at=ahead(days=1)),
    ),
    (
        "the reminder, sent after the invitation, is the question",
        [
            sent("i", INVITATION, "s1", ago(days=2), ahead(hours=20)),
            sent("r", REMINDER, "s1", ago(hours=4), ahead(hours=20)),
        ],
        OpenQuestion("r", SESSION, session_id="s1", starts_at=ahead(hours=20)),
    ),
    (
        "a session that started asks nothing more",
        [sent("i", INVITATION, "s1", ago(days=2), ago(minutes=1))],
        None,
    ),
    (
        "a session starting this very moment asks nothing more",
        [sent("i", INVITATION, "s1", ago(days=2), NOW)],
        None,
    ),
    (
        "an invitation not sent asks nothing",
        [sent("i", INVITATION, "s1", ago(days=2), ahead(days=1), status="scheduled")],
        None,
    ),
    (
        "a failed reminder asks nothing; the invitation still does",
        [
            sent("i", INVITATION, "s1", ago(days=2), ahead(hours=20)),
            sent("r", REMINDER, "s1", ago(hours=4), ahead(hours=20), status="failed"),
        ],
        OpenQuestion("i", SESSION, session_id="s1", starts_at=ahead(hours=20)),
    ),
    (
        "a cancelled session asks nothing more",
        [
            sent("i", INVITATION, "s1", ago(days=2), ahead(days=1)),
            sent("c", CANCELLED, "s1", ago(hours=1)),
        ],
        None,
    ),
    (
        "a session moved later stays open past its first time",
        [
            sent("i", INVITATION, "s1", ago(days=3), ago(hours=1)),
            sent("m", CHANGED, "s1", ago(days=2), ahead(days=2)),
        ],
        OpenQuestion("i", SESSION, session_id="s1", starts_at=ahead(days=2)),
    ),
    (
        "a session moved earlier closes at its new time",
        [
            sent("i", INVITATION, "s1", ago(days=3), ahead(days=2)),
            sent("m", CHANGED, "s1", ago(days=2), ago(hours=1)),
        ],
        None,
    ),
    (
        "the latest of two changes counts",
        [
            sent("i", INVITATION, "s1", ago(days=3), ahead(days=2)),
            sent("m1", CHANGED, "s1", ago(days=2), ago(hours=1)),
            sent("m2", CHANGED, "s1", ago(days=1), ahead(days=5)),
        ],
        OpenQuestion("i", SESSION, session_id="s1", starts_at=ahead(days=5)),
    ),
    (
        "a check-in sent yesterday",
        [sent("f", FOLLOWUP, "fu1", ago(days=1))],
        OpenQuestion("f", CHECKIN, followup_id="fu1"),
    ),
    (
        "a check-in is open for 7 days",
        [sent("f", FOLLOWUP, "fu1", ago(days=7))],
        OpenQuestion("f", CHECKIN, followup_id="fu1"),
    ),
    (
        "a check-in older than 7 days is closed",
        [sent("f", FOLLOWUP, "fu1", ago(days=7, seconds=1))],
        None,
    ),
    (
        "the latest sent of two open questions",
        [
            sent("i", INVITATION, "s1", ago(days=2), ahead(days=3)),
            sent("f", FOLLOWUP, "fu1", ago(days=1)),
        ],
        OpenQuestion("f", CHECKIN, followup_id="fu1"),
    ),
    (
        "a later but closed question leaves the earlier open one",
        [
            sent("i", INVITATION, "s2", ago(days=5), ahead(days=3)),
            sent("r", REMINDER, "s1", ago(days=1), ago(hours=2)),
        ],
        OpenQuestion("i", SESSION, session_id="s2", starts_at=ahead(days=3)),
    ),
    (
        "a session message without its start asks nothing",
        [sent("i", INVITATION, "s1", ago(days=1), None)],
        None,
    ),
]


@pytest.mark.parametrize(("situation", "messages", "question"), ROWS, ids=[r[0] for r in ROWS])
def test_the_latest_open_question(situation, messages, question):
    assert latest_open_question(messages, NOW) == question
    # the order the messages come in does not matter
    assert latest_open_question(list(reversed(messages)), NOW) == question
