"""Staff accounts (admins): a new account is also a new staff record in intake."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from sqlalchemy import select

from services.console import accounts
from services.console.api_client import ApiError
from services.console.context import account, api, roles_required, state
from services.console.forms.staff import StaffAccountForm
from services.console.i18n import t
from services.console.models import Account
from services.console.views.common import show_api_errors
from shared.db import utcnow

bp = Blueprint("staff", __name__)


def _page(form: StaffAccountForm, status: int = 200, created: dict | None = None):
    with state().db.transaction() as db:
        people = (
            db.execute(select(Account).where(Account.foundation == account().foundation))
            .scalars()
            .all()
        )
        people = sorted(people, key=lambda a: a.name.lower())
    return (
        render_template(
            "staff.html",
            form=form,
            people=people,
            created=created,
            current=account(),
            now=utcnow(),
        ),
        status,
    )


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
    except accounts.AccountError as exc:  # e.g. the email taken at this very moment
        # the staff record made for it is left inactive: no reminders to nobody's account
        api().patch("intake", f"/staff/{staff['id']}", {"active": False})
        form[exc.field].errors = [t(exc.message_key)]
        return _page(form, 409)
    flash("flash.account_created")
    shown = {"email": created.email, "password": None if form.password.data else password}
    if shown["password"]:
        # shown once, on this answer only: never stored in plain text or in the session
        return _page(StaffAccountForm(formdata=None), 201, created=shown)
    return redirect(url_for("staff.index"))


def _foundation_account(db, account_id: str) -> Account:
    """An account of the admin's own foundation; another foundation's does not exist."""
    found = db.get(Account, account_id) if len(account_id) <= Account.id.type.length else None
    if found is None or found.foundation != account().foundation:
        abort(404)
    return found


def _set_access(account_id: str, active: bool):
    """Let a staff member sign in again, or no more (they left): their console account and
    their intake staff record together, so reminders and alerts stop reaching them too."""
    if account_id == account().id:
        flash("flash.not_yourself")
        return redirect(url_for("staff.index"))
    with state().db.transaction() as db:
        staff_id = _foundation_account(db, account_id).staff_id
    try:
        api().patch("intake", f"/staff/{staff_id}", {"active": active})
    except ApiError as exc:
        if exc.status != 404:  # a staff record removed meanwhile: the account still changes
            raise
    with state().db.transaction() as db:
        person = _foundation_account(db, account_id)
        person.active = active
    flash("flash.account_activated" if active else "flash.account_deactivated")
    return redirect(url_for("staff.index"))


@bp.post("/staff/<account_id>/deactivate")
@roles_required("admin")
def deactivate(account_id: str):
    return _set_access(account_id, False)


@bp.post("/staff/<account_id>/activate")
@roles_required("admin")
def activate(account_id: str):
    return _set_access(account_id, True)


@bp.post("/staff/<account_id>/unlock")
@roles_required("admin")
def unlock(account_id: str):
    """End a sign-in lock-out before it runs out (the person called the admin)."""
    with state().db.transaction() as db:
        person = _foundation_account(db, account_id)
        person.failed_sign_ins, person.locked_until = 0, None
    flash("flash.account_unlocked")
    return redirect(url_for("staff.index"))
