"""How the early warning's flag reads in the console: a client's reasons, most pressing first,
and the caseload's list of clients who need attention.

Pure. A flag is what assessment answers (``GET /clients/{id}/risk``, or an item of
``GET /risk``): its ``level`` (none, watch, high) and the ``reasons`` that hold, each with its
``rule``, ``level`` and ``since``. The console names a reason by its rule, in the user's
language (``risk_rule.<rule>``), never by the API's sentence; ``since`` is shown as a day of
the foundation's calendar.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from shared.vocabulary import RiskLevel

#: most pressing first; a level the console does not know comes last
LEVEL_ORDER: tuple[str, ...] = (RiskLevel.HIGH, RiskLevel.WATCH, RiskLevel.NONE)
FLAGGED = frozenset({RiskLevel.HIGH, RiskLevel.WATCH})


@dataclass(frozen=True)
class Reason:
    rule: str
    level: str
    since: date | None  # the day the rule began to hold, in the foundation's calendar
    #: what the rule saw, in each language, as assessment words it ("2 sessions missed in a
    #: row: 3 and 5 December"): data about this client, shown beside the rule's own text
    details: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class FlaggedClient:
    """A row of the caseload's "needs attention" list."""

    client: Mapping[str, Any]
    level: str
    top_reason: Reason | None
    mine: bool


def rank(level: str | None) -> int:
    return LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER)


def is_flagged(flag: Mapping[str, Any] | None) -> bool:
    return flag is not None and str(flag.get("level")) in FLAGGED


def local_day(value: str | None, timezone: str) -> date | None:
    """``value`` (a date, or a moment with its offset) as a day in ``timezone``; ``None`` when
    missing or unreadable."""
    if not value:
        return None
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(ZoneInfo(timezone)).date()


def _details(value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping):
        return {}
    return {str(k): v for k, v in value.items() if isinstance(v, str) and v}


def reasons(flag: Mapping[str, Any] | None, timezone: str) -> list[Reason]:
    """The flag's reasons, the most pressing level first, then the one holding longest; a
    reason without a level of its own counts as the flag's."""
    found = [
        Reason(
            rule=str(r.get("rule") or ""),
            level=str(r.get("level") or (flag or {}).get("level") or ""),
            since=local_day(r.get("since"), timezone),
            details=_details(r.get("details")),
        )
        for r in (flag or {}).get("reasons") or []
        if r.get("rule")
    ]
    return sorted(found, key=lambda r: (rank(r.level), r.since or date.max))


def attention_list(
    flags: Iterable[Mapping[str, Any]],
    clients: Iterable[Mapping[str, Any]],
    *,
    timezone: str,
    staff_id: str | None,
    case_worker_id: str | None,
) -> list[FlaggedClient]:
    """The flagged clients among ``clients`` (of ``case_worker_id`` only, when given), each
    with its most pressing reason: high before watch, the user's (``staff_id``) own first,
    then the longest-standing. A flag of a client not among ``clients`` (not found by a
    search, or erased) is left out."""
    by_id = {c["id"]: c for c in clients}
    found = []
    for flag in flags:
        client = by_id.get(flag.get("client_id"))
        if client is None or not is_flagged(flag):
            continue
        if case_worker_id is not None and client.get("case_worker_id") != case_worker_id:
            continue
        ordered = reasons(flag, timezone)
        mine = staff_id is not None and client.get("case_worker_id") == staff_id
        found.append(FlaggedClient(client, flag["level"], ordered[0] if ordered else None, mine))
    return sorted(
        found,
        key=lambda f: (
            rank(f.level),
            not f.mine,
            (f.top_reason.since if f.top_reason else None) or date.max,
            f.client.get("code") or "",
        ),
    )
