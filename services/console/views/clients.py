"""Clients: the intake form, the client page, admission, scheduling a session, notes.

The other actions of the client page live with their area: :mod:`.care` (assessment,
placement, discharge, follow-ups, attendance) and :mod:`.family` (consent, family
contacts, screening)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, flash, redirect, render_template, url_for
from wtforms.fields.choices import SelectChoice

from services.console.api_client import ApiError
from services.console.context import account, api, timezone_name
from services.console.forms.clients import AdmissionForm, ClientIntakeForm
from services.console.forms.sessions import NoteForm, SessionForm
from services.console.views.client_page import client_action, client_page, writers_only
from services.console.views.common import show_api_errors

bp = Blueprint("clients", __name__, url_prefix="/clients")


def _case_worker_choices(form: ClientIntakeForm, staff: list[dict[str, Any]]) -> None:
    active = [s for s in staff if s.get("active", True)]
    form.case_worker_id.choices = [SelectChoice("", "–")] + [
        SelectChoice(s["id"], s["name"]) for s in active
    ]


@bp.route("/new", methods=["GET", "POST"])
def new():
    writers_only()
    form = ClientIntakeForm()
    _case_worker_choices(form, api().items("intake", "/staff"))
    if not form.is_submitted():
        form.case_worker_id.data = account().staff_id
    if form.validate_on_submit():
        try:
            created = api().post("intake", "/clients", form.to_api())
        except ApiError as exc:
            if exc.status not in (409, 422):
                raise
            show_api_errors(form, exc)
            existing = exc.problem.get("existing_client_id")
            return render_template("client_new.html", form=form, existing=existing), exc.status
        flash("flash.client_registered")
        if created.get("possible_duplicates"):
            flash("flash.possible_duplicates")
        return redirect(url_for("clients.show", client_id=created["id"]))
    status = 422 if form.is_submitted() else 200
    return render_template("client_new.html", form=form, existing=None), status


@bp.get("/<client_id>")
def show(client_id: str):
    return client_page(client_id)


@bp.post("/<client_id>/admission")
def admit(client_id: str):
    form = AdmissionForm(prefix="admission")
    return client_action(
        client_id,
        form,
        "admission_form",
        lambda: api().post("intake", f"/clients/{client_id}/admission", form.to_api()),
        "flash.admitted",
        anchor="care",
    )


@bp.post("/<client_id>/sessions")
def schedule_session(client_id: str):
    form = SessionForm(prefix="session")
    tz = ZoneInfo(timezone_name())
    return client_action(
        client_id,
        form,
        "session_form",
        lambda: api().post("assessment", "/sessions", form.to_api(client_id, tz)),
        "flash.session_scheduled",
        anchor="sessions",
    )


@bp.post("/<client_id>/notes")
def add_note(client_id: str):
    form = NoteForm(prefix="note")
    return client_action(
        client_id,
        form,
        "note_form",
        lambda: api().post("assessment", f"/clients/{client_id}/notes", form.to_api()),
        "flash.note_added",
        anchor="notes",
    )
