"""What a client's access request hands over: intake's own part, and the whole export.

:func:`intake_part` is everything intake holds about the client, decrypted: identity (the
NIK in full: it is the client's own copy), use history, referral, consent and its history,
family contacts, screenings with their answers, episodes of care, the audit entries about
the client, the client's data requests and referrals. :func:`export_of` puts it beside the parts
assessment and notifications sent (:mod:`services.intake.data_request_parts`);
:mod:`services.intake.export_html` prints it.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.intake import audit
from services.intake.data_request_views import get_request
from services.intake.health import health_of
from services.intake.models import (
    AuditEntry,
    Client,
    ConsentRecord,
    DataRequest,
    Referral,
    Screening,
)
from shared.auth import Caller, foundation_of
from shared.db import utcnow
from shared.problems import Conflict, Gone
from shared.vocabulary import DataRequestKind, DataRequestStatus

SERVICES = ("intake", "assessment", "notifications")


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _rows(session: Session, model, client_id: str, order) -> list:
    return list(
        session.execute(select(model).where(model.client_id == client_id).order_by(order)).scalars()
    )


def intake_part(session: Session, client: Client) -> dict[str, Any]:
    """Everything intake holds about ``client``, as JSON-ready values."""
    return {
        "identity": {
            "id": client.id,
            "code": client.code,
            "full_name": client.full_name,
            "nik": client.nik,
            "date_of_birth": client.date_of_birth,
            "date_of_birth_estimated": client.date_of_birth_estimated,
            "sex": client.sex,
            "phone": client.phone,
            "address": client.address,
            "status": client.status,
            "case_worker_id": client.case_worker_id,
            "registered_at": _iso(client.created_at),
        },
        "use_history": health_of(client),
        "referral": {
            "source": client.referral_source,
            "compulsory": client.referral_compulsory,
            "reference_no": client.referral_reference_no,
        },
        "consent": {
            "contact_family": client.consent_contact_family,
            "share_progress": client.consent_share_progress,
            "given_by": client.consent_given_by,
            "guardian_name": client.consent_guardian_name,
        },
        "consent_history": [
            {
                "contact_family": r.contact_family,
                "share_progress": r.share_progress,
                "given_by": r.given_by,
                "guardian_name": r.guardian_name,
                "recorded_by": r.recorded_by,
                "recorded_at": _iso(r.recorded_at),
            }
            for r in _rows(session, ConsentRecord, client.id, ConsentRecord.recorded_at)
        ],
        "family_contacts": [
            {
                "name": c.name,
                "relationship": c.relationship_,
                "phone": c.phone,
                "email": c.email,
                "channel": c.channel,
                "locale": c.locale,
                "may_contact": c.may_contact,
            }
            for c in client.family_contacts
        ],
        "screenings": [
            {
                "instrument": s.instrument,
                "score": s.score,
                "risk": s.risk,
                "answers": json.loads(s.answers or "null"),
                "result": json.loads(s.result or "null"),
                "recorded_by": s.recorded_by,
                "recorded_at": _iso(s.recorded_at),
            }
            for s in _rows(session, Screening, client.id, Screening.recorded_at)
        ],
        "episodes": [
            {
                "number": e.number,
                "admitted_on": _iso(e.admitted_on),
                "family_agreement": e.family_agreement,
                "treatment_status": e.treatment_status,
                "discharged_on": _iso(e.discharged_on),
                "discharge_reason": e.discharge_reason,
            }
            for e in client.episodes
        ],
        "audit": [
            {
                "at": _iso(a.at),
                "actor": a.actor,
                "action": a.action,
                "resource_type": a.resource_type,
            }
            for a in session.execute(
                select(AuditEntry)
                .where(
                    AuditEntry.foundation == client.foundation, AuditEntry.resource_id == client.id
                )
                .order_by(AuditEntry.at, AuditEntry.id)
            ).scalars()
        ],
        "data_requests": [
            {"kind": r.kind, "status": r.status, "opened_at": _iso(r.opened_at)}
            for r in _rows(session, DataRequest, client.id, DataRequest.opened_at)
        ],
        "referrals": [
            {
                "partner": r.partner.name,
                "to_foundation": r.to_foundation,
                "reason": r.reason,
                "share": [share for share in r.share.split(",") if share],
                "consent": r.consent,
                "override_reason": r.override_reason,
                "status": r.status,
                "created_at": _iso(r.created_at),
                "history": [
                    {"status": c.status, "note": c.note, "changed_at": _iso(c.changed_at)}
                    for c in r.changes
                ],
            }
            for r in _rows(session, Referral, client.id, Referral.created_at)
        ],
        "transferred_to": client.transferred_to_foundation,
        "transferred_from": client.transferred_from_foundation,
    }


def _part(content: str | None) -> Any:
    """A service's part as it sent it (JSON text; kept as text should it not parse)."""
    if not content:
        return {}
    try:
        return json.loads(content)
    except ValueError:
        return {"text": content}


def export_of(
    session: Session, caller: Caller, request_id: str
) -> tuple[dict[str, Any], DataRequest]:
    """The export of a complete access request, and the request; the download is audited.

    409 ``not_an_access_request`` for an erasure, 410 ``client_erased`` once the client is
    erased, 409 ``export_not_ready`` until every service has answered."""
    request = get_request(session, foundation_of(caller), request_id)
    if request.kind != DataRequestKind.ACCESS:
        raise Conflict(code="not_an_access_request")
    client = session.get(Client, request.client_id)
    if client is None or client.erased_at is not None:
        raise Gone(code="client_erased")
    if request.status != DataRequestStatus.COMPLETE:
        raise Conflict(code="export_not_ready")
    parts = {part.service: _part(part.content) for part in request.parts}
    audit.record(session, caller, "export", "data_request", client.id, request.id)
    export = {"client_id": client.id, "generated_at": utcnow().isoformat()}
    export.update({service: parts.get(service, {}) for service in SERVICES})
    return export, request
