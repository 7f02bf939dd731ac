"""Property-based fuzzing of each service's OpenAPI document with Schemathesis.

Each operation gets ``PENDAMPING_FUZZ_EXAMPLES`` generated requests that fit its schema and
as many that do not, sent in process with an admin's token of a foundation that has one of
every record (an operator's for ``/foundations``). Half the ids in schema-fitting requests
(path parameters, ``client_id``/``program_id``/... in bodies) are real records' ids, so the
rules behind the validation are reached too. Every answer must be:
no 5xx, a status and body the document describes, and every error ``application/problem+json``
with ``type``, ``title``, ``status`` and ``detail``.

``make test`` runs a few examples per operation, derandomised; ``make fuzz`` runs many.
"""

from __future__ import annotations

import os
import time
from collections import Counter

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from services.notifications.templates import TEMPLATE_KEYS
from tests.security.world import PEOPLE, add_data_requests, populate

EXAMPLES = int(os.environ.get("PENDAMPING_FUZZ_EXAMPLES", "15"))
# make test: the same cases every run; make fuzz: fresh ones
RANDOM = os.environ.get("PENDAMPING_FUZZ_RANDOM", "") == "1"
FOUNDATION = "medan-plus"
CHANNELS = ("email", "sms", "whatsapp", "webhook")
PROBLEM = "application/problem+json"
PROBLEM_MEMBERS = ("type", "title", "status", "detail")

# which of the world's ids a path parameter names
PATH_IDS = {
    "client_id": "client",
    "contact_id": "contact",
    "assessment_id": "assessment",
    "session_id": "session",
    "followup_id": "followup",
    "goal_id": "goal",
    "message_id": "message",
    "reply_id": "reply",
    "request_id": "data_request",
    "partner_id": "partner",
    "referral_id": "referral",
}
# which of the world's ids a body field names
BODY_IDS = {
    "client_id": "client",
    "client_ids": "client",
    "program_id": "program",
    "case_worker_id": "staff",
    "partner_id": "partner",
}


def problem_details(ctx, response, case):
    """Every error is problem+json with type, title, status (the HTTP status) and detail."""
    if response.status_code < 400:
        return None
    content_type = (response.headers.get("content-type") or [""])[0].split(";")[0].strip()
    assert content_type == PROBLEM, f"error answered as {content_type!r}, not {PROBLEM}"
    body = response.json()
    assert isinstance(body, dict), "a problem is a JSON object"
    missing = [name for name in PROBLEM_MEMBERS if name not in body]
    assert not missing, f"problem without {missing}"
    assert body["status"] == response.status_code, "the problem's status is the HTTP status"
    if response.status_code == 422:
        errors = body.get("errors")
        assert isinstance(errors, dict) and errors, "a validation failure names its fields"
    return None


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    problem_details,
]


def load_schema(app):
    """The service's own document, with authentication left to the test: the token is
    always sent (tests/security checks what happens without one)."""
    raw = app.test_client().get("/openapi.json").get_json()
    raw.pop("security", None)
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = app
    return schema


def real_values(world) -> dict[str, list[str]]:
    values = {name: world.ids[kind] for name, kind in PATH_IDS.items()}
    values["slug"] = [FOUNDATION]
    values["key"] = list(TEMPLATE_KEYS)
    values["channel"] = list(CHANNELS)
    return values


def use_real_ids(case, data, real, world) -> None:
    """Half the time, put a real record's id where the document asks for one, so a
    schema-fitting request reaches the rules behind the validation."""
    for name in list(case.path_parameters or {}):
        if name in real and data.draw(st.booleans(), label=f"real {name}"):
            case.path_parameters[name] = data.draw(st.sampled_from(real[name]))
    if isinstance(case.body, dict):
        for name, kind in BODY_IDS.items():
            if name in case.body and data.draw(st.booleans(), label=f"real {name}"):
                value = data.draw(st.sampled_from(world.ids[kind]))
                case.body[name] = [value] if name == "client_ids" else value


def fuzz_operation(operation, mode, headers, world, stats) -> list[str]:
    """Run one operation's examples in ``mode``; answers the failures found (shrunk)."""
    failures: list[str] = []
    real = real_values(world)

    @hypothesis.given(case=operation.as_strategy(generation_mode=mode), data=st.data())
    @hypothesis.settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=not RANDOM,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        report_multiple_bugs=False,
    )
    def run(case, data):
        if mode is GenerationMode.POSITIVE:
            use_real_ids(case, data, real, world)
        response = case.call(headers=headers)
        stats[response.status_code] += 1
        case.validate_response(response, checks=CHECKS, headers=headers)

    try:
        run()
    except Exception as exc:  # a check failed: keep the shrunk example's report
        failures.append(f"{operation.label} [{mode.value}]: {str(exc)[:3000]}")
    return failures


@pytest.mark.parametrize("service", ["intake", "assessment", "notifications"])
def test_every_operation_survives_fuzzing(suite, service):
    world = populate(suite, FOUNDATION, PEOPLE["a"])
    add_data_requests(suite, (world,))
    schema = load_schema(suite.apps()[service])
    admin = {"Authorization": f"Bearer {suite.token('admin', FOUNDATION, sub='fuzz-admin')}"}
    operator = {"Authorization": f"Bearer {suite.token('operator', None, sub='fuzz-op')}"}

    failures: list[str] = []
    stats: Counter[int] = Counter()
    operations = 0
    started = time.monotonic()
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        headers = operator if operation.path.startswith("/foundations") else admin
        # an operation with only free-text path parameters has nothing to break
        modes = [GenerationMode.POSITIVE]
        if len(operation.query) or len(operation.body):
            modes.append(GenerationMode.NEGATIVE)
        for mode in modes:
            failures += fuzz_operation(operation, mode, headers, world, stats)
    elapsed = time.monotonic() - started
    print(
        f"\n{service}: {operations} operations, {sum(stats.values())} requests "
        f"({EXAMPLES} per operation and mode) in {elapsed:.1f} s; "
        f"statuses {dict(sorted(stats.items()))}"
    )
    assert operations > 0
    assert not failures, "\n\n".join(failures)
