"""Security tests run on SQLite (the database scan reads SQLite files);
``PENDAMPING_SECURITY_BACKENDS=sqlite,postgres`` adds PostgreSQL where one answers, for the
tests that do not scan files."""

from __future__ import annotations

import os

import pytest

from tests.conftest import PG_AVAILABLE

BACKENDS = [
    name.strip()
    for name in os.environ.get("PENDAMPING_SECURITY_BACKENDS", "sqlite").split(",")
    if name.strip()
]


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    if request.param == "postgres" and not PG_AVAILABLE:
        pytest.skip("no PostgreSQL answers on 127.0.0.1:5432")
    return request.param
