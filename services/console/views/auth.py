"""Signing in and out, and the language switch."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for

from services.console import accounts
from services.console.context import state
from services.console.forms.auth import SignInForm
from services.console.i18n import LOCALES, current_locale
from services.console.models import Account
from shared.db import utcnow

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never ``//elsewhere``, ``https://elsewhere``, nor
    ``/\\elsewhere``, which browsers read as ``//elsewhere``)."""
    if not target:
        return url_for("caseload.index")
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
        or re.search(r"[\\\x00-\x1f\x7f]", target)
    ):
        return url_for("caseload.index")
    return target


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    form = SignInForm()
    failed, wait = False, None
    config, throttle = state().config, state().throttle
    address = request.remote_addr or "unknown"
    if form.validate_on_submit():
        wait = throttle.wait_seconds(address, config.address_failures)
        account = None
        if wait is None:
            account = accounts.authenticate(
                state().db,
                form.email.data,
                form.password.data,
                limit=config.lockout_failures,
                lock_for=timedelta(minutes=config.lockout_minutes),
            )
        if account is not None:
            chosen = session.get("locale")  # with the switch on the sign-in page
            kept = accounts.settle_locale(state().db, account.id, chosen or current_locale())
            session.clear()  # a fresh session: nothing from before signing in carries over
            session.permanent = True
            session.update(
                account_id=account.id,
                stamp=accounts.session_stamp(account),
                signed_in_at=utcnow().timestamp(),
                locale=chosen or kept,
            )
            return redirect(_safe_next(request.args.get("next")))
        if wait is None:
            throttle.record_failure(address, config.address_failures)
        failed = True
    status = 429 if wait else 401 if failed else 200
    return (
        render_template(
            "sign_in.html",
            form=form,
            failed=failed,
            wait=(wait + 59) // 60 if wait else None,
            limit=config.lockout_failures,
            minutes=config.lockout_minutes,
        ),
        status,
        {"Retry-After": str(wait)} if wait else {},
    )


@bp.post("/sign-out")
def sign_out():
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    return redirect(url_for("auth.sign_in"))


@bp.post("/locale")
def set_locale():
    """Switch the language; a signed-in user keeps the choice on their account."""
    chosen = request.form.get("locale")
    if chosen in LOCALES:
        session["locale"] = chosen
        g.locale = chosen
        account_id = session.get("account_id")
        if account_id:
            with state().db.transaction() as db:
                account = db.get(Account, account_id)
                if account is not None:
                    account.locale = chosen
        flash("flash.locale_changed")
    return redirect(_safe_next(request.form.get("next")))
