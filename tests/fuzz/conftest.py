"""Fuzzing runs on SQLite; ``PENDAMPING_FUZZ_BACKENDS=sqlite,postgres`` (what ``make fuzz``
sets) runs it on PostgreSQL too where one answers, since some inputs only hurt there."""

from __future__ import annotations

import os

import pytest

from tests.conftest import PG_AVAILABLE

BACKENDS = [
    name.strip()
    for name in os.environ.get("PENDAMPING_FUZZ_BACKENDS", "sqlite").split(",")
    if name.strip()
]


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    if request.param == "postgres" and not PG_AVAILABLE:
        pytest.skip("no PostgreSQL answers on 127.0.0.1:5432")
    return request.param
