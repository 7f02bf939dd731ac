"""Rules on attendance: absences in a row, absences among the last sessions, and no
attended session for too long. They hold only while the client is in care (admitted or
placed): after discharge no sessions are expected. ``excused`` is recorded but is never an
absence; attendance at a cancelled session is not counted at all."""

from __future__ import annotations

from datetime import datetime, timedelta

from services.assessment.risk_rules.facts import AttendanceFact, ClientFacts, Thresholds
from services.assessment.risk_rules.reasons import Reason, iso_days
from shared.vocabulary import Attendance, RiskLevel, RiskRule


def _recorded(facts: ClientFacts) -> list[AttendanceFact]:
    """The client's recorded attendances in the order of their sessions."""
    return sorted(facts.attendances, key=lambda a: a.session_starts_at)


def _days(facts: ClientFacts, attendances: list[AttendanceFact]) -> list[str]:
    return iso_days(sorted({facts.local_day(a.session_starts_at) for a in attendances}))


def consecutive_absences(facts: ClientFacts, t: Thresholds, now: datetime) -> Reason | None:
    """High: the last ``consecutive_absences`` recorded attendances were all absent. The
    reason names the whole run of absences at the end; it began with the absence that
    made the run long enough."""
    if not facts.in_care:
        return None
    run: list[AttendanceFact] = []
    for attendance in reversed(_recorded(facts)):
        if attendance.status != Attendance.ABSENT:
            break
        run.insert(0, attendance)
    if len(run) < t.consecutive_absences:
        return None
    return Reason(
        RiskRule.CONSECUTIVE_ABSENCES,
        RiskLevel.HIGH,
        since=run[t.consecutive_absences - 1].session_starts_at,
        params={"count": len(run), "days": _days(facts, run)},
    )


def missed_sessions(facts: ClientFacts, t: Thresholds, now: datetime) -> Reason | None:
    """Watch: at least ``missed_sessions_absent`` absent among the last
    ``missed_sessions_last`` recorded attendances (since the absence that made enough)."""
    if not facts.in_care:
        return None
    last = _recorded(facts)[-t.missed_sessions_last :]
    absent = [a for a in last if a.status == Attendance.ABSENT]
    if len(absent) < t.missed_sessions_absent:
        return None
    return Reason(
        RiskRule.MISSED_SESSIONS,
        RiskLevel.WATCH,
        since=absent[t.missed_sessions_absent - 1].session_starts_at,
        params={"count": len(absent), "last": len(last), "days": _days(facts, absent)},
    )


def no_recent_session(facts: ClientFacts, t: Thresholds, now: datetime) -> Reason | None:
    """Watch: in care and no attended session in the last ``no_recent_session_days``
    calendar days, the admission day counting as one (so a new client is not flagged in
    their first days). It began on the first day without one."""
    if not facts.in_care or facts.admitted_on is None:
        return None
    attended = [
        facts.local_day(a.session_starts_at)
        for a in facts.attendances
        if a.status == Attendance.ATTENDED
    ]
    last_attended = max(attended) if attended else None
    reference = max(last_attended, facts.admitted_on) if last_attended else facts.admitted_on
    days_without = (facts.local_day(now) - reference).days
    if days_without < t.no_recent_session_days:
        return None
    return Reason(
        RiskRule.NO_RECENT_SESSION,
        RiskLevel.WATCH,
        since=facts.start_of(reference + timedelta(days=t.no_recent_session_days)),
        params={
            "days_without": days_without,
            "last_attended": iso_days([last_attended]) if last_attended else [],
            "admitted_on": facts.admitted_on.isoformat(),
        },
    )
