"""Helpers the pages share: API errors onto form fields, optional page sections."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Response

from services.console.api_client import ApiError, ApiUnavailable
from services.console.forms.base import ConsoleForm
from services.console.i18n import field_error_text, problem_text, t

T = TypeVar("T")


def show_api_errors(form: ConsoleForm, exc: ApiError) -> None:
    """Put the API's ``errors`` next to the fields they name (``form.field_for``); the rest,
    and the refusal itself when it is about the record's state (409) or names no field, above
    the form.

    Each error is shown by its code, in the user's language (:mod:`services.console.texts.codes`);
    only a code the console does not know shows the API's own (English) words.
    """
    general: list[str] = list(getattr(form, "api_errors", []))
    members = exc.members
    for path, messages in exc.errors.items():
        codes = exc.error_codes.get(path, [])
        texts = [
            field_error_text(
                codes[i] if i < len(codes) else None, str(message), members, exc.service
            )
            for i, message in enumerate(messages)
        ]
        field = form.field_for(path)
        if field is not None:
            field.errors = [*field.errors, *texts]
        else:
            general.extend(texts)
    if exc.status == 409 or not exc.errors:
        refusal = problem_text(exc.code, members, exc.detail, exc.service)
        if refusal:
            general.append(refusal)
    form.api_errors = general or [t("error.check_form")]


def section(call: Callable[[], T], notices: list[str], service: str) -> T | None:
    """A part of a page that may be missing: ``None`` (and a notice naming the service)
    when that service is down; ``None`` when it does not know the record yet."""
    if service in notices:  # it did not answer for this page already: do not wait again
        return None
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


def attachment(content: bytes, filename: str, mimetype: str) -> Response:
    """A download as the admin hands it over (a copy of a client's data, a report): never
    kept by a browser's or a proxy's cache, since it carries personal data."""
    return Response(
        content,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
