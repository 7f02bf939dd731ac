"""The engagement report as the Laporan page reads it (``GET /reports/engagement`` in
assessment, which decides the measures): who started, engaged and stayed 90 days, per
programme and per case worker, and each case worker's caseload beside the staffing norm.

Pure. Each measure is ``{count, pending, rate}``: ``pending`` episodes may still meet it (their
window is open), and ``rate`` is ``None`` while no episode's measure is decided. Names come
from the caller (a programme's, a staff member's); a row the API reports without one (never
placed, no case worker) takes the caller's ``nobody`` text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

#: the measures in the order a client meets them, as the API names them
STAGES: tuple[str, ...] = ("started", "engaged", "retained_90")


@dataclass(frozen=True)
class Measure:
    count: int
    pending: int
    rate: float | None

    @property
    def percent(self) -> int | None:
        return None if self.rate is None else round(self.rate * 100)


@dataclass(frozen=True)
class Tally:
    """One row of the report: a programme's or a case worker's admissions and measures."""

    name: str
    admitted: int
    measures: dict[str, Measure]  # by stage

    def rates(self) -> list[float | None]:
        return [self.measures[stage].rate for stage in STAGES]


@dataclass(frozen=True)
class Caseload:
    case_worker_id: str
    name: str
    role: str
    clients: int
    norm: int
    over_norm: bool


def _measure(value: Any) -> Measure:
    value = value if isinstance(value, Mapping) else {}
    rate = value.get("rate")
    return Measure(
        int(value.get("count") or 0),
        int(value.get("pending") or 0),
        None if rate is None else float(rate),
    )


def tally(row: Mapping[str, Any], name: str) -> Tally:
    return Tally(
        name,
        int(row.get("admitted") or 0),
        {stage: _measure(row.get(stage)) for stage in STAGES},
    )


def by_programme(report: Mapping[str, Any], nobody: str) -> list[Tally]:
    """Per programme, as the API orders them; the clients never placed under ``nobody``."""
    return [
        tally(row, row.get("program") if row.get("program_id") else nobody)
        for row in report.get("by_program") or []
    ]


def by_case_worker(report: Mapping[str, Any], names: Mapping[str, str], nobody: str) -> list[Tally]:
    """Per case worker, by name; the clients without one under ``nobody``, last."""
    rows = [
        tally(row, names.get(row.get("case_worker_id") or "", nobody))
        for row in report.get("by_case_worker") or []
    ]
    return sorted(rows, key=lambda t: (t.name == nobody, t.name.casefold()))


def caseloads(report: Mapping[str, Any], names: Mapping[str, str]) -> list[Caseload]:
    """Each case worker's clients in care beside their norm, the heaviest against the norm
    first (the API's own order when equal)."""
    found = [
        Caseload(
            row["case_worker_id"],
            names.get(row["case_worker_id"], row["case_worker_id"]),
            str(row.get("role") or ""),
            int(row.get("clients") or 0),
            int(row.get("norm") or 0),
            bool(row.get("over_norm")),
        )
        for row in report.get("caseloads") or []
        if row.get("case_worker_id")
    ]
    return sorted(found, key=lambda c: -(c.clients / c.norm if c.norm else c.clients))


def over_norm(rows: Iterable[Caseload]) -> int:
    return sum(1 for row in rows if row.over_norm)
