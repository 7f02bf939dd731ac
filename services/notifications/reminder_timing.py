"""When a session reminder goes out, or why it does not.

The reminder is due 24 hours before the session. If that moment had already passed when the
session was booked, or if quiet hours push it to (or past) the session's start, it is not
sent: it is recorded as cancelled with the reason (a reason code).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from services.notifications.quiet_hours import defer_past_quiet_hours

REMINDER_LEAD = timedelta(hours=24)
# reason codes (shared/codes/notifications.py)
TOO_LATE_AT_BOOKING = "reminder_too_late_at_booking"
AFTER_START = "reminder_after_session_start"


def session_reminder_time(
    starts_at: datetime, booked_at: datetime, timezone: str, quiet_start: str, quiet_end: str
) -> tuple[datetime | None, str | None]:
    """``(send_at, None)``, or ``(None, reason_code)`` when no reminder should go."""
    due = starts_at - REMINDER_LEAD
    if due < booked_at:
        return None, TOO_LATE_AT_BOOKING
    send_at = defer_past_quiet_hours(due, timezone, quiet_start, quiet_end)
    if lands_after_start(send_at, starts_at):
        return None, AFTER_START
    return send_at, None


def lands_after_start(send_at: datetime, starts_at: datetime) -> bool:
    """A reminder that would reach the family once the session has begun is pointless.

    With a 24-hour lead, quiet hours alone cannot push it that far; a later deferral can
    (quiet hours re-checked at send time, or a hold while consent data is stale)."""
    return send_at >= starts_at
