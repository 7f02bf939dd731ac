"""**Permintaan data**: an admin's page of the foundation's personal-data requests (UU PDP).

Access requests must be answered within 3×24 hours (``due_by``): the page lists what is
open, what is due and what is late first. A complete access request gives its export
(JSON, or a printable page). An erasure is opened from the client's page with the client's
code typed in; one the retention sweep proposed waits here for the same typed confirmation.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from services.console.api_client import ApiError
from services.console.context import api, roles_required, timezone_name
from services.console.forms.data_requests import (
    ConfirmErasureForm,
    DataRequestForm,
    code_matches,
)
from services.console.i18n import format_moment, t
from services.console.views.common import attachment, show_api_errors
from shared.vocabulary import DataRequestKind, DataRequestStatus

bp = Blueprint("data_requests", __name__)

FILTERS = ("open", "late", "complete", "refused", "all")


def _requests(shown: str) -> list[dict[str, Any]]:
    params: dict[str, Any] = {}
    if shown in (DataRequestStatus.OPEN, DataRequestStatus.COMPLETE, DataRequestStatus.REFUSED):
        params["status"] = shown
    elif shown == "late":
        params["late"] = "true"
    items = api().items("intake", "/data-requests", **params)
    # late first, then the nearest deadline
    return sorted(items, key=lambda r: (not r.get("late"), r.get("due_by") or ""))


def _index(status: int = 200, confirm_forms: dict[str, ConfirmErasureForm] | None = None):
    shown = request.args.get("show", "open")
    if shown not in FILTERS:
        shown = "open"
    items = _requests(shown)
    forms = confirm_forms or {}
    for item in items:
        if item.get("awaiting_confirmation") and item["id"] not in forms:
            forms[item["id"]] = ConfirmErasureForm(formdata=None, prefix=f"c{item['id'][:8]}")
    moment = partial(format_moment, timezone=timezone_name())
    return render_template(
        "data_requests.html",
        items=items,
        shown=shown,
        filters=FILTERS,
        confirm_forms=forms,
        moment=moment,
    ), status


@bp.get("/data-requests")
@roles_required("admin")
def index():
    return _index()


def _client(client_id: str) -> dict[str, Any]:
    try:
        return api().get("intake", f"/clients/{client_id}")
    except ApiError as exc:
        if exc.status in (404, 410):
            abort(exc.status)
        raise


def _new_page(client: dict[str, Any], form: DataRequestForm, status: int = 200):
    return render_template("data_request_new.html", client=client, form=form), status


@bp.get("/clients/<client_id>/data-requests/new")
@roles_required("admin")
def new(client_id: str):
    return _new_page(_client(client_id), DataRequestForm(formdata=None))


@bp.post("/clients/<client_id>/data-requests")
@roles_required("admin")
def create(client_id: str):
    client = _client(client_id)
    form = DataRequestForm()
    if not form.validate_on_submit():
        return _new_page(client, form, 422)
    if form.kind.data == DataRequestKind.ERASURE and not code_matches(
        form.client_code.data, client["code"]
    ):
        form.client_code.errors = [t("data_requests.type_code", code=client["code"])]
        return _new_page(client, form, 422)
    try:
        opened = api().post("intake", f"/clients/{client_id}/data-requests", form.to_api())
    except ApiError as exc:
        if exc.status not in (409, 422):
            raise
        show_api_errors(form, exc)
        return _new_page(client, form, exc.status)
    flash("flash.data_request_opened")
    return redirect(url_for("data_requests.index", _anchor=f"request-{opened['id']}"))


@bp.post("/data-requests/<request_id>/confirm")
@roles_required("admin")
def confirm(request_id: str):
    form = ConfirmErasureForm(prefix=f"c{request_id[:8]}")
    if not form.validate_on_submit():
        return _index(422, {request_id: form})
    try:
        api().post(
            "intake",
            f"/data-requests/{request_id}/confirm",
            {"client_code": form.client_code.data.strip()},
        )
    except ApiError as exc:
        if exc.status == 404:
            abort(404)
        if exc.status not in (409, 422):
            raise
        show_api_errors(form, exc)
        return _index(exc.status, {request_id: form})
    flash("flash.erasure_confirmed")
    return redirect(url_for("data_requests.index"))


@bp.get("/data-requests/<request_id>/export")
@roles_required("admin")
def export(request_id: str):
    """The client's copy, as the admin hands it over: JSON, or a page to print."""
    fmt = "html" if request.args.get("format") == "html" else "json"
    try:
        response = api().request(
            "intake", "GET", f"/data-requests/{request_id}/export", params={"format": fmt}
        )
    except ApiError as exc:
        if exc.status == 404:
            abort(404)
        if exc.status != 409:
            raise
        flash("flash.export_not_ready")
        return redirect(url_for("data_requests.index"))
    mimetype = "text/html" if fmt == "html" else "application/json"
    return attachment(response.content, f"data-{request_id[:8]}.{fmt}", mimetype)
