"""The first accounts: ``pendamping console-user`` and the dev sign-in ``make run`` prints
(both commands live in ``ops``, which applies the console's migrations first).

An account is one staff member: creating one also creates the staff record in intake
(``POST /staff``), as that foundation's admin, over HTTP like everything else the console
does, unless ``--staff-id`` names an existing record.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import select

from services.console import accounts
from services.console.api_client import Api, ApiError, ApiUnavailable
from services.console.config import ConsoleConfig, console_config
from services.console.models import Account
from shared import crypto
from shared.auth import issue_token
from shared.db import Database
from shared.settings import Settings

DEV_FOUNDATION: dict[str, Any] = {
    "slug": "dev",
    "name": "Yayasan Pendamping (dev)",
    "timezone": "Asia/Jakarta",
    "locale": "id",
    # no quiet hours in development, so family messages are sent at any hour of the demo
    "quiet_hours": {"start": "00:00", "end": "00:00"},
}
DEV_EMAIL = "admin@dev.pendamping.example"
DEV_SIGN_IN_FILE = "dev-console-sign-in.json"


class BootstrapError(RuntimeError):
    """The account could not be created; the message says what to do."""


@dataclass(frozen=True)
class SignIn:
    email: str
    password: str
    foundation: str


def _prepare(settings: Settings) -> tuple[ConsoleConfig, Database]:
    """The console's configuration and database (already migrated by the caller)."""
    crypto.configure(settings.data_keys, settings.index_key)
    config = console_config(settings)
    return config, Database(config.database_url)


def create_user(
    settings: Settings,
    *,
    foundation: str,
    email: str,
    role: str,
    password: str | None = None,
    name: str | None = None,
    staff_id: str | None = None,
    locale: str | None = None,
) -> SignIn:
    """An account (and, without ``staff_id``, its intake staff record)."""
    config, db = _prepare(settings)
    try:
        with db.transaction() as session:
            if accounts.find_by_email(session, email) is not None:
                raise BootstrapError(f"an account for {accounts.normalise_email(email)} exists")
        password = password or accounts.generate_password()
        if len(password) < accounts.MIN_PASSWORD_LENGTH:
            raise BootstrapError(
                f"a password has at least {accounts.MIN_PASSWORD_LENGTH} characters"
            )
        try:  # every value checked before the staff record is made in intake
            accounts.check_account_values(email=email, password=password, role=role, locale=locale)
        except accounts.AccountError as exc:
            raise BootstrapError(f"{exc.field}: {exc.message_key}") from exc
        name = name or email.split("@")[0]
        made_staff = staff_id is None
        if staff_id is None:
            staff_id = _create_staff(config, foundation, name, email, role)
        try:
            accounts.create_account(
                db,
                email=email,
                password=password,
                name=name,
                foundation=foundation,
                role=role,
                staff_id=staff_id,
                locale=locale,
            )
        except accounts.AccountError as exc:
            again = f"; its staff record {staff_id} was made: --staff-id {staff_id} reuses it"
            raise BootstrapError(
                f"{exc.field}: {exc.message_key}" + (again if made_staff else "")
            ) from exc
        return SignIn(accounts.normalise_email(email), password, foundation)
    finally:
        db.dispose()


def _create_staff(config: ConsoleConfig, foundation: str, name: str, email: str, role: str) -> str:
    """The staff record in intake, made as the foundation's admin through the console key."""
    api = Api(
        config.api_urls,
        config.console_key,
        sub="console-bootstrap",
        role="admin",
        foundation=foundation,
    )
    try:
        staff = api.post(
            "intake",
            "/staff",
            {
                "name": name,
                "role": accounts.INTAKE_ROLE[role],
                "email": accounts.normalise_email(email),
            },
        )
    except ApiUnavailable as exc:
        raise BootstrapError(
            f"the intake API does not answer at {config.api_urls['intake']}: start the suite "
            "(make run) first, or pass --staff-id of an existing staff record"
        ) from exc
    except ApiError as exc:
        raise BootstrapError(
            f"intake refused the staff record ({exc.status}): {exc.detail}"
        ) from exc
    return staff["id"]


def ensure_dev_sign_in(settings: Settings, intake_url: str) -> SignIn | None:
    """Development only: on a first run, a dev foundation and its admin; afterwards the same
    sign-in again, while that account exists. ``None`` once other accounts are in use."""
    if settings.production:
        return None
    path = settings.var_dir / DEV_SIGN_IN_FILE
    config, db = _prepare(settings)
    try:
        with db.transaction() as session:
            anyone = session.execute(select(Account.id).limit(1)).first() is not None
            dev = accounts.find_by_email(session, DEV_EMAIL)
        if dev is not None and path.exists():
            stored = json.loads(path.read_text())
            return SignIn(stored["email"], stored["password"], stored["foundation"])
        if anyone:
            return None
    finally:
        db.dispose()
    operator = issue_token(settings.secret_key, sub="dev-bootstrap", role="operator")
    answer = requests.post(
        intake_url + "/foundations",
        json=DEV_FOUNDATION,
        headers={"Authorization": f"Bearer {operator}"},
        timeout=10,
    )
    if answer.status_code not in (201, 409):
        raise BootstrapError(f"could not create the dev foundation: {answer.status_code}")
    sign_in = create_user(
        settings,
        foundation=DEV_FOUNDATION["slug"],
        email=DEV_EMAIL,
        role="admin",
        name="Admin Dev",
    )
    _write_private(
        path,
        {"email": sign_in.email, "password": sign_in.password, "foundation": sign_in.foundation},
    )
    return sign_in


def _write_private(path: Path, values: dict) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(json.dumps(values, indent=2))
