"""The HTTP shell every service shares: OpenAPI, problem+json, auth, health and readiness.

``make_flask_app`` builds a Flask app around a service's runtime and blueprints. Routes stay
thin: they read validated input, call the service's rules inside a unit of work, and raise
the domain errors of :mod:`shared.problems`, which are mapped to responses here, once.

Authentication happens here too, before anything else about a request is looked at; an
address that keeps failing it is answered 429 for a while (``PENDAMPING_AUTH_FAILURE_LIMIT``
failures in ``PENDAMPING_AUTH_FAILURE_WINDOW`` seconds; see :class:`AuthFailureLimiter`).
"""

from __future__ import annotations

import http
import json
import logging
import os
import re
import uuid
from collections.abc import Iterable
from typing import Any

import redis
from flask import Flask, current_app, g, jsonify, request
from flask_smorest import Api
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from shared import client_keys, request_log
from shared.auth import Caller, decode_token
from shared.codes import PROBLEM_CODES, field_error
from shared.metrics import ENDPOINT as METRICS_ENDPOINT
from shared.metrics import MetricSource, register_metrics, scrape_token_presented
from shared.problems import (
    PROBLEM_MIMETYPE,
    BadRequest,
    Gone,
    MalformedJson,
    NotFound,
    Problem,
    ProblemSchema,
    TooManyRequests,
    Unauthorized,
    ValidationFailed,
    flatten_errors,
    problem_response,
    problem_schema_for,
    render,
)
from shared.rate_limit import (
    DEFAULT_FAILURE_LIMIT,
    DEFAULT_FAILURE_WINDOW_SECONDS,
    AuthFailureLimiter,
)
from shared.runtime import ServiceRuntime
from shared.settings import ConfigurationError

log = logging.getLogger(__name__)
requests_logger = logging.getLogger("shared.web.requests")

PUBLIC_ENDPOINTS = {
    "health",
    "ready",
    "api-docs.openapi_json",
    "api-docs.openapi_swagger_ui",
    # The provider's webhook: no bearer token, it is checked by its body's signature.
    "inbound.Inbound",
}
# Documentation and probes: nothing in their requests is looked at.
UNCHECKED_ENDPOINTS = {
    "health",
    "ready",
    "api-docs.openapi_json",
    "api-docs.openapi_swagger_ui",
}
MAX_JSON_DEPTH = 32
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
CORRELATION_HEADER = "X-Correlation-ID"
REQUEST_ID_HEADER = "X-Request-ID"
_CORRELATION_RE = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")

#: The code of an HTTP error that no domain problem raised (an unknown route, a wrong method).
HTTP_STATUS_CODES: dict[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}


class ProblemApi(Api):
    """flask-smorest's Api, answering every HTTP error as problem+json, and documenting
    error responses as they are answered (``application/problem+json``, :class:`ProblemSchema`)
    rather than as flask-smorest's own error shape."""

    ERROR_SCHEMA: type[ProblemSchema] = ProblemSchema

    def __init__(self, app: Flask, service: str):
        self.ERROR_SCHEMA = problem_schema_for(service)
        super().__init__(app)

    def _register_responses(self):
        for status in http.HTTPStatus:
            response: dict = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["content"] = {PROBLEM_MIMETYPE: {"schema": self.ERROR_SCHEMA}}
            self.spec.components.response(status.name, response, lazy=True)
        self.spec.components.response(
            "DEFAULT_ERROR",
            {
                "description": "Any error: problem+json (RFC 9457).",
                "content": {PROBLEM_MIMETYPE: {"schema": self.ERROR_SCHEMA}},
            },
            lazy=True,
        )

    def handle_http_exception(self, error: HTTPException):
        data = getattr(error, "data", None) or {}
        messages = data.get("errors") or data.get("messages")
        status = error.code or 500
        if status == 500:
            original = getattr(error, "original_exception", None)
            log.error("unhandled error: %r", original or error, exc_info=original)
            return problem_response(
                500, "Internal error", PROBLEM_CODES["internal_error"], code="internal_error"
            )
        if status == 400 and messages:
            return render(MalformedJson())
        if status == 422 and messages:
            # webargs nests errors under the location ("json", "query"): drop that level.
            if isinstance(messages, dict) and len(messages) == 1:
                messages = next(iter(messages.values()))
            return render(ValidationFailed(errors=flatten_errors(messages)))
        return problem_response(
            status,
            error.name,
            error.description or error.name,
            code=HTTP_STATUS_CODES.get(status, "bad_request" if status < 500 else "unavailable"),
        )


def runtime() -> ServiceRuntime:
    return current_app.extensions["pendamping"]


