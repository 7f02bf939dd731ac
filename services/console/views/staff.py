"""Staff accounts (admins): a new account is also a new staff record in intake."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from sqlalchemy import select

from services.console import accounts
from services.console.api_client import ApiError
from services.console.context import account, api, roles_required, state
from services.console.forms import StaffAccountForm
from services.console.i18n import t
from services.console.models import Account
from services.console.views.common import show_api_errors

bp = Blueprint("staff", __name__)


def _page(form: StaffAccountForm, status: int = 200, created: dict | None = None):
    with state().db.transaction() as db:
        people = (
            db.execute(select(Account).where(Account.foundation == account().foundation))
            .scalars()
            .all()
        )
        people = sorted(people, key=lambda a: a.name.lower())
    return render_template("staff.html", form=form, people=people, created=created), status


@bp.get("/staff")
@roles_required("admin")
def index():
    return _page(StaffAccountForm(formdata=None))


@bp.post("/staff")
@roles_required("admin")
def create():
    form = StaffAccountForm()
    if not form.validate_on_submit():
        return _page(form, 422)
    with state().db.transaction() as db:
        taken = accounts.find_by_email(db, form.email.data) is not None
    if taken:
        form.email.errors = [t("error.email_taken")]
        return _page(form, 409)
    password = form.password.data or accounts.generate_password()
    try:  # every value checked before intake gets a staff record for the account
        accounts.check_account_values(
            email=form.email.data, password=password, role=form.role.data, locale=form.locale.data
        )
    except accounts.AccountError as exc:
        form[exc.field].errors = [t(exc.message_key)]
        return _page(form, 422)
    try:
        staff = api().post(
            "intake",
            "/staff",
            {
                "name": form.name.data.strip(),
                "role": accounts.INTAKE_ROLE[form.role.data],
                "email": accounts.normalise_email(form.email.data),
            },
        )
    except ApiError as exc:
        if exc.status not in (409, 422):
            raise
        show_api_errors(form, exc)
        return _page(form, exc.status)
    try:
        created = accounts.create_account(
            state().db,
            email=form.email.data,
            password=password,
            name=form.name.data,
            foundation=account().foundation,
            role=form.role.data,
            staff_id=staff["id"],
            locale=form.locale.data,
        )
    except accounts.AccountError as exc:
        form[exc.field].errors = [t(exc.message_key)]
        return _page(form, 409)
    flash("flash.account_created")
    shown = {"email": created.email, "password": None if form.password.data else password}
    if shown["password"]:
        # shown once, on this answer only: never stored in plain text or in the session
        return _page(StaffAccountForm(formdata=None), 201, created=shown)
    return redirect(url_for("staff.index"))
