"""``pendamping wait-for-migrations``: what a process started beside a separate migration
step (the Kubernetes manifests' init containers) waits for, on a real SQLite database."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from ops import cli
from ops.migrations import is_migrated, upgrade, wait_until_migrated


@pytest.fixture
def environment(tmp_path, monkeypatch):
    """A development environment whose databases are files of its own, not yet migrated."""
    monkeypatch.delenv("PENDAMPING_ENV", raising=False)
    monkeypatch.setenv("PENDAMPING_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PENDAMPING_SECRET_KEY", "unit-test-secret-" + "x" * 32)
    monkeypatch.setenv("PENDAMPING_CONSOLE_KEY", "unit-test-console-" + "y" * 32)
    monkeypatch.setenv("PENDAMPING_DATA_KEY", Fernet.generate_key().decode())
    for name in ("INTAKE", "ASSESSMENT", "NOTIFICATIONS", "CONSOLE"):
        monkeypatch.delenv(f"{name}_DATABASE_URL", raising=False)
    return tmp_path


def test_a_database_is_migrated_only_at_the_codes_heads(tmp_path):
    url = f"sqlite:///{tmp_path / 'intake.sqlite'}"
    assert not is_migrated("intake", url)
    upgrade("intake", url, "0001")
    assert not is_migrated("intake", url), "a database behind the code is not migrated"
    upgrade("intake", url)
    assert is_migrated("intake", url)


def test_waiting_gives_up_after_the_timeout_and_asks_again_meanwhile(tmp_path):
    url = f"sqlite:///{tmp_path / 'assessment.sqlite'}"
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    assert not wait_until_migrated(
        "assessment", url, timeout=5, interval=2, clock=lambda: now[0], sleep=sleep
    )
    assert slept == [2, 2, 2]


def test_waiting_ends_as_soon_as_the_migrations_are_in(tmp_path):
    url = f"sqlite:///{tmp_path / 'notifications.sqlite'}"
    asked = []

    def migrate_meanwhile(seconds: float) -> None:
        asked.append(seconds)
        upgrade("notifications", url)

    assert wait_until_migrated("notifications", url, timeout=60, sleep=migrate_meanwhile)
    assert len(asked) == 1


def test_a_database_that_does_not_answer_counts_as_not_migrated(tmp_path):
    unreachable = "postgresql+psycopg://nobody@127.0.0.1:1/intake?connect_timeout=1"
    assert not wait_until_migrated("intake", unreachable, timeout=0)


@pytest.mark.parametrize("service", ["intake", "console"])
def test_the_command_exits_1_until_the_database_is_migrated_then_0(environment, service, capsys):
    argv = ["wait-for-migrations", "--service", service, "--timeout", "0"]
    assert cli.main(argv) == 1
    assert "pendamping migrate" in capsys.readouterr().err
    upgrade(service, f"sqlite:///{environment / (service + '.sqlite')}")
    assert cli.main(argv) == 0
