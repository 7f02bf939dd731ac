"""No page ever shows a stack trace: API errors and outages become friendly pages."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from services.console.api_client import ApiError, ApiUnavailable

log = logging.getLogger(__name__)


def _page(status: int, title_key: str, detail_key: str, **params):
    return (
        render_template(
            "error.html", status=status, title_key=title_key, detail_key=detail_key, params=params
        ),
        status,
    )


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiUnavailable)
    def _unavailable(exc: ApiUnavailable):
        return _page(503, "error.unavailable_title", "error.unavailable", service=exc.service)

    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError):
        if exc.status == 404:
            return _page(404, "error.not_found_title", "error.not_found")
        if exc.status == 403:
            return _page(403, "error.forbidden_title", "error.forbidden")
        if exc.status == 410:  # a client whose personal data was erased (UU PDP)
            return _page(410, "error.erased_title", "error.erased")
        if exc.status == 401:
            return _page(401, "error.session_title", "error.api_refused_token")
        if exc.status == 429:
            return _page(503, "error.unavailable_title", "error.busy", service=exc.service)
        log.warning("API error not handled by the page: %s %s", exc.service, exc.status)
        return _page(502, "error.api_title", "error.api", service=exc.service)

    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError):
        return _page(400, "error.csrf_title", "error.csrf")

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        status = exc.code or 500
        known = {
            403: "forbidden",
            404: "not_found",
            405: "not_allowed",
            410: "erased",
            413: "too_large",
        }
        name = known.get(status, "bad_request" if status < 500 else "internal")
        return _page(status, f"error.{name}_title", f"error.{name}")

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("console error")
        return _page(500, "error.internal_title", "error.internal")
