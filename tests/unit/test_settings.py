"""Settings from the environment: production refusals and development secrets."""

from __future__ import annotations

import json
import multiprocessing
import stat

import pytest
from cryptography.fernet import Fernet

from shared.settings import SERVICES, ConfigurationError, load_settings

PROD_SECRET = "k" * 48
PROD_CONSOLE_KEY = "c" * 48
DATA_KEY = Fernet.generate_key().decode()


def production_env(tmp_path, **overrides) -> dict[str, str]:
    env = {
        "PENDAMPING_ENV": "production",
        "PENDAMPING_VAR_DIR": str(tmp_path),
        "PENDAMPING_SECRET_KEY": PROD_SECRET,
        "PENDAMPING_DATA_KEY": DATA_KEY,
        "INTAKE_DATABASE_URL": "postgresql+psycopg://db/intake",
        "ASSESSMENT_DATABASE_URL": "postgresql+psycopg://db/assessment",
        "NOTIFICATIONS_DATABASE_URL": "postgresql+psycopg://db/notifications",
        "REDIS_URL": "redis://redis:6379/0",
        "PENDAMPING_CONSOLE_KEY": PROD_CONSOLE_KEY,
        "CONSOLE_DATABASE_URL": "postgresql+psycopg://db/console",
    }
    for key, value in overrides.items():
        if value is None:
            env.pop(key)
        else:
            env[key] = value
    return env


def test_full_production_env(tmp_path):
    settings = load_settings(production_env(tmp_path))
    assert settings.production
    assert settings.environment == "production"
    assert settings.secret_key == PROD_SECRET
    assert settings.data_keys == (DATA_KEY,)
    assert settings.redis_url == "redis://redis:6379/0"
    assert settings.database_urls == {
        "intake": "postgresql+psycopg://db/intake",
        "assessment": "postgresql+psycopg://db/assessment",
        "notifications": "postgresql+psycopg://db/notifications",
        "console": "postgresql+psycopg://db/console",
    }
    assert settings.console_key == PROD_CONSOLE_KEY
    for service in SERVICES:
        assert settings.database_url(service) == f"postgresql+psycopg://db/{service}"
    assert not (tmp_path / "dev-secrets.json").exists()


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"PENDAMPING_SECRET_KEY": None}, ["PENDAMPING_SECRET_KEY"]),
        ({"PENDAMPING_DATA_KEY": None}, ["PENDAMPING_DATA_KEY"]),
        ({"PENDAMPING_DATA_KEY": ""}, ["PENDAMPING_DATA_KEY"]),
        ({"REDIS_URL": None}, ["REDIS_URL"]),
        ({"INTAKE_DATABASE_URL": None}, ["INTAKE_DATABASE_URL"]),
        ({"ASSESSMENT_DATABASE_URL": None}, ["ASSESSMENT_DATABASE_URL"]),
        ({"NOTIFICATIONS_DATABASE_URL": None}, ["NOTIFICATIONS_DATABASE_URL"]),
        (
            {"PENDAMPING_SECRET_KEY": None, "PENDAMPING_DATA_KEY": None},
            ["PENDAMPING_SECRET_KEY", "PENDAMPING_DATA_KEY"],
        ),
        (
            {
                "PENDAMPING_SECRET_KEY": None,
                "PENDAMPING_DATA_KEY": None,
                "REDIS_URL": None,
                "INTAKE_DATABASE_URL": None,
                "ASSESSMENT_DATABASE_URL": None,
                "NOTIFICATIONS_DATABASE_URL": None,
            },
            [
                "PENDAMPING_SECRET_KEY",
                "PENDAMPING_DATA_KEY",
                "REDIS_URL",
                "INTAKE_DATABASE_URL",
                "ASSESSMENT_DATABASE_URL",
                "NOTIFICATIONS_DATABASE_URL",
            ],
        ),
        ({"PENDAMPING_SECRET_KEY": "short"}, ["PENDAMPING_SECRET_KEY"]),
        ({"PENDAMPING_SECRET_KEY": "x" * 31}, ["PENDAMPING_SECRET_KEY"]),
        ({"PENDAMPING_SECRET_KEY": "dev-" + "x" * 60}, ["PENDAMPING_SECRET_KEY"]),
        ({"PENDAMPING_CONSOLE_KEY": None}, ["PENDAMPING_CONSOLE_KEY"]),
        ({"PENDAMPING_CONSOLE_KEY": "x" * 31}, ["PENDAMPING_CONSOLE_KEY"]),
        ({"PENDAMPING_CONSOLE_KEY": "dev-" + "x" * 60}, ["PENDAMPING_CONSOLE_KEY"]),
        ({"PENDAMPING_CONSOLE_KEY": PROD_SECRET}, ["PENDAMPING_CONSOLE_KEY"]),
        ({"CONSOLE_DATABASE_URL": None}, ["CONSOLE_DATABASE_URL"]),
    ],
)
def test_production_refuses_missing_or_dev_secrets(tmp_path, overrides, named):
    with pytest.raises(ConfigurationError) as info:
        load_settings(production_env(tmp_path, **overrides))
    message = str(info.value)
    for name in named:
        assert name in message
    assert not (tmp_path / "dev-secrets.json").exists()


