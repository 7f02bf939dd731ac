"""Helpers the pages share: API errors onto form fields, optional page sections."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask_wtf import FlaskForm

from services.console.api_client import ApiError, ApiUnavailable
from services.console.i18n import api_message, t

T = TypeVar("T")


def show_api_errors(form: FlaskForm, exc: ApiError, field_for: Callable[[str], Any]) -> None:
    """Put the API's ``errors`` next to the fields they name; the rest above the form.

    The API answers in English: known messages are shown in the user's language.
    """
    general: list[str] = list(getattr(form, "api_errors", []))
    for path, messages in exc.errors.items():
        field = field_for(path)
        texts = [api_message(str(m)) for m in messages]
        if field is not None:
            field.errors = [*field.errors, *texts]
        else:
            general.extend(texts)
    if exc.status == 409 or (not exc.errors and exc.detail):
        general.append(api_message(exc.detail))
    if exc.status == 403:
        general = [t("error.forbidden")]
    form.api_errors = general or [t("error.check_form")]


def section(call: Callable[[], T], notices: list[str], service: str) -> T | None:
    """A part of a page that may be missing: ``None`` (and a notice naming the service)
    when that service is down; ``None`` when it does not know the record yet."""
    try:
        return call()
    except ApiUnavailable:
        if service not in notices:
            notices.append(service)
        return None
    except ApiError as exc:
        if exc.status == 404:
            return None
        raise


def names_by_id(items: list[dict[str, Any]], key: str = "full_name") -> dict[str, str]:
    return {item["id"]: item.get(key) or item.get("name") or item["id"] for item in items}
