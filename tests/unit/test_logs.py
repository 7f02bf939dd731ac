"""Log lines: the format chosen by the environment, and what each line carries."""

from __future__ import annotations

import contextvars
import io
import json
import logging

import pytest

from shared.events.envelope import correlated
from shared.logs import log_context, log_format, make_handler, service_of_app
from shared.settings import ConfigurationError


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "text"),
        ({"PENDAMPING_ENV": "production"}, "json"),
        ({"PENDAMPING_ENV": "production", "PENDAMPING_LOG_FORMAT": "text"}, "text"),
        ({"PENDAMPING_LOG_FORMAT": "json"}, "json"),
        ({"PENDAMPING_LOG_FORMAT": " JSON "}, "json"),
        ({"PENDAMPING_LOG_FORMAT": ""}, "text"),
    ],
)
def test_the_format_follows_the_environment(environ, expected):
    assert log_format(environ) == expected


def test_an_unknown_format_stops_the_process():
    with pytest.raises(ConfigurationError, match="PENDAMPING_LOG_FORMAT"):
        log_format({"PENDAMPING_LOG_FORMAT": "xml"})


@pytest.mark.parametrize(
    ("uri", "service"),
    [
        ("services.intake.app:create_app()", "intake"),
        ("services.notifications.app:create_app()", "notifications"),
        ("myapp:app", None),
    ],
)
def test_the_service_of_a_gunicorn_app(uri, service):
    assert service_of_app(uri) == service


def emit(fmt: str, logger_name: str, *args, **kwargs) -> str:
    stream = io.StringIO()
    logger = logging.getLogger(logger_name)
    handler = make_handler("scheduler", fmt, stream=stream)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        logger.info(*args, **kwargs)
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()


def test_a_json_line_carries_its_context_and_leaves_out_what_is_unknown():
    with correlated("corr-1234567890"), log_context(event_id="e-1", event_type="client.admitted"):
        line = emit("json", "tests.unit.json", "handled %s", "x", extra={"outcome": "applied"})
    record = json.loads(line)
    assert list(record)[:5] == ["time", "level", "service", "logger", "message"]
    assert record["time"].endswith("+00:00")
    assert record == {
        "time": record["time"],
        "level": "INFO",
        "service": "scheduler",
        "logger": "tests.unit.json",
        "message": "handled x",
        "correlation_id": "corr-1234567890",
        "event_id": "e-1",
        "event_type": "client.admitted",
        "outcome": "applied",
    }


def test_a_service_logger_names_its_service_and_task_arguments_stay_out():
    # a fresh context: no correlation id or bound fields left by whatever ran before
    line = contextvars.Context().run(
        emit,
        "json",
        "services.assessment.handlers",
        "task failed",
        extra={"data": {"args": [{"data": {"first_name": "gAAAA..."}}]}},
    )
    record = json.loads(line)
    assert record["service"] == "assessment"
    assert "data" not in record and "correlation_id" not in record


def test_a_text_line_ends_with_its_context():
    with correlated("corr-abcdefgh"), log_context(request_id="r-1"):
        line = emit("text", "tests.unit.text", "POST /clients 201")
    assert "INFO" in line and "scheduler tests.unit.text: POST /clients 201" in line
    assert line.rstrip().endswith("[correlation_id=corr-abcdefgh request_id=r-1]")