def make_flask_app(
    service_runtime: ServiceRuntime,
    *,
    title: str,
    description: str,
    blueprints: Iterable,
    config: dict | None = None,
    metric_sources: Iterable[MetricSource] = (),
) -> Flask:
    # no static folder: the docs load Swagger UI from its CDN, and nothing else is served
    app = Flask(service_runtime.name, static_folder=None)
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
    _trust_proxies(app, service_runtime.settings.trusted_proxies)
    app.extensions["pendamping"] = service_runtime
    app.extensions["celery"] = service_runtime.celery

    api = ProblemApi(app, service_runtime.name)
    for blueprint in blueprints:
        api.register_blueprint(blueprint)

    _register_auth_failure_limiter(app, service_runtime)
    _register_lifecycle(app)
    _register_error_handlers(app)
    _register_probes(app)
    register_metrics(app, service_runtime, metric_sources)
    return app


def _trust_proxies(app: Flask, hops: int) -> None:
    """Behind ``hops`` reverse proxies (``PENDAMPING_TRUSTED_PROXIES``), the client is the
    address the outermost of them put in X-Forwarded-For, and ``request.remote_addr`` (what
    the auth-failure limiter counts by) says so. Without that setting the header is
    ignored: anyone could write any address into it."""
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops)  # type: ignore[method-assign]


def _text_problem(value: str) -> str | None:
    if "\x00" in value:
        return field_error("nul_character")
    if _SURROGATE_RE.search(value):
        return field_error("lone_surrogate")
    return None