def test_production_accepts_exactly_32_characters(tmp_path):
    settings = load_settings(production_env(tmp_path, PENDAMPING_SECRET_KEY="y" * 32))
    assert settings.secret_key == "y" * 32


@pytest.mark.parametrize(
    ("value", "count"),
    [
        ("{a},{b}", 2),
        ("{a}, {b}", 2),
        (" {a} ,{b},", 2),
        ("{a},{b},{c}", 3),
        ("{a}", 1),
    ],
)
def test_data_keys_split_on_commas(tmp_path, value, count):
    keys = {name: Fernet.generate_key().decode() for name in "abc"}
    settings = load_settings(production_env(tmp_path, PENDAMPING_DATA_KEY=value.format(**keys)))
    assert len(settings.data_keys) == count
    assert isinstance(settings.data_keys, tuple)
    assert settings.data_keys == tuple(keys[n] for n in "abc"[:count])


def test_two_data_keys_in_development(tmp_path):
    first, second = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings = load_settings(
        {
            "PENDAMPING_VAR_DIR": str(tmp_path),
            "PENDAMPING_SECRET_KEY": "dev-secret",
            "PENDAMPING_DATA_KEY": f"{first},{second}",
            "PENDAMPING_CONSOLE_KEY": "dev-console",
        }
    )
    assert settings.data_keys == (first, second)
    assert not (tmp_path / "dev-secrets.json").exists()


@pytest.mark.parametrize("environment", [None, "development"])
def test_development_generates_secrets_once(tmp_path, environment):
    var = tmp_path / "var"
    env = {"PENDAMPING_VAR_DIR": str(var)}
    if environment:
        env["PENDAMPING_ENV"] = environment
    first = load_settings(env)
    path = var / "dev-secrets.json"
    assert path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    stored = json.loads(path.read_text())
    assert first.secret_key == stored["PENDAMPING_SECRET_KEY"]
    assert first.secret_key.startswith("dev-")
    assert first.data_keys == (stored["PENDAMPING_DATA_KEY"],)
    Fernet(first.data_keys[0].encode())
    assert not first.production
    assert first.environment == "development"

    second = load_settings(env)
    assert second.secret_key == first.secret_key
    assert second.data_keys == first.data_keys
    assert json.loads(path.read_text()) == stored
    assert not list(var.glob("*.tmp"))


def _settle_secrets_at_once(var: str, start, keys) -> None:
    start.wait()  # every process reaches the missing file together
    settings = load_settings({"PENDAMPING_VAR_DIR": var})
    keys.put((settings.secret_key, settings.data_keys, settings.console_key))


