"""The HTTP shell every service shares: OpenAPI, problem+json, auth, health and readiness.

``make_flask_app`` builds a Flask app around a service's runtime and blueprints. Routes stay
thin: they read validated input, call the service's rules inside a unit of work, and raise
the domain errors of :mod:`shared.problems`, which are mapped to responses here, once.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

import redis
from flask import Flask, current_app, g, jsonify, request
from flask_smorest import Api
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from shared.auth import decode_token
from shared.events.envelope import reset_correlation_id, set_correlation_id
from shared.problems import (
    BadRequest,
    Problem,
    Unauthorized,
    flatten_errors,
    problem_response,
    render,
)
from shared.runtime import ServiceRuntime

log = logging.getLogger(__name__)

PUBLIC_ENDPOINTS = {
    "health",
    "ready",
    "api-docs.openapi_json",
    "api-docs.openapi_swagger_ui",
    # The provider's webhook: no bearer token, it is checked by its body's signature.
    "inbound.Inbound",
}
CORRELATION_HEADER = "X-Correlation-ID"
_CORRELATION_RE = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")


class ProblemApi(Api):
    """flask-smorest's Api, answering every HTTP error as problem+json."""

    def handle_http_exception(self, error: HTTPException):
        data = getattr(error, "data", None) or {}
        messages = data.get("errors") or data.get("messages")
        status = error.code or 500
        if status == 500:
            original = getattr(error, "original_exception", None)
            log.error("unhandled error: %r", original or error, exc_info=original)
            return problem_response(500, "Internal error", "Something went wrong on our side.")
        if status == 400 and messages:
            return problem_response(
                400, "Malformed request", "The body is not valid JSON.", slug="malformed-json"
            )
        if status == 422 and messages:
            # webargs nests errors under the location ("json", "query"): drop that level.
            if isinstance(messages, dict) and len(messages) == 1:
                messages = next(iter(messages.values()))
            return problem_response(
                422,
                "Validation failed",
                "Some fields are not valid.",
                slug="validation-failed",
                errors=flatten_errors(messages),
            )
        return problem_response(status, error.name, error.description or error.name)


def runtime() -> ServiceRuntime:
    return current_app.extensions["pendamping"]


def make_flask_app(
    service_runtime: ServiceRuntime,
    *,
    title: str,
    description: str,
    blueprints: Iterable,
    config: dict | None = None,
) -> Flask:
    app = Flask(service_runtime.name)
    app.config.from_mapping(
        API_TITLE=title,
        API_VERSION="1.0",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL="https://cdn.jsdelivr.net/npm/swagger-ui-dist/",
        API_SPEC_OPTIONS={
            "info": {"description": description},
            "components": {
                "securitySchemes": {
                    "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
                }
            },
            "security": [{"bearer": []}],
        },
        JSON_SORT_KEYS=False,
        MAX_CONTENT_LENGTH=1024 * 1024,
    )
    app.config.from_mapping(config or {})
    app.extensions["pendamping"] = service_runtime
    app.extensions["celery"] = service_runtime.celery

    api = ProblemApi(app)
    for blueprint in blueprints:
        api.register_blueprint(blueprint)

    _register_lifecycle(app)
    _register_error_handlers(app)
    _register_probes(app)
    return app


def _register_lifecycle(app: Flask) -> None:
    @app.before_request
    def _authenticate_and_correlate():
        supplied = request.headers.get(CORRELATION_HEADER, "")
        value = supplied if _CORRELATION_RE.match(supplied) else None
        g.correlation_token = set_correlation_id(value)
        if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
            return None
        if request.method in ("POST", "PUT", "PATCH") and request.content_length:
            if not request.is_json:
                raise BadRequest("Send the body as JSON (Content-Type: application/json).")
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("A bearer token is required.")
        g.caller = decode_token(runtime().settings.secret_key, token.strip())
        return None

    @app.after_request
    def _echo_correlation(response):
        from shared.events.envelope import current_correlation_id

        response.headers[CORRELATION_HEADER] = current_correlation_id()
        return response

    @app.teardown_request
    def _reset_correlation(_exc):
        token = g.pop("correlation_token", None)
        if token is not None:
            reset_correlation_id(token)


def _register_error_handlers(app: Flask) -> None:
    app.register_error_handler(Problem, render)

    @app.errorhandler(OperationalError)
    def _database_busy(exc: OperationalError):
        log.warning("database unavailable: %s", type(exc.orig).__name__)
        return problem_response(
            503,
            "Service unavailable",
            "The database is busy or unreachable; try again.",
            headers={"Retry-After": "2"},
        )


def _register_probes(app: Flask) -> None:
    @app.get("/health")
    def health():
        """Process up."""
        return jsonify(status="ok", service=runtime().name)

    @app.get("/ready")
    def ready():
        """Database and broker reachable."""
        rt = runtime()
        checks = {}
        try:
            with rt.db.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            checks["database"] = "ok"
        except Exception as exc:
            checks["database"] = type(exc).__name__
        try:
            client = redis.Redis.from_url(
                rt.settings.redis_url, socket_connect_timeout=1, socket_timeout=1
            )
            client.ping()
            client.close()
            checks["broker"] = "ok"
        except Exception as exc:
            checks["broker"] = type(exc).__name__
        ok = all(v == "ok" for v in checks.values())
        return jsonify(status="ok" if ok else "unavailable", checks=checks), 200 if ok else 503
