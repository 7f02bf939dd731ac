"""A production deployment whose PENDAMPING_DATA_KEY is not a list of Fernet keys does not
start, and says which setting is wrong without printing the key (which would then sit in
logs and terminal scrollback)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet

from shared.settings import ConfigurationError
from tests.conftest import ROOT

GOOD = Fernet.generate_key().decode()
MALFORMED = {
    "not-base64": "this-is-not-a-fernet-key-at-all",
    "cut-short": GOOD[:30],
    "bad-second-entry": f"{GOOD},{GOOD[:30]}",
}


def production_env(tmp_path, data_key: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not (k.startswith("PENDAMPING_") or k.endswith("_DATABASE_URL") or k == "REDIS_URL")
    }
    env.update(
        PENDAMPING_ENV="production",
        PENDAMPING_VAR_DIR=str(tmp_path),
        PENDAMPING_SECRET_KEY="p" * 48,
        PENDAMPING_DATA_KEY=data_key,
        INTAKE_DATABASE_URL="postgresql+psycopg://db/intake",
        ASSESSMENT_DATABASE_URL="postgresql+psycopg://db/assessment",
        NOTIFICATIONS_DATABASE_URL="postgresql+psycopg://db/notifications",
        REDIS_URL="redis://127.0.0.1:6379/15",
        # the staff console's settings, which production also requires
        PENDAMPING_CONSOLE_KEY="c" * 48,
        CONSOLE_DATABASE_URL="postgresql+psycopg://db/console",
    )
    return env


def assert_names_the_setting_not_the_key(text: str, data_key: str) -> None:
    assert "PENDAMPING_DATA_KEY" in text
    for key in data_key.split(","):
        assert key not in text


@pytest.mark.parametrize("data_key", MALFORMED.values(), ids=MALFORMED.keys())
@pytest.mark.parametrize("service", ["intake", "assessment", "notifications"])
def test_create_app_refuses_a_malformed_data_key(tmp_path, monkeypatch, service, data_key):
    from importlib import import_module

    env = production_env(tmp_path, data_key)
    for name in set(os.environ) - set(env):
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    create_app = import_module(f"services.{service}.app").create_app
    with pytest.raises(ConfigurationError) as info:
        create_app()
    assert_names_the_setting_not_the_key(str(info.value), data_key)


@pytest.mark.parametrize("data_key", MALFORMED.values(), ids=MALFORMED.keys())
def test_the_cli_reports_a_malformed_data_key_without_a_traceback(tmp_path, data_key):
    result = subprocess.run(
        [sys.executable, "-m", "ops.cli", "token", "--role", "operator"],
        env=production_env(tmp_path, data_key),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("configuration error: PENDAMPING_DATA_KEY")
    assert "Traceback" not in result.stderr
    assert_names_the_setting_not_the_key(result.stderr, data_key)
    assert result.stdout == ""  # no token printed
