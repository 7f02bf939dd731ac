"""Recording an outreach from the client page (``POST /clients/{id}/outreach`` in assessment).

An outreach never changes the flag by itself: the flag falls only when its rules no longer
hold. One that reached the client, or brought them back, shows with the flag as its last
outreach; every one shows in the card's history.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from services.console.context import api
from services.console.forms.outreach import OutreachForm
from services.console.i18n import label
from services.console.views.client_page import client_action
from services.console.views.risk_card import OUTREACH_FORM, OUTREACH_PREFIX

bp = Blueprint("outreach", __name__, url_prefix="/clients")


@bp.post("/<client_id>/outreach")
def record(client_id: str):
    form = OutreachForm(prefix=OUTREACH_PREFIX)
    return client_action(
        client_id,
        form,
        OUTREACH_FORM,
        lambda: api().post("assessment", f"/clients/{client_id}/outreach", form.to_api()),
        _recorded,
        anchor="risk",
        # a client assessment does not know (yet) is said beside the form like a refusal
        refusals=(404, 409, 422),
    )


def _recorded(outreach: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return "flash.outreach_recorded", {
        "method": label("outreach_method", outreach.get("method")),
        "outcome": label("outreach_outcome", outreach.get("outcome")),
    }
