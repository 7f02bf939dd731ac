"""``pendamping rotate-data-key`` and ``pendamping index-key``: arguments, settings, refusals.

The rotation itself, on real databases, is in tests/integration/test_key_rotation.py.
"""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from ops import cli, key_rotation
from shared.crypto import DataCipher
from shared.settings import ConfigurationError, load_settings

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()
PINNED = DataCipher([OLD_KEY]).index_key


@pytest.fixture
def environment(tmp_path, monkeypatch):
    """A development environment of its own, with data key ``OLD_KEY``."""
    monkeypatch.delenv("PENDAMPING_ENV", raising=False)
    monkeypatch.delenv("PENDAMPING_INDEX_KEY", raising=False)
    monkeypatch.setenv("PENDAMPING_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PENDAMPING_SECRET_KEY", "unit-test-secret-" + "x" * 32)
    monkeypatch.setenv("PENDAMPING_CONSOLE_KEY", "unit-test-console-" + "y" * 32)
    monkeypatch.setenv("PENDAMPING_DATA_KEY", OLD_KEY)
    return monkeypatch


@pytest.fixture
def calls(environment):
    """What ``rotate-data-key`` hands to the rotation, instead of running it."""
    seen: list[dict] = []

    def record(settings, services, *, batch_size, dry_run):
        seen.append({"services": list(services), "batch_size": batch_size, "dry_run": dry_run})
        return 0

    environment.setattr(key_rotation, "run_rotation", record)
    return seen


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            [],
            {
                "services": ["intake", "assessment", "notifications", "console"],
                "batch_size": 200,
                "dry_run": False,
            },
        ),
        (
            ["--service", "intake"],
            {"services": ["intake"], "batch_size": 200, "dry_run": False},
        ),
        (
            ["--service", "console", "--batch-size", "50", "--dry-run"],
            {"services": ["console"], "batch_size": 50, "dry_run": True},
        ),
        (["--batch-size", "10000"], {"batch_size": 10000}),
        (["--batch-size", "1"], {"batch_size": 1}),
    ],
)
def test_arguments_reach_the_rotation(calls, argv, expected):
    assert cli.main(["rotate-data-key", *argv]) == 0
    (call,) = calls
    assert {key: call[key] for key in expected} == expected


@pytest.mark.parametrize(
    ("argv", "complaint"),
    [
        (["--batch-size", "0"], "--batch-size"),
        (["--batch-size", "-5"], "--batch-size"),
        (["--batch-size", "ten"], "--batch-size"),
        (["--batch-size", "10001"], "--batch-size"),
        (["--batch-size"], "--batch-size"),
        (["--service", "billing"], "--service"),
        (["--service", "INTAKE"], "--service"),
        (["--force"], "unrecognized arguments"),
    ],
)
def test_bad_arguments_are_a_usage_error(calls, capsys, argv, complaint):
    with pytest.raises(SystemExit) as stopped:
        cli.main(["rotate-data-key", *argv])
    assert stopped.value.code == 2
    assert complaint in capsys.readouterr().err
    assert calls == []


def test_refuses_to_rotate_while_the_index_key_hangs_on_the_last_data_key(environment, capsys):
    environment.setenv("PENDAMPING_DATA_KEY", f"{NEW_KEY},{OLD_KEY}")
    assert cli.main(["rotate-data-key"]) == 2
    err = capsys.readouterr().err
    assert "PENDAMPING_INDEX_KEY" in err and "pendamping index-key" in err
    assert OLD_KEY not in err and NEW_KEY not in err


def test_index_key_prints_the_key_derived_from_the_last_data_key(environment, capsys):
    environment.setenv("PENDAMPING_DATA_KEY", f"{NEW_KEY},{OLD_KEY}")
    assert cli.main(["index-key"]) == 0
    assert capsys.readouterr().out.strip() == PINNED


def test_a_pinned_index_key_survives_retiring_the_old_data_key(environment, capsys):
    environment.setenv("PENDAMPING_DATA_KEY", NEW_KEY)
    environment.setenv("PENDAMPING_INDEX_KEY", PINNED)
    assert cli.main(["index-key"]) == 0
    assert capsys.readouterr().out.strip() == PINNED
    settings = load_settings()
    pinned = DataCipher(settings.data_keys, settings.index_key)
    assert pinned.blind_index("nik:3271046504930002") == DataCipher([OLD_KEY]).blind_index(
        "nik:3271046504930002"
    )


@pytest.mark.parametrize(
    "value", ["abc", PINNED[:-2], PINNED + "00", "z" * 64, OLD_KEY, " ".join(PINNED)]
)
def test_a_malformed_index_key_is_refused_without_printing_it(environment, capsys, value):
    environment.setenv("PENDAMPING_INDEX_KEY", value)
    with pytest.raises(ConfigurationError) as refused:
        load_settings()
    assert "PENDAMPING_INDEX_KEY" in str(refused.value)
    assert value not in str(refused.value)
    assert cli.main(["index-key"]) == 2
    err = capsys.readouterr().err
    assert "PENDAMPING_INDEX_KEY" in err and value not in err
