"""The client's family and screening, from the client page: consent, family contacts
(added, changed, removed), a DAST-10 or WHO ASSIST screening."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from services.console.context import api
from services.console.forms.base import ConsoleForm
from services.console.forms.family import ConsentForm, FamilyContactEditForm
from services.console.forms.screening import AssistForm, Dast10Form
from services.console.i18n import label
from services.console.views.client_page import client_action

bp = Blueprint("family", __name__, url_prefix="/clients")


@bp.post("/<client_id>/consent")
def change_consent(client_id: str):
    form = ConsentForm(prefix="consent")
    return client_action(
        client_id,
        form,
        "consent_form",
        lambda: api().put("intake", f"/clients/{client_id}/consent", form.to_api()),
        _consent_changed,
        anchor="consent",
    )


def _consent_changed(client: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Without consent to contact the family, their pending messages are cancelled: say so."""
    if client["consent"]["contact_family"]:
        return "flash.consent_changed", {}
    return "flash.consent_withdrawn", {}


@bp.post("/<client_id>/family-contacts")
def add_contact(client_id: str):
    form = FamilyContactEditForm(prefix="new-contact")
    return client_action(
        client_id,
        form,
        "contact_form",
        lambda: api().post("intake", f"/clients/{client_id}/family-contacts", form.to_api()),
        "flash.contact_added",
        anchor="family",
    )


@bp.post("/<client_id>/family-contacts/<contact_id>")
def change_contact(client_id: str, contact_id: str):
    key = f"contact-{contact_id}"
    form = FamilyContactEditForm(prefix=key)
    return client_action(
        client_id,
        form,
        key,
        lambda: api().patch(
            "intake", f"/clients/{client_id}/family-contacts/{contact_id}", form.to_api()
        ),
        "flash.contact_saved",
        anchor="family",
    )


@bp.post("/<client_id>/family-contacts/<contact_id>/remove")
def remove_contact(client_id: str, contact_id: str):
    return client_action(
        client_id,
        ConsoleForm(),
        f"remove-{contact_id}",
        lambda: api().delete("intake", f"/clients/{client_id}/family-contacts/{contact_id}"),
        "flash.contact_removed",
        anchor="family",
    )


@bp.post("/<client_id>/screenings")
def screen(client_id: str):
    form = Dast10Form(prefix="dast")
    return client_action(
        client_id,
        form,
        "screening_form",
        lambda: api().post("intake", f"/clients/{client_id}/screenings", form.to_api()),
        lambda screening: (
            "flash.screening_recorded",
            {"score": screening["score"], "risk": label("risk", screening["risk"])},
        ),
        anchor="screenings",
    )


@bp.post("/<client_id>/screenings/assist")
def screen_assist(client_id: str):
    form = AssistForm(prefix="assist")
    return client_action(
        client_id,
        form,
        "assist_form",
        lambda: api().post("intake", f"/clients/{client_id}/screenings", form.to_api()),
        _assist_recorded,
        anchor="screenings",
    )


def _assist_recorded(screening: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The notice names each substance's involvement score and risk, as the API scored it."""
    results = "; ".join(
        f"{label('assist_substance', r['substance'])} {r['score']} ({label('risk', r['risk'])})"
        for r in screening.get("results") or []
    )
    return "flash.assist_recorded", {"results": results}
