"""Recording a screening: score it with the instrument's rules, keep answers and result."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.intake import audit
from services.intake.clients import get_client
from services.intake.models import Screening
from services.intake.screening import ScreeningError, score_assist, score_dast10
from shared.auth import Caller
from shared.codes import field_error
from shared.events.unit_of_work import UnitOfWork
from shared.pagination import paginate
from shared.problems import ValidationFailed
from shared.vocabulary import Instrument

ASSIST_RISK_ORDER = ("low", "moderate", "high")


def score(instrument: str, answers: Any) -> tuple[int | None, str, dict[str, Any]]:
    """``(score, risk, result)``; ASSIST's score/risk are those of the riskiest substance."""
    if instrument == Instrument.DAST_10:
        dast = score_dast10(answers)
        return dast.score, dast.risk, {"score": dast.score, "risk": dast.risk}
    results = score_assist(answers)
    worst = max(results, key=lambda r: (ASSIST_RISK_ORDER.index(r.risk), r.score))
    return worst.score, worst.risk, {"results": [asdict(r) for r in results]}


def _check_shape(instrument: str, answers: Any) -> None:
    """The answers' outer shape fits the instrument (the scoring checks the rest)."""
    if instrument == Instrument.DAST_10 and not isinstance(answers, list):
        raise ScreeningError("answers", field_error("dast10_answers_shape"))
    if instrument == Instrument.ASSIST and not isinstance(answers, dict):
        raise ScreeningError("answers", field_error("assist_answers_shape"))


def record_screening(
    uow: UnitOfWork, caller: Caller, client_id: str, data: dict[str, Any]
) -> Screening:
    """Score a screening and keep it with its answers; 422 on the answer that cannot be
    scored (its stable code beside the message)."""
    session = uow.session
    client = get_client(session, caller.foundation, client_id)
    try:
        _check_shape(data["instrument"], data["answers"])
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


def screening_history(session: Session, caller: Caller, client_id: str, page: dict) -> dict:
    """A page of the client's screenings, newest first (the read is audited)."""
    client = get_client(session, caller.foundation, client_id)
    audit.record(session, caller, "read", "screenings", client.id)
    stmt = (
        select(Screening)
        .where(Screening.client_id == client.id)
        .order_by(Screening.recorded_at.desc())
    )
    return paginate(session, stmt, page)
