"""The client page's referrals: what was referred where and how it stands, the answers a
case worker may record, the "Rujuk" form, a transfer's link, and (admins, a compulsorily
referred client) the report for the referrer.

Which answers the sender may record mirrors intake's transitions: for a partner outside
this Pendamping the sender records the partner's acceptance or refusal, then ``done``; a
foundation of this Pendamping answers itself, so its sender only closes (``done``) or
revokes. Intake has the last word (409 ``invalid_transition``).
"""

from __future__ import annotations

from typing import Any

from services.console.context import api, can_write
from services.console.forms.referrals import ReferralAnswerForm, ReferralForm
from services.console.views.common import section

#: the client page's key of the "Rujuk" form, and its prefix
REFERRAL_FORM = "referral_form"
REFERRAL_PREFIX = "referral"

#: status → what the sender may record next: (for a partner outside, for a foundation)
SENDER_ANSWERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "pending": (("accepted", "rejected", "revoked"), ("revoked",)),
    "accepted": (("done", "revoked"), ("done", "revoked")),
}


def answers_for(referral: dict[str, Any]) -> tuple[str, ...]:
    """The statuses the sender may move ``referral`` to."""
    outside, foundation = SENDER_ANSWERS.get(referral.get("status") or "", ((), ()))
    return foundation if referral.get("to_foundation") else outside


def answer_key(referral_id: str) -> str:
    return f"answer-{referral_id}"


def referral_card(
    client: dict[str, Any], posted: dict[str, Any], notices: list[str]
) -> dict[str, Any]:
    """What the card shows: the client's ``referrals`` (newest first), each with the
    ``referral_answers`` the sender may record and their forms, the ``referral_form`` with
    the active partners (a refused one as it was posted)."""
    referrals = (
        section(
            lambda: api().items("intake", f"/clients/{client['id']}/referrals"), notices, "intake"
        )
        or []
    )
    form = posted.get(REFERRAL_FORM) or ReferralForm(formdata=None, prefix=REFERRAL_PREFIX)
    partners: list[dict[str, Any]] = []
    if can_write():
        partners = (
            section(lambda: api().items("intake", "/partners", active="true"), notices, "intake")
            or []
        )
    form.offer(partners)
    answers = {r["id"]: answers_for(r) for r in referrals}
    return {
        "referrals": referrals,
        "referral_answers": answers,
        "referral_answer_forms": {
            r["id"]: posted.get(answer_key(r["id"]))
            or ReferralAnswerForm(formdata=None, prefix=answer_key(r["id"]))
            for r in referrals
            # a refused answer stays on the page with its errors, whatever is left to do
            if answers[r["id"]] or answer_key(r["id"]) in posted
        },
        "partners": partners,
        REFERRAL_FORM: form,
    }