def _json_problems(data: object) -> dict[str, list[str]]:
    """Strings in a JSON document that no database or cipher takes (NUL characters, lone
    surrogates), by field path (``a.0.b``); a document nested too deeply is refused whole.
    Walked without recursion: the depth is what is being checked."""
    errors: dict[str, list[str]] = {}
    stack: list[tuple[object, str, int]] = [(data, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return {"_body": [field_error("nested_too_deep", depth=MAX_JSON_DEPTH)]}
        if isinstance(value, dict):
            for key, item in value.items():
                child = f"{path}.{key}" if path else str(key)
                problem = _text_problem(str(key))
                if problem:
                    errors.setdefault(child, []).append(problem)
                stack.append((item, child, depth + 1))
        elif isinstance(value, list):
            stack.extend(
                (item, f"{path}.{index}" if path else str(index), depth + 1)
                for index, item in enumerate(value)
            )
        elif isinstance(value, str):
            problem = _text_problem(value)
            if problem:
                errors.setdefault(path or "_body", []).append(problem)
    return errors


def _refuse_unstorable_input() -> None:
    """No database stores a NUL character (PostgreSQL refuses one even in a query) and no
    cipher encodes a lone surrogate, and Python's JSON parser recurses: such input is
    refused here, once for every route, before it can reach a query or a cipher.

    In the path it is 404 (no record has such an id); in the query string or the body, 422
    naming the field; a body nested too deeply to parse or check, 422 on ``_body``."""
    for value in (request.view_args or {}).values():
        if isinstance(value, str) and _text_problem(value):
            raise NotFound()
    errors: dict[str, list[str]] = {}
    for name, values in request.args.lists():
        for value in (name, *values):
            problem = _text_problem(value)
            if problem:
                errors.setdefault(name, []).append(problem)
    raw = request.get_data(cache=True) if request.method in ("POST", "PUT", "PATCH") else b""
    if raw and request.is_json:
        errors.update(_json_problems(_parse_json(raw, MalformedJson)))
    if errors:
        raise ValidationFailed(errors=errors)


def load_storable_json(raw: bytes, malformed: type[Problem] = MalformedJson) -> Any:
    """``raw`` parsed as JSON, whatever the request's content type says (a provider's
    webhook reads its body so): ``malformed`` (400) when it is not JSON, 422 on ``_body``
    when it is nested too deeply to parse or check, 422 naming each field whose string no
    database or cipher takes (NUL characters, lone surrogates)."""
    data = _parse_json(raw, malformed)
    errors = _json_problems(data)
    if errors:
        raise ValidationFailed(errors=errors)
    return data


def _parse_json(raw: bytes, malformed: type[Problem]) -> Any:
    try:
        return json.loads(raw)
    except RecursionError:  # Python's parser recurses: too deep to read is too deep to keep
        raise ValidationFailed(
            errors={"_body": [field_error("nested_too_deep", depth=MAX_JSON_DEPTH)]},
        ) from None
    except ValueError:
        # not JSON, or JSON Python will not read (an integer of thousands of digits)
        raise malformed() from None


def _authenticate(header: str) -> Caller:
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized(code="bearer_required")
    settings = runtime().settings
    return decode_token(settings.secret_key, token.strip(), console_key=settings.console_key)


def _limit_setting(app: Flask, name: str, default: int, minimum: int = 0) -> int:
    """``name`` from the app's config, else ``PENDAMPING_<name>`` from the environment."""
    raw = app.config.get(name, os.environ.get(f"PENDAMPING_{name}", default))
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = minimum - 1
    if value < minimum:
        raise ConfigurationError(
            f"PENDAMPING_{name} must be a whole number >= {minimum}, not {raw!r}"
        )
    return value


def _register_auth_failure_limiter(app: Flask, service_runtime: ServiceRuntime) -> None:
    """Repeated failed authentications from one address are answered 429 for a while."""
    app.config["AUTH_FAILURE_LIMIT"] = _limit_setting(
        app, "AUTH_FAILURE_LIMIT", DEFAULT_FAILURE_LIMIT
    )
    window = _limit_setting(app, "AUTH_FAILURE_WINDOW", DEFAULT_FAILURE_WINDOW_SECONDS, 1)
    app.config["AUTH_FAILURE_WINDOW"] = window
    settings = service_runtime.settings
    app.extensions["auth_failures"] = AuthFailureLimiter(
        settings.redis_url,
        namespace=AuthFailureLimiter.namespace_for(
            service_runtime.name, settings.database_url(service_runtime.name)
        ),
        window_seconds=window,
    )


def _register_lifecycle(app: Flask) -> None:
    @app.before_request
    def _authenticate_and_correlate():
        g.request_id = _traced_id(REQUEST_ID_HEADER) or uuid.uuid4().hex
        request_log.begin(
            _traced_id(CORRELATION_HEADER), service=runtime().name, request_id=g.request_id
        )
        if request.endpoint is None or request.endpoint in UNCHECKED_ENDPOINTS:
            return None
        g.scraper = scrape_token_presented(app)  # Prometheus: /metrics and nothing else
        if request.endpoint not in PUBLIC_ENDPOINTS and not g.scraper:
            try:
                g.caller = _authenticate(request.headers.get("Authorization", ""))
            except Unauthorized:
                limiter: AuthFailureLimiter = app.extensions["auth_failures"]
                wait = limiter.record_failure(
                    request.remote_addr or "unknown", app.config["AUTH_FAILURE_LIMIT"]
                )
                if wait is not None:
                    raise TooManyRequests(code="too_many_auth_failures", retry_after=wait) from None
                raise
            if request.method in ("POST", "PUT", "PATCH") and request.content_length:
                if not request.is_json:
                    raise BadRequest(code="json_body_required")
        _refuse_unstorable_input()
        return None

    @app.after_request
    def _echo_correlation(response):
        from shared.events.envelope import current_correlation_id

        response.headers[CORRELATION_HEADER] = current_correlation_id()
        if "request_id" in g:
            response.headers[REQUEST_ID_HEADER] = g.request_id
        quiet = request.endpoint in UNCHECKED_ENDPOINTS or request.endpoint == METRICS_ENDPOINT
        request_log.log_answer(requests_logger, response.status_code, quiet=quiet)
        return response

    @app.teardown_request
    def _reset_correlation(_exc):
        request_log.end()


def _traced_id(header: str) -> str | None:
    """A correlation or request id the caller (or a proxy) sent, if it is a sane one."""
    supplied = request.headers.get(header, "")
    return supplied if _CORRELATION_RE.match(supplied) else None


def _register_error_handlers(app: Flask) -> None:
    app.register_error_handler(Problem, render)

    @app.errorhandler(client_keys.ClientErased)
    def _client_erased(_exc: client_keys.ClientErased):
        # a write about a client whose keys were destroyed: nothing may be kept for it
        return render(Gone())

    @app.errorhandler(OperationalError)
    def _database_busy(exc: OperationalError):
        log.warning("database unavailable: %s", type(exc.orig).__name__)
        return problem_response(
            503,
            "Service unavailable",
            PROBLEM_CODES["database_unavailable"],
            code="database_unavailable",
            headers={"Retry-After": "2"},
        )


def _register_probes(app: Flask) -> None:
    @app.get("/health")
    def health():
        """Process up."""
        return jsonify(status="ok", service=runtime().name)

    @app.get("/ready")
    def ready():
        """Database and broker reachable (503 otherwise). With ``?broker=optional``: ready to
        serve requests, which needs the database only: writes go on while the broker is
        away (the outbox keeps their events), so an orchestrator's readiness probe asks this
        and does not take every pod out of service while Redis restarts. Both checks are
        reported either way."""
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
        needed = ["database"] if request.args.get("broker") == "optional" else list(checks)
        ok = all(checks[name] == "ok" for name in needed)
        return jsonify(status="ok" if ok else "unavailable", checks=checks), 200 if ok else 503
