"""Domain errors and their one mapping to ``application/problem+json`` (RFC 9457).

Every problem carries a stable ``code`` (:data:`shared.codes.PROBLEM_CODES`) and, on a
validation failure, ``error_codes``: for each field in ``errors``, the code of each message in
the same position (:data:`shared.codes.FIELD_CODES`). Clients read the codes; the sentences
are for people reading the raw response.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import Response, json

from shared.codes import PROBLEM_CODES, field_code, field_codes_of, problem_codes_of

PROBLEM_TYPE_BASE = "https://pendamping.example/problems/"
PROBLEM_MIMETYPE = "application/problem+json"


class ProblemSchema(ma.Schema):
    """How every error is answered (RFC 9457), for the OpenAPI documents
    (:func:`problem_schema_for` lists one service's codes)."""

    class Meta:
        # a problem may carry more members (``existing_client_id`` on a duplicate, ...)
        unknown = ma.INCLUDE

    type = ma.fields.String(required=True, metadata={"description": "A URI naming the problem."})
    title = ma.fields.String(required=True)
    status = ma.fields.Integer(required=True, metadata={"description": "The HTTP status."})
    detail = ma.fields.String(required=True)
    code = ma.fields.String(
        required=True,
        validate=ma.validate.OneOf(sorted(PROBLEM_CODES)),
        metadata={"description": "The refusal's stable code: what a client reads."},
    )
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.String()),
        metadata={"description": "On validation failures: messages per field (a.0.b)."},
    )
    error_codes = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.String()),
        metadata={"description": "Beside ``errors``: each message's stable code, in order."},
    )


def problem_schema_for(service: str) -> type[ProblemSchema]:
    """:class:`ProblemSchema` listing the codes ``service`` answers with (its OpenAPI
    document's ``Problem``)."""
    return type(
        "ProblemSchema",
        (ProblemSchema,),
        {
            "code": ma.fields.String(
                required=True,
                validate=ma.validate.OneOf(problem_codes_of(service)),
                metadata={"description": "The refusal's stable code: what a client reads."},
            ),
            "error_codes": ma.fields.Dict(
                keys=ma.fields.String(),
                values=ma.fields.List(
                    ma.fields.String(validate=ma.validate.OneOf(field_codes_of(service)))
                ),
                metadata={
                    "description": "Beside ``errors``: each message's stable code, in order."
                },
            ),
        },
    )


class Problem(Exception):
    """An error a caller can act on. Subclasses fix the status, the title and the default
    code; a raise names the precise code (``Conflict(code="programme_full")``), whose English
    text (:mod:`shared.codes`) is the detail, its ``str.format`` fields filled from ``extra``.
    ``extra`` members are also sent in the body, so a client may use them
    (``existing_client_id``, ``client_status``)."""

    status = 400
    title = "Bad request"
    slug = "bad-request"
    code = "bad_request"

    def __init__(
        self,
        detail: str | None = None,
        *,
        code: str | None = None,
        errors: dict | None = None,
        **extra: Any,
    ):
        code = code or type(self).code
        if code not in PROBLEM_CODES:
            raise ValueError(f"unknown problem code {code!r}: add it to shared/codes/")
        if detail is None:
            detail = PROBLEM_CODES[code].format(**extra) if extra else PROBLEM_CODES[code]
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.errors = errors
        self.extra = extra
        self.headers: dict[str, str] = {}


class BadRequest(Problem):
    status, title, slug = 400, "Bad request", "bad-request"
    code = "bad_request"


class MalformedJson(Problem):
    status, title, slug = 400, "Malformed request", "malformed-json"
    code = "malformed_json"


class Unauthorized(Problem):
    status, title, slug = 401, "Unauthorized", "unauthorized"
    code = "unauthorized"

    def __init__(self, detail: str | None = None, **extra: Any):
        super().__init__(detail, **extra)
        self.headers = {"WWW-Authenticate": 'Bearer realm="pendamping"'}


class Forbidden(Problem):
    status, title, slug = 403, "Forbidden", "forbidden"
    code = "forbidden"


class NotFound(Problem):
    status, title, slug = 404, "Not found", "not-found"
    code = "not_found"


class Conflict(Problem):
    status, title, slug = 409, "Conflict", "conflict"
    code = "conflict"


class Gone(Problem):
    """The record existed and its content is gone for good (an erased client)."""

    status, title, slug = 410, "Gone", "gone"
    code = "gone"


class ValidationFailed(Problem):
    status, title, slug = 422, "Validation failed", "validation-failed"
    code = "validation_failed"


class TooManyRequests(Problem):
    status, title, slug = 429, "Too many requests", "too-many-requests"
    code = "too_many_requests"

    def __init__(self, detail: str | None = None, *, retry_after: int, **extra: Any):
        retry_after = max(1, int(retry_after))
        super().__init__(detail, retry_after=retry_after, **extra)
        self.headers = {"Retry-After": str(retry_after)}


def flatten_errors(errors: Any, prefix: str = "") -> dict[str, list[str]]:
    """Turn marshmallow's nested error dicts into ``{"a.0.b": ["message"]}``."""
    flat: dict[str, list[str]] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key == "_schema" and prefix:
                name = prefix
            elif key == "_schema":
                name = "_body"
            for k, v in flatten_errors(value, name).items():
                flat.setdefault(k, []).extend(v)
    elif isinstance(errors, list | tuple):
        messages = [m for m in errors if isinstance(m, str)]
        if messages:
            flat[prefix or "_body"] = messages
        for item in errors:
            if not isinstance(item, str):
                for k, v in flatten_errors(item, prefix).items():
                    flat.setdefault(k, []).extend(v)
    else:
        flat[prefix or "_body"] = [str(errors)]
    return flat


def problem_response(
    status: int,
    title: str,
    detail: str,
    *,
    code: str,
    slug: str | None = None,
    errors: dict | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    """The problem+json response; ``error_codes`` is derived from ``errors``."""
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + (slug or str(status)),
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
    }
    if errors:
        body["errors"] = errors
        body["error_codes"] = {
            field: [field_code(message) for message in messages]
            for field, messages in errors.items()
        }
    body.update(extra)
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_MIMETYPE)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def render(problem: Problem) -> Response:
    return problem_response(
        problem.status,
        problem.title,
        problem.detail,
        code=problem.code,
        slug=problem.slug,
        errors=problem.errors,
        headers=problem.headers,
        **problem.extra,
    )
