"""Recording a screening: score it with the instrument's rules, keep answers and result."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from services.intake import audit
from services.intake.clients import get_client
from services.intake.models import Screening
from services.intake.screening import ScreeningError, score_assist, score_dast10
from shared.auth import Caller
from shared.events.unit_of_work import UnitOfWork
from shared.problems import ValidationFailed

ASSIST_RISK_ORDER = ("low", "moderate", "high")


def score(instrument: str, answers: Any) -> tuple[int | None, str, dict[str, Any]]:
    """``(score, risk, result)``; ASSIST's score/risk are those of the riskiest substance."""
    if instrument == "DAST-10":
        dast = score_dast10(answers)
        return dast.score, dast.risk, {"score": dast.score, "risk": dast.risk}
    results = score_assist(answers)
    worst = max(results, key=lambda r: (ASSIST_RISK_ORDER.index(r.risk), r.score))
    return worst.score, worst.risk, {"results": [asdict(r) for r in results]}


def record_screening(
    uow: UnitOfWork, caller: Caller, client_id: str, data: dict[str, Any]
) -> Screening:
    session = uow.session
    client = get_client(session, caller.foundation, client_id)
    try:
        if data["instrument"] == "DAST-10" and not isinstance(data["answers"], list):
            raise ScreeningError("answers", "DAST-10 takes a list of 10 true/false answers.")
        if data["instrument"] == "ASSIST" and not isinstance(data["answers"], dict):
            raise ScreeningError("answers", "ASSIST takes {substance: {q2..q7: option}}.")
        value, risk, result = score(data["instrument"], data["answers"])
    except ScreeningError as exc:
        raise ValidationFailed(errors={exc.field: [exc.message]}) from exc
    screening = Screening(
        client_id=client.id,
        foundation=client.foundation,
        instrument=data["instrument"],
        answers=json.dumps(data["answers"]),
        result=json.dumps(result),
        score=value,
        risk=risk,
        recorded_by=caller.sub,
    )
    session.add(screening)
    session.flush()
    audit.record(session, caller, "create", "screening", client.id, screening.id)
    return screening
