"""The early warning's card on the client page: the flag with its reasons, the last outreach
that reached the client since the reasons began, the outreach so far, and the outreach form.

A flagged client's card comes first on the page; without a flag it is a quiet card lower
down (an outreach may still be recorded: a worker can be worried before any rule is).
"""

from __future__ import annotations

from typing import Any

from services.console.context import api
from services.console.forms.outreach import OutreachForm
from services.console.risk_flag import is_flagged, reasons
from services.console.views.common import section

#: the client page's key of the outreach form, and the form's prefix
OUTREACH_FORM = "outreach_form"
OUTREACH_PREFIX = "outreach"


def risk_card(
    client_id: str,
    care: dict[str, Any] | None,
    posted: dict[str, Any],
    notices: list[str],
    timezone: str,
) -> dict[str, Any]:
    """What the card shows: the ``risk`` flag (``None`` when assessment does not know the
    client or does not answer), its ``risk_reasons`` most pressing first, whether the client
    is ``flagged``, the ``outreach`` so far (newest first) and the ``outreach_form`` (a refused
    one as it was posted)."""
    flag = outreach = None
    if care:
        flag = section(
            lambda: api().get("assessment", f"/clients/{client_id}/risk"), notices, "assessment"
        )
        outreach = section(
            lambda: api().items("assessment", f"/clients/{client_id}/outreach"),
            notices,
            "assessment",
        )
    return {
        "risk": flag,
        "risk_reasons": reasons(flag, timezone),
        "flagged": is_flagged(flag),
        "outreach": sorted(outreach or [], key=lambda o: o.get("recorded_at") or "", reverse=True),
        OUTREACH_FORM: posted.get(OUTREACH_FORM)
        or OutreachForm(formdata=None, prefix=OUTREACH_PREFIX),
    }
