"""Referral and partners in the console: the admins' **Mitra** page, referring a client and
recording the answers (from the client page), the admins' **Rujukan masuk** (other
foundations' referrals, pseudonymised until accepted), and the report for a compulsory
referrer."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from services.console.api_client import ApiError
from services.console.context import api, roles_required, timezone_name
from services.console.forms.referrals import (
    PartnerEditForm,
    PartnerForm,
    ReferralAnswerForm,
    ReferralForm,
)
from services.console.i18n import format_moment, label
from services.console.views.client_page import client_action
from services.console.views.common import attachment, show_api_errors
from services.console.views.referral_card import (
    REFERRAL_FORM,
    REFERRAL_PREFIX,
    answer_key,
)

bp = Blueprint("referrals", __name__)


# --- partners (admins) ---------------------------------------------------------------------------


def _partners_page(
    form: PartnerForm | None = None,
    edits: dict[str, PartnerEditForm] | None = None,
    status: int = 200,
):
    partners = api().items("intake", "/partners")
    edit_forms = edits or {}
    for partner in partners:
        if partner["id"] not in edit_forms:
            data = {k: ("" if v is None else v) for k, v in partner.items()}
            edit_forms[partner["id"]] = PartnerEditForm(
                formdata=None, prefix=f"p{partner['id'][:8]}", data=data
            )
    return render_template(
        "partners.html",
        partners=partners,
        form=form or PartnerForm(formdata=None, prefix="new"),
        edit_forms=edit_forms,
    ), status


@bp.get("/partners")
@roles_required("admin")
def partners():
    return _partners_page()


@bp.post("/partners")
@roles_required("admin")
def add_partner():
    form = PartnerForm(prefix="new")
    if not form.validate_on_submit():
        return _partners_page(form, status=422)
    try:
        made = api().post("intake", "/partners", form.to_api())
    except ApiError as exc:
        if exc.status not in (409, 422):
            raise
        show_api_errors(form, exc)
        return _partners_page(form, status=exc.status)
    flash({"key": "flash.partner_saved", "params": {"name": made["name"]}})  # type: ignore[arg-type]
    return redirect(url_for("referrals.partners", _anchor=f"partner-{made['id']}"))


@bp.post("/partners/<partner_id>")
@roles_required("admin")
def edit_partner(partner_id: str):
    form = PartnerEditForm(prefix=f"p{partner_id[:8]}")
    if not form.validate_on_submit():
        return _partners_page(edits={partner_id: form}, status=422)
    try:
        saved = api().patch("intake", f"/partners/{partner_id}", form.to_api())
    except ApiError as exc:
        if exc.status == 404:
            abort(404)
        if exc.status not in (409, 422):
            raise
        show_api_errors(form, exc)
        return _partners_page(edits={partner_id: form}, status=exc.status)
    flash({"key": "flash.partner_saved", "params": {"name": saved["name"]}})  # type: ignore[arg-type]
    return redirect(url_for("referrals.partners", _anchor=f"partner-{partner_id}"))


# --- referring, from the client page --------------------------------------------------------------


def _partners_offered(form: ReferralForm) -> None:
    form.offer(api().items("intake", "/partners", active="true"))


@bp.post("/clients/<client_id>/referrals")
def refer(client_id: str):
    form = ReferralForm(prefix=REFERRAL_PREFIX)
    _partners_offered(form)
    return client_action(
        client_id,
        form,
        REFERRAL_FORM,
        lambda: api().post("intake", f"/clients/{client_id}/referrals", form.to_api()),
        lambda made: ("flash.referral_sent", {"partner": made["partner"]["name"]}),
        anchor="referrals",
    )


@bp.post("/clients/<client_id>/referrals/<referral_id>")
def answer(client_id: str, referral_id: str):
    """The sender records the partner's answer, closes the referral, or revokes it."""
    form = ReferralAnswerForm(prefix=answer_key(referral_id))
    return client_action(
        client_id,
        form,
        answer_key(referral_id),
        lambda: api().patch("intake", f"/referrals/{referral_id}", form.to_api()),
        lambda changed: (
            "flash.referral_changed",
            {"status": label("referral_status", changed["status"])},
        ),
        anchor=f"referral-{referral_id}",
    )


# --- incoming referrals (admins) ------------------------------------------------------------------


def _incoming_page(forms: dict[str, ReferralAnswerForm] | None = None, status: int = 200):
    items = api().items("intake", "/referrals", direction="incoming")
    posted = forms or {}
    answer_forms = {
        item["id"]: posted.get(item["id"])
        or ReferralAnswerForm(formdata=None, prefix=answer_key(item["id"]))
        for item in items
        if item["status"] == "pending"
    }
    return render_template(
        "incoming_referrals.html",
        items=items,
        answer_forms=answer_forms,
        moment=partial(format_moment, timezone=timezone_name()),
    ), status


@bp.get("/referrals/incoming")
@roles_required("admin")
def incoming():
    return _incoming_page()


@bp.post("/referrals/<referral_id>/answer")
@roles_required("admin")
def answer_incoming(referral_id: str):
    """The receiving foundation accepts (registering the client here) or declines."""
    form = ReferralAnswerForm(prefix=answer_key(referral_id))
    if not form.validate_on_submit() or form.status.data not in ("accepted", "rejected"):
        return _incoming_page({referral_id: form}, 422)
    try:
        answered = api().patch("intake", f"/referrals/{referral_id}", form.to_api())
    except ApiError as exc:
        if exc.status == 404:
            abort(404)
        if exc.status not in (409, 422):
            raise
        show_api_errors(form, exc)
        return _incoming_page({referral_id: form}, exc.status)
    if answered.get("client_id"):
        client = api().get("intake", f"/clients/{answered['client_id']}")
        flash({"key": "flash.referral_accepted", "params": {"code": client["code"]}})  # type: ignore[arg-type]
        return redirect(url_for("clients.show", client_id=answered["client_id"]))
    flash("flash.referral_declined")
    return redirect(url_for("referrals.incoming"))


# --- the report for a compulsory referrer (admins) ------------------------------------------------


@bp.get("/clients/<client_id>/referrer-report")
@roles_required("admin")
def referrer_report(client_id: str):
    """The report as a PDF (or a printable page), as the admin hands it to the referrer."""
    fmt = "html" if request.args.get("format") == "html" else "pdf"
    try:
        response = api().request(
            "intake", "GET", f"/clients/{client_id}/referrer-report", params={"format": fmt}
        )
    except ApiError as exc:
        if exc.status in (404, 410):
            abort(exc.status)
        raise
    mimetype = "application/pdf" if fmt == "pdf" else "text/html"
    return attachment(response.content, f"referrer-report-{client_id[:8]}.{fmt}", mimetype)
