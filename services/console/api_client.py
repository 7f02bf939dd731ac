"""The three APIs over HTTP, as the signed-in user.

Every call carries a token minted for that user (sub = staff id, role, foundation; audience
``pendamping-console``). A service that does not answer is :class:`ApiUnavailable`; an
answer of 4xx/5xx is :class:`ApiError` with the problem+json it carried.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import requests

from shared.auth import issue_console_token

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_SECONDS = 3.0
MAX_PAGES = 25


class ApiUnavailable(Exception):
    """A service did not answer (refused, timed out) or said it is unavailable (502-504)."""

    def __init__(self, service: str):
        super().__init__(f"{service} is unavailable")
        self.service = service


#: The members every problem+json has; any other member is the problem's own (``role``,
#: ``retry_after``, ``existing_client_id``, ...), and may fill its code's text.
STANDARD_MEMBERS = frozenset(
    {"type", "title", "status", "detail", "instance", "code", "errors", "error_codes"}
)


class ApiError(Exception):
    """A service answered with an error: its status and problem document."""

    def __init__(self, service: str, status: int, problem: dict[str, Any]):
        code, detail = problem.get("code") or "-", problem.get("detail", "")
        super().__init__(f"{service} answered {status} ({code}): {detail}")
        self.service = service
        self.status = status
        self.problem = problem

    @property
    def code(self) -> str | None:
        """The refusal's stable code (``nik_taken``); ``None`` from an API that sent none."""
        code = self.problem.get("code")
        return code if isinstance(code, str) and code else None

    @property
    def errors(self) -> dict[str, list[str]]:
        """The messages per field path (``consent.guardian_name``), as the API words them."""
        errors = self.problem.get("errors")
        return errors if isinstance(errors, dict) else {}

    @property
    def error_codes(self) -> dict[str, list[str]]:
        """Beside :attr:`errors`: the code of each message, same field, same position."""
        codes = self.problem.get("error_codes")
        return codes if isinstance(codes, dict) else {}

    @property
    def members(self) -> dict[str, Any]:
        """The problem's own members beyond the standard ones (they fill its texts)."""
        return {k: v for k, v in self.problem.items() if k not in STANDARD_MEMBERS}

    @property
    def detail(self) -> str:
        """The API's own sentence (English): shown only for a code the console does not know."""
        return str(self.problem.get("detail") or self.problem.get("title") or "")


class Api:
    """One console request's view of the APIs."""

    def __init__(
        self,
        urls: dict[str, str],
        console_key: str,
        *,
        sub: str,
        role: str,
        foundation: str,
        ttl_seconds: int = 300,
        timeout_seconds: float = 10.0,
        http: requests.Session | None = None,
        correlation_id: str | None = None,
    ):
        self.urls = urls
        self.foundation = foundation
        self._token = issue_console_token(
            console_key, sub=sub, role=role, foundation=foundation, ttl_seconds=ttl_seconds
        )
        self._timeout = (CONNECT_TIMEOUT_SECONDS, timeout_seconds)
        self._http = http or requests.Session()
        # one user action, one correlation id across the services it touches
        self.correlation_id = correlation_id or uuid.uuid4().hex

    def request(
        self,
        service: str,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        headers: dict[str, str] | None = None,
    ) -> requests.Response:
        safe_path = _api_path(path)
        if safe_path is None:  # no record has such an id: what the API would answer
            raise ApiError(service, 404, {"code": "not_found", "detail": "No such resource."})
        headers = {
            **(headers or {}),
            "Authorization": f"Bearer {self._token}",
            "X-Correlation-ID": self.correlation_id,
            "Accept": "application/json",
        }
        try:
            response = self._http.request(
                method,
                self.urls[service] + safe_path,
                params=params,
                json=json,
                headers=headers,
                timeout=self._timeout,
            )
        except requests.RequestException as exc:
            log.warning("%s %s on %s failed: %s", method, path, service, type(exc).__name__)
            raise ApiUnavailable(service) from exc
        if response.status_code in (502, 503, 504):
            raise ApiUnavailable(service)
        if response.status_code >= 400:
            try:
                problem = response.json()
            except ValueError:
                problem = {}
            if not isinstance(problem, dict):
                problem = {}
            raise ApiError(service, response.status_code, problem)
        return response

    def get(self, service: str, path: str, **params: Any) -> Any:
        clean = {k: v for k, v in params.items() if v not in (None, "")}
        return self.request(service, "GET", path, params=clean).json()

    def post(
        self, service: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> Any:
        response = self.request(
            service, "POST", path, json=body if body is not None else {}, headers=headers
        )
        return response.json() if response.content else None

    def put(self, service: str, path: str, body: Any) -> Any:
        return self.request(service, "PUT", path, json=body).json()

    def patch(self, service: str, path: str, body: Any) -> Any:
        return self.request(service, "PATCH", path, json=body).json()

    def delete(self, service: str, path: str) -> None:
        self.request(service, "DELETE", path)

    def items(self, service: str, path: str, **params: Any) -> list[dict[str, Any]]:
        """Every item of a paginated list (200 a page, at most ``MAX_PAGES`` pages)."""
        return list(self._iter_items(service, path, params))

    def _iter_items(self, service: str, path: str, params: dict) -> Iterator[dict[str, Any]]:
        for page in range(1, MAX_PAGES + 1):
            body = self.get(service, path, page=page, per_page=200, **params)
            yield from body["items"]
            if page * body["per_page"] >= body["total"]:
                return


def _api_path(path: str) -> str | None:
    """``path`` with every character that could end it early (``?``, ``#``) or escape it
    percent-encoded: the ids in it come from the console's own URL, typed by anyone. A
    ``.`` or ``..`` segment, which a client may resolve to another resource, gives None."""
    if any(segment in (".", "..") for segment in path.split("/")):
        return None
    return quote(path, safe="/")
