"""Free text from a family tells the case worker at most once an hour: a rolling hour from
the last alert, not the clock's hour."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.notifications.reply_actions import free_text_alert_due

ALERTED = datetime(2026, 12, 7, 10, 59, 59, tzinfo=UTC)


@pytest.mark.parametrize(
    ("last_alert_at", "received_at", "due"),
    [
        (None, ALERTED, True),  # the contact's first free text
        (ALERTED, ALERTED + timedelta(seconds=2), False),  # 11:00:01, across the clock's hour
        (ALERTED, ALERTED + timedelta(minutes=59, seconds=59), False),
        (ALERTED, ALERTED + timedelta(hours=1), True),
        (ALERTED, ALERTED + timedelta(days=1), True),
    ],
)
def test_free_text_alerts_once_in_a_rolling_hour(last_alert_at, received_at, due):
    assert free_text_alert_due(last_alert_at, received_at) is due
