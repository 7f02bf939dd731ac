"""The send decision: whether a claimed message goes now, waits, or never goes, and why.

Every row is one situation at send time; the foundation is in Jakarta (UTC+7) with quiet
hours 21:00-07:00 local (14:00-00:00 UTC), and "now" is 10:00 local unless a row says
otherwise.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from services.notifications.quiet_hours import Calendar
from services.notifications.send_decision import (
    HOLD_WHILE_STALE,
    Address,
    ClientConsent,
    CurrentRecipient,
    Defer,
    PendingMessage,
    Refuse,
    Send,
    followup_of_another_episode,
    send_decision,
)
from shared.codes import REASON_CODES
from shared.vocabulary import MessageStatus, RecipientKind

FAMILY, STAFF = RecipientKind.FAMILY, RecipientKind.STAFF
CANCELLED, SUPPRESSED = MessageStatus.CANCELLED, MessageStatus.SUPPRESSED
JAKARTA = Calendar("Asia/Jakarta", "21:00", "07:00", "id")
NO_QUIET_HOURS = Calendar("Asia/Jakarta", "00:00", "00:00", "id")


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


MORNING = utc("2026-12-01 03:00")  # 10:00 local
NIGHT = utc("2026-12-01 15:00")  # 22:00 local
NEXT_MORNING = utc("2026-12-02 00:00")  # 07:00 local, when quiet hours end
DUSK = utc("2026-12-01 13:59:50")  # 20:59:50 local: a 30 s hold ends in quiet hours
DAWN = utc("2026-12-01 23:00")  # 06:00 local
TOMORROW = MORNING + timedelta(hours=24)
SOON = MORNING + timedelta(seconds=10)  # sooner than a hold for stale consent data ends
BEGUN = MORNING - timedelta(minutes=5)
HELD_UNTIL = MORNING + HOLD_WHILE_STALE

# The family's number now (it changed since the message was scheduled: the decision
# addresses the message to this one).
PHONE = Address("sms", "+6281399990000", "Ibu Siti")
STAFF_EMAIL = Address("email", "rahmat@example.org", "Rahmat")

CONTACT = CurrentRecipient(PHONE)
OPTED_OUT = CurrentRecipient(PHONE, opted_out=True)
BARRED = CurrentRecipient(PHONE, contactable=False)  # may_contact false
ACTIVE_STAFF = CurrentRecipient(STAFF_EMAIL)
INACTIVE_STAFF = CurrentRecipient(STAFF_EMAIL, contactable=False)

CONSENT = ClientConsent(contact_family=True, share_progress=False, episode_id="ep-2")
SHARING = replace(CONSENT, share_progress=True)
WITHDRAWN = replace(CONSENT, contact_family=False)
STALE = replace(CONSENT, fresh=False)

WELCOME = PendingMessage(FAMILY, "family.welcome")
PROGRESS = PendingMessage(FAMILY, "family.progress_update")
FOLLOWUP_NOW = PendingMessage(FAMILY, "family.followup", episode_id="ep-2")
FOLLOWUP_BEFORE = PendingMessage(FAMILY, "family.followup", episode_id="ep-1")
FOLLOWUP_UNTIED = PendingMessage(FAMILY, "family.followup")  # scheduled before episodes
ASSESSMENT_DUE = PendingMessage(STAFF, "staff.assessment_due")
CRISIS = PendingMessage(STAFF, "staff.crisis_alert")


def reminder(starts_at: datetime) -> PendingMessage:
    return PendingMessage(FAMILY, "family.session_reminder", session_starts_at=starts_at)


# A staff answer over WhatsApp goes as free text: only inside the 24-hour window the
# family's last WhatsApp reply opened, when it actually goes.
DIRECT = PendingMessage(FAMILY, "family.direct")
WHATSAPP = Address("whatsapp", "+6281399990000", "Ibu Siti")
WINDOW_CLOSED = Refuse("whatsapp_window_closed", CANCELLED, WHATSAPP)


def on_whatsapp(window_until: datetime | None) -> CurrentRecipient:
    return CurrentRecipient(WHATSAPP, free_text_until=window_until)


QUIET = "deferred_past_quiet_hours"
HELD = "held_for_consent_data"
TOO_LATE = Refuse("reminder_after_session_start", CANCELLED, PHONE)

# Who may receive it, at 10:00 local: (case, message, recipient, consent, decision).
WHO = [
    ("goes", WELCOME, CONTACT, CONSENT, Send(PHONE)),
    # consent and the contact
    ("client unknown", WELCOME, CONTACT, None, Refuse("client_unknown")),
    ("consent withdrawn", WELCOME, CONTACT, WITHDRAWN, Refuse("consent_withdrawn")),
    ("contact removed", WELCOME, None, CONSENT, Refuse("contact_removed")),
    ("may_contact false", WELCOME, BARRED, CONSENT, Refuse("contact_removed")),
    # the first reason that applies is the one given
    ("unknown and gone", WELCOME, None, None, Refuse("client_unknown")),
    ("withdrawn and gone", WELCOME, None, WITHDRAWN, Refuse("consent_withdrawn")),
    ("withdrawn and opted out", WELCOME, OPTED_OUT, WITHDRAWN, Refuse("consent_withdrawn")),
    # progress is shared only while the client agrees
    ("progress not shared", PROGRESS, CONTACT, CONSENT, Refuse("share_progress_withdrawn")),
    ("progress shared", PROGRESS, CONTACT, SHARING, Send(PHONE)),
    # a follow-up belongs to the client's current episode
    ("follow-up of this episode", FOLLOWUP_NOW, CONTACT, CONSENT, Send(PHONE)),
    ("follow-up, readmitted", FOLLOWUP_BEFORE, CONTACT, CONSENT, Refuse("client_readmitted")),
    ("follow-up of no episode", FOLLOWUP_UNTIED, CONTACT, CONSENT, Send(PHONE)),
    (
        "client in no episode",
        FOLLOWUP_BEFORE,
        CONTACT,
        replace(CONSENT, episode_id=None),
        Send(PHONE),
    ),
    # staff: active, and of this foundation (the loader gives None for another's)
    ("staff active", ASSESSMENT_DUE, ACTIVE_STAFF, None, Send(STAFF_EMAIL)),
    ("staff inactive", ASSESSMENT_DUE, INACTIVE_STAFF, None, Refuse("staff_inactive")),
    ("staff unknown", ASSESSMENT_DUE, None, CONSENT, Refuse("staff_inactive")),
    ("staff, family consent withdrawn", ASSESSMENT_DUE, ACTIVE_STAFF, WITHDRAWN, Send(STAFF_EMAIL)),
    # opt-out: of the address the recipient has now; the message records that address
    ("opted out", WELCOME, OPTED_OUT, CONSENT, Refuse("recipient_opted_out", SUPPRESSED, PHONE)),
    (
        "staff opted out",
        ASSESSMENT_DUE,
        replace(ACTIVE_STAFF, opted_out=True),
        None,
        Refuse("recipient_opted_out", SUPPRESSED, STAFF_EMAIL),
    ),
    # consent data not current: family messages wait, staff messages do not
    ("consent data stale", WELCOME, CONTACT, STALE, Defer(HELD_UNTIL, HELD, PHONE)),
    ("stale, staff message", ASSESSMENT_DUE, ACTIVE_STAFF, STALE, Send(STAFF_EMAIL)),
]


@pytest.mark.parametrize(
    ("message", "recipient", "consent", "expected"),
    [case[1:] for case in WHO],
    ids=[case[0] for case in WHO],
)
def test_who_may_receive_it(message, recipient, consent, expected):
    assert send_decision(message, recipient, consent, JAKARTA, MORNING) == expected


# When it may go: (case, message, recipient, consent, calendar, now, decision).
WHEN = [
    ("quiet hours", WELCOME, CONTACT, CONSENT, JAKARTA, NIGHT, Defer(NEXT_MORNING, QUIET, PHONE)),
    (
        "quiet hours, staff reminder",
        ASSESSMENT_DUE,
        ACTIVE_STAFF,
        None,
        JAKARTA,
        NIGHT,
        Defer(NEXT_MORNING, QUIET, STAFF_EMAIL),
    ),
    ("a crisis is exempt", CRISIS, ACTIVE_STAFF, None, JAKARTA, NIGHT, Send(STAFF_EMAIL)),
    ("no quiet hours", WELCOME, CONTACT, CONSENT, NO_QUIET_HOURS, NIGHT, Send(PHONE)),
    ("quiet hours just ended", WELCOME, CONTACT, CONSENT, JAKARTA, NEXT_MORNING, Send(PHONE)),
    # a hold that reaches into quiet hours waits for their end, and still says it is a hold
    ("stale at night", WELCOME, CONTACT, STALE, JAKARTA, NIGHT, Defer(NEXT_MORNING, HELD, PHONE)),
    ("stale at 20:59:50", WELCOME, CONTACT, STALE, JAKARTA, DUSK, Defer(NEXT_MORNING, HELD, PHONE)),
    # a withdrawn consent cancels at night too: who comes before when
    (
        "withdrawn at night",
        WELCOME,
        CONTACT,
        WITHDRAWN,
        JAKARTA,
        NIGHT,
        Refuse("consent_withdrawn"),
    ),
    # a session reminder that would arrive once the session started is cancelled
    ("reminder in time", reminder(TOMORROW), CONTACT, CONSENT, JAKARTA, MORNING, Send(PHONE)),
    ("reminder, session at 06:00", reminder(DAWN), CONTACT, CONSENT, JAKARTA, NIGHT, TOO_LATE),
    (
        "reminder, session at 07:00",
        reminder(NEXT_MORNING),
        CONTACT,
        CONSENT,
        JAKARTA,
        NIGHT,
        TOO_LATE,
    ),
    (
        "reminder, session at 07:01",
        reminder(NEXT_MORNING + timedelta(minutes=1)),
        CONTACT,
        CONSENT,
        JAKARTA,
        NIGHT,
        Defer(NEXT_MORNING, QUIET, PHONE),
    ),
    ("reminder held past the start", reminder(SOON), CONTACT, STALE, JAKARTA, MORNING, TOO_LATE),
    ("session already begun", reminder(BEGUN), CONTACT, CONSENT, JAKARTA, MORNING, TOO_LATE),
    # a staff answer: by SMS whenever; over WhatsApp only while the window is open then
    ("answer by sms", DIRECT, CONTACT, CONSENT, JAKARTA, MORNING, Send(PHONE)),
    ("answer in the window", DIRECT, on_whatsapp(SOON), CONSENT, JAKARTA, MORNING, Send(WHATSAPP)),
    ("no window opened", DIRECT, on_whatsapp(None), CONSENT, JAKARTA, MORNING, WINDOW_CLOSED),
    ("window just closed", DIRECT, on_whatsapp(MORNING), CONSENT, JAKARTA, MORNING, WINDOW_CLOSED),
    (
        "window closes before quiet hours end",
        DIRECT,
        on_whatsapp(NIGHT + timedelta(hours=1)),
        CONSENT,
        JAKARTA,
        NIGHT,
        WINDOW_CLOSED,
    ),
    (
        "window open past quiet hours",
        DIRECT,
        on_whatsapp(NEXT_MORNING + timedelta(hours=1)),
        CONSENT,
        JAKARTA,
        NIGHT,
        Defer(NEXT_MORNING, QUIET, WHATSAPP),
    ),
    ("held past the window", DIRECT, on_whatsapp(SOON), STALE, JAKARTA, MORNING, WINDOW_CLOSED),
]


@pytest.mark.parametrize(
    ("message", "recipient", "consent", "calendar", "now", "expected"),
    [case[1:] for case in WHEN],
    ids=[case[0] for case in WHEN],
)
def test_when_it_may_go(message, recipient, consent, calendar, now, expected):
    assert send_decision(message, recipient, consent, calendar, now) == expected


DECISIONS = [case[-1] for case in WHO + WHEN]


@pytest.mark.parametrize("expected", DECISIONS, ids=[case[0] for case in WHO + WHEN])
def test_every_reason_given_is_a_registered_reason_code(expected):
    if not isinstance(expected, Send):
        assert expected.reason_code in REASON_CODES


def test_a_message_that_passes_who_is_addressed_as_the_recipient_is_reached_now():
    moved = CurrentRecipient(Address("whatsapp", "+6281200001111", "Ibu Siti"))
    decision = send_decision(WELCOME, moved, CONSENT, JAKARTA, MORNING)
    assert decision == Send(moved.address)
    # refused before the recipient was found reachable: no address to record
    assert send_decision(WELCOME, moved, WITHDRAWN, JAKARTA, MORNING).to is None


@pytest.mark.parametrize(
    ("followed", "current", "another"),
    [
        ("ep-1", "ep-2", True),
        ("ep-2", "ep-2", False),
        (None, "ep-2", False),
        ("ep-1", None, False),
        (None, None, False),
    ],
)
def test_followup_of_another_episode(followed, current, another):
    assert followup_of_another_episode(followed, current) is another
