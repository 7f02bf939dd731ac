"""Programmes and how full they are; admins add programmes."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for

from services.console.api_client import ApiError
from services.console.charts import bar_chart
from services.console.context import api, roles_required
from services.console.forms.programmes import ProgrammeForm
from services.console.views.common import show_api_errors

bp = Blueprint("programmes", __name__)


def _page(form: ProgrammeForm, status: int = 200):
    programmes = api().items("assessment", "/programs")
    chart = bar_chart(
        [(p["name"], p["occupied"] / p["capacity"] if p["capacity"] else 0) for p in programmes],
        percent=True,
    )
    return render_template("programmes.html", programmes=programmes, chart=chart, form=form), status


@bp.get("/programmes")
def index():
    return _page(ProgrammeForm(formdata=None))


@bp.post("/programmes")
@roles_required("admin")
def create():
    form = ProgrammeForm()
    if form.validate_on_submit():
        try:
            api().post("assessment", "/programs", form.to_api())
        except ApiError as exc:
            if exc.status not in (409, 422):
                raise
            show_api_errors(form, exc)
            return _page(form, exc.status)
        flash("flash.programme_created")
        return redirect(url_for("programmes.index"))
    return _page(form, 422)