def test_processes_starting_together_agree_on_one_set_of_development_secrets(tmp_path):
    """gunicorn's workers and ``pendamping run``'s processes start at once on a fresh
    ``var/``: none may fail, and none may keep keys another then overwrote."""
    context = multiprocessing.get_context("fork")
    count = 12
    start, keys = context.Barrier(count), context.Queue()
    var = str(tmp_path / "var")
    processes = [
        context.Process(target=_settle_secrets_at_once, args=(var, start, keys))
        for _ in range(count)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(30)
    assert [process.exitcode for process in processes] == [0] * count
    seen = {keys.get(timeout=5) for _ in range(count)}
    stored = json.loads((tmp_path / "var" / "dev-secrets.json").read_text())
    assert seen == {
        (
            stored["PENDAMPING_SECRET_KEY"],
            (stored["PENDAMPING_DATA_KEY"],),
            stored["PENDAMPING_CONSOLE_KEY"],
        )
    }
    assert not list((tmp_path / "var").glob("*.tmp"))


def test_development_generates_a_console_key_distinct_from_the_secret(tmp_path):
    settings = load_settings({"PENDAMPING_VAR_DIR": str(tmp_path)})
    stored = json.loads((tmp_path / "dev-secrets.json").read_text())
    assert settings.console_key == stored["PENDAMPING_CONSOLE_KEY"]
    assert settings.console_key.startswith("dev-")
    assert settings.console_key != settings.secret_key
    assert settings.database_url("console") == f"sqlite:///{tmp_path.resolve()}/console.sqlite"


def test_an_older_dev_secrets_file_keeps_its_keys_and_gains_the_console_key(tmp_path):
    older = {"PENDAMPING_SECRET_KEY": "dev-older", "PENDAMPING_DATA_KEY": DATA_KEY}
    (tmp_path / "dev-secrets.json").write_text(json.dumps(older))
    settings = load_settings({"PENDAMPING_VAR_DIR": str(tmp_path)})
    assert (settings.secret_key, settings.data_keys) == ("dev-older", (DATA_KEY,))
    stored = json.loads((tmp_path / "dev-secrets.json").read_text())
    assert stored["PENDAMPING_SECRET_KEY"] == "dev-older"
    assert stored["PENDAMPING_CONSOLE_KEY"] == settings.console_key
    assert load_settings({"PENDAMPING_VAR_DIR": str(tmp_path)}).console_key == settings.console_key


def test_development_defaults(tmp_path):
    settings = load_settings({"PENDAMPING_VAR_DIR": str(tmp_path)})
    assert settings.var_dir == tmp_path.resolve()
    assert settings.redis_url == "redis://127.0.0.1:6379/0"
    for service in SERVICES:
        assert settings.database_url(service) == f"sqlite:///{tmp_path.resolve() / service}.sqlite"


def test_development_keeps_given_secrets(tmp_path):
    settings = load_settings(
        {
            "PENDAMPING_VAR_DIR": str(tmp_path),
            "PENDAMPING_SECRET_KEY": "dev-given",
            "PENDAMPING_DATA_KEY": DATA_KEY,
            "PENDAMPING_CONSOLE_KEY": "dev-console-given",
        }
    )
    assert settings.secret_key == "dev-given"
    assert settings.data_keys == (DATA_KEY,)
    assert not (tmp_path / "dev-secrets.json").exists()


@pytest.mark.parametrize(
    ("name", "value", "attribute", "expected"),
    [
        ("PENDAMPING_HEARTBEAT_MAX_AGE", "60", "heartbeat_max_age_seconds", 60),
        ("PENDAMPING_RELAY_INTERVAL", "0.5", "relay_interval_seconds", 0.5),
        ("PENDAMPING_DISPATCH_INTERVAL", "5", "dispatch_interval_seconds", 5.0),
    ],
)
def test_intervals(tmp_path, name, value, attribute, expected):
    settings = load_settings(production_env(tmp_path, **{name: value}))
    assert getattr(settings, attribute) == expected


@pytest.mark.parametrize(
    ("value", "named"),
    [
        ("not-a-fernet-key", "its value"),
        ("c2hvcnQ=", "its value"),  # valid base64, but 5 bytes, not 32
        ("{good},not-a-fernet-key", "entry 2 of 2"),
        ("not-a-fernet-key,{good}", "entry 1 of 2"),
        ("{good}, {cut}", "entry 2 of 2"),  # a key cut short when pasted
        ("{good},{good},{cut}", "entry 3 of 3"),
    ],
)
def test_production_refuses_a_malformed_data_key_without_echoing_it(tmp_path, value, named):
    value = value.format(good=DATA_KEY, cut=DATA_KEY[:30])
    with pytest.raises(ConfigurationError) as info:
        load_settings(production_env(tmp_path, PENDAMPING_DATA_KEY=value))
    message = str(info.value)
    assert "PENDAMPING_DATA_KEY" in message and named in message
    for key in value.split(","):
        assert key.strip() not in message
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_production_refuses_a_data_key_of_commas_only(tmp_path):
    with pytest.raises(ConfigurationError, match="PENDAMPING_DATA_KEY must be set"):
        load_settings(production_env(tmp_path, PENDAMPING_DATA_KEY=" , ,"))


def test_development_refuses_a_malformed_data_key_too(tmp_path):
    with pytest.raises(ConfigurationError, match="PENDAMPING_DATA_KEY"):
        load_settings({"PENDAMPING_VAR_DIR": str(tmp_path), "PENDAMPING_DATA_KEY": "nope"})


@pytest.mark.parametrize(("value", "expected"), [(None, 0), ("0", 0), ("1", 1), (" 2 ", 2)])
def test_trusted_proxies(tmp_path, value, expected):
    overrides = {} if value is None else {"PENDAMPING_TRUSTED_PROXIES": value}
    settings = load_settings(production_env(tmp_path, **overrides))
    assert settings.trusted_proxies == expected


@pytest.mark.parametrize("value", ["yes", "-1", "1.5", "", "²"])
def test_a_bad_trusted_proxies_value_stops_the_process(tmp_path, value):
    with pytest.raises(ConfigurationError, match="PENDAMPING_TRUSTED_PROXIES"):
        load_settings(production_env(tmp_path, PENDAMPING_TRUSTED_PROXIES=value))


@pytest.mark.parametrize(("value", "expected"), [(None, 1000), ("1", 1), (" 250 ", 250)])
def test_max_waiting_sends(tmp_path, value, expected):
    overrides = {} if value is None else {"PENDAMPING_MAX_WAITING_SENDS": value}
    settings = load_settings(production_env(tmp_path, **overrides))
    assert settings.max_waiting_sends == expected


@pytest.mark.parametrize("value", ["0", "-5", "1e3", "", "many"])
def test_a_bad_max_waiting_sends_value_stops_the_process(tmp_path, value):
    with pytest.raises(ConfigurationError, match="PENDAMPING_MAX_WAITING_SENDS"):
        load_settings(production_env(tmp_path, PENDAMPING_MAX_WAITING_SENDS=value))


CONSOLE_ONLY = {
    "PENDAMPING_SECRET_KEY": None,
    "INTAKE_DATABASE_URL": None,
    "ASSESSMENT_DATABASE_URL": None,
    "NOTIFICATIONS_DATABASE_URL": None,
    "REDIS_URL": None,
}


def test_the_console_starts_with_only_its_own_secrets(tmp_path):
    settings = load_settings(production_env(tmp_path, **CONSOLE_ONLY), service="console")
    assert settings.secret_key == ""  # nothing to sign an operator token with
    assert settings.console_key == PROD_CONSOLE_KEY
    assert settings.database_urls == {"console": "postgresql+psycopg://db/console"}


def test_the_console_refuses_the_api_signing_key(tmp_path):
    with pytest.raises(ConfigurationError, match="PENDAMPING_SECRET_KEY must not be given"):
        load_settings(production_env(tmp_path), service="console")


@pytest.mark.parametrize(
    ("missing", "named"),
    [
        ("CONSOLE_DATABASE_URL", "CONSOLE_DATABASE_URL must be set"),
        ("PENDAMPING_CONSOLE_KEY", "PENDAMPING_CONSOLE_KEY must be set"),
        ("PENDAMPING_DATA_KEY", "PENDAMPING_DATA_KEY must be set"),
    ],
)
def test_the_console_still_needs_its_own(tmp_path, missing, named):
    with pytest.raises(ConfigurationError, match=named):
        env = production_env(tmp_path, **CONSOLE_ONLY, **{missing: None})
        load_settings(env, service="console")


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_needs_only_its_own_database(tmp_path, service):
    others = {
        f"{name.upper()}_DATABASE_URL": None for name in (*SERVICES, "console") if name != service
    }
    settings = load_settings(production_env(tmp_path, **others), service=service)
    assert list(settings.database_urls) == [service]
    with pytest.raises(ConfigurationError, match=f"{service.upper()}_DATABASE_URL must be set"):
        load_settings(
            production_env(tmp_path, **{f"{service.upper()}_DATABASE_URL": None}), service=service
        )
    with pytest.raises(ConfigurationError, match="PENDAMPING_SECRET_KEY must be set"):
        load_settings(production_env(tmp_path, PENDAMPING_SECRET_KEY=None), service=service)


def test_the_scheduler_needs_only_the_broker(tmp_path):
    env = {"PENDAMPING_ENV": "production", "PENDAMPING_VAR_DIR": str(tmp_path)}
    with pytest.raises(ConfigurationError, match="REDIS_URL must be set"):
        load_settings(env, service="scheduler")
    settings = load_settings({**env, "REDIS_URL": "redis://redis:6379/0"}, service="scheduler")
    assert settings.database_urls == {} and settings.secret_key == ""
