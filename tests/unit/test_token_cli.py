"""``pendamping token`` in a production container that holds one service's settings only
(a Kubernetes pod: ``kubectl exec deploy/intake-api -- pendamping token --service intake``)."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from ops import cli
from shared.auth import decode_token

SECRET = "k8s-unit-secret-" + "s" * 40


@pytest.fixture
def intake_container(tmp_path, monkeypatch):
    """The environment the intake API's pod gets: its own database, no one else's."""
    for name in ("ASSESSMENT", "NOTIFICATIONS", "CONSOLE"):
        monkeypatch.delenv(f"{name}_DATABASE_URL", raising=False)
    monkeypatch.setenv("PENDAMPING_ENV", "production")
    monkeypatch.setenv("PENDAMPING_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PENDAMPING_SECRET_KEY", SECRET)
    monkeypatch.setenv("PENDAMPING_CONSOLE_KEY", "k8s-unit-console-" + "c" * 40)
    monkeypatch.setenv("PENDAMPING_DATA_KEY", Fernet.generate_key().decode())
    monkeypatch.setenv("REDIS_URL", "redis://redis.invalid:6379/0")
    monkeypatch.setenv("INTAKE_DATABASE_URL", f"sqlite:///{tmp_path / 'intake.sqlite'}")


def test_without_service_it_asks_for_every_services_settings(intake_container, capsys):
    assert cli.main(["token", "--role", "operator"]) == 2
    assert "ASSESSMENT_DATABASE_URL must be set" in capsys.readouterr().err


def test_with_its_service_it_signs_with_that_containers_secret_key(intake_container, capsys):
    argv = ["token", "--role", "admin", "--foundation", "medan-plus", "--service", "intake"]
    assert cli.main(argv) == 0
    caller = decode_token(SECRET, capsys.readouterr().out.strip())
    assert (caller.role, caller.foundation) == ("admin", "medan-plus")
