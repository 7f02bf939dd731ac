"""A case worker's caseload: who their clients are and what is late or coming up.

Pure: it joins what the three APIs answered (clients from intake; sessions, due
assessments and follow-ups from assessment; the family's unread replies from notifications)
into one row per client, with the early warning's level when the client is flagged.
A follow-up still without an outcome is overdue once its day has passed, and due from
:data:`FOLLOWUP_NOTICE_DAYS` days before it. A family reply nobody has read yet needs
attention too, a discharged client's included (families answer the follow-up check-ins).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

IN_CARE = ("registered", "admitted", "placed")
#: a follow-up shows on the caseload this many days before its due date
FOLLOWUP_NOTICE_DAYS = 7


@dataclass
class CaseloadRow:
    client: dict[str, Any]
    next_session: dict[str, Any] | None = None
    overdue_assessment: dict[str, Any] | None = None
    overdue_followups: list[dict[str, Any]] = field(default_factory=list)
    due_followups: list[dict[str, Any]] = field(default_factory=list)
    unread_replies: int = 0
    risk_level: str | None = None  # watch | high when the early warning flags the client

    @property
    def needs_attention(self) -> bool:
        return (
            self.risk_level is not None
            or self.overdue_assessment is not None
            or bool(self.overdue_followups)
            or bool(self.due_followups)
            or self.unread_replies > 0
        )


@dataclass(frozen=True)
class FollowupDue:
    client: dict[str, Any]
    followup: dict[str, Any]
    overdue: bool


def _moment(value: str) -> datetime:
    return datetime.fromisoformat(value)


def build_caseload(
    clients: list[dict[str, Any]],
    upcoming_sessions: list[dict[str, Any]],
    due_assessments: list[dict[str, Any]],
    followups: list[dict[str, Any]],
    *,
    now: datetime,
    today: date,
    case_worker_id: str | None,
    every_status: bool = False,
    unread_replies: Mapping[str, int] | None = None,
    risk_levels: Mapping[str, str] | None = None,
) -> list[CaseloadRow]:
    """One row per client of ``case_worker_id`` (every client when ``None``): still in care,
    or discharged with a follow-up overdue or due, a family reply unread or an early-warning
    flag (every client with ``every_status``); ``unread_replies`` counts the replies by
    client, ``risk_levels`` are the flagged clients' levels. Rows needing attention come
    first, then by the next session."""
    rows: dict[str, CaseloadRow] = {}
    for client in clients:
        if case_worker_id is not None and client.get("case_worker_id") != case_worker_id:
            continue
        rows[client["id"]] = CaseloadRow(client)
    for session in sorted(upcoming_sessions, key=lambda s: s["starts_at"]):
        if session.get("status") == "cancelled" or _moment(session["starts_at"]) < now:
            continue
        for client_id in session.get("client_ids", []):
            row = rows.get(client_id)
            if row is not None and row.next_session is None:
                row.next_session = session
    for assessment in due_assessments:
        row = rows.get(assessment["client_id"])
        if (
            row is not None
            and assessment["status"] == "due"
            and _moment(assessment["due_at"]) < now
        ):
            row.overdue_assessment = assessment
    notice_until = today + timedelta(days=FOLLOWUP_NOTICE_DAYS)
    for followup in sorted(followups, key=lambda f: f["due_on"]):
        row = rows.get(followup["client_id"])
        if row is None or followup.get("outcome") is not None:
            continue
        due_on = date.fromisoformat(followup["due_on"])
        if due_on < today:
            row.overdue_followups.append(followup)
        elif due_on <= notice_until:
            row.due_followups.append(followup)
    for client_id, count in (unread_replies or {}).items():
        row = rows.get(client_id)
        if row is not None:
            row.unread_replies = count
    for client_id, level in (risk_levels or {}).items():
        row = rows.get(client_id)
        if row is not None:
            row.risk_level = level
    kept = [
        r
        for r in rows.values()
        if every_status
        or r.client.get("status") in IN_CARE
        or r.overdue_followups
        or r.due_followups
        or r.unread_replies
        or r.risk_level
    ]
    far_future = "9999"
    return sorted(
        kept,
        key=lambda r: (
            not r.needs_attention,
            r.next_session["starts_at"] if r.next_session else far_future,
            r.client.get("code") or "",
        ),
    )


def followups_due(rows: list[CaseloadRow]) -> list[FollowupDue]:
    """The caseload's follow-ups to do now: overdue and due soon, earliest first."""
    due = [
        FollowupDue(row.client, followup, overdue)
        for row in rows
        for followups, overdue in ((row.overdue_followups, True), (row.due_followups, False))
        for followup in followups
    ]
    return sorted(due, key=lambda d: (d.followup["due_on"], d.client.get("code") or ""))


def unread_by_client(replies: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """How many unread family replies each client has (``GET /replies?unread=true``)."""
    return dict(Counter(r["client_id"] for r in replies if r.get("read_at") is None))
