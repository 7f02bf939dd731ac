"""The production ``docker-compose.yml`` is valid and keeps its promises.

Runs ``docker-compose config`` (Compose 1.29) or, failing that, the ``docker compose``
plugin; neither needs a Docker daemon or the network. Skipped when neither is installed.
A local ``.env`` is never read: every call gets an empty env file of its own.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = "docker-compose.yml"
DUMMY_SECRETS = {
    "PENDAMPING_SECRET_KEY": "compose-test-secret-" + "x" * 32,
    "PENDAMPING_DATA_KEY": "Y29tcG9zZS10ZXN0LWRhdGEta2V5LTMyLWJ5dGVzISE=",
    "FLOWER_BASIC_AUTH": "operator:compose-test-password",
    "PENDAMPING_CONSOLE_KEY": "compose-test-console-key-" + "y" * 32,
    "CONSOLE_DB_PASSWORD": "compose-test-console-db",
    "POSTGRES_PASSWORD": "compose-test-postgres",
}
APIS = ("intake-api", "assessment-api", "notifications-api")
SERVICES = {
    "redis",
    "postgres",
    "migrate",
    "intake-api",
    "assessment-api",
    "notifications-api",
    "intake-worker",
    "assessment-worker",
    "notifications-worker",
    "scheduler",
    "flower",
    "console",
}
WORKERS = {"intake-worker", "assessment-worker", "notifications-worker"}


@cache
def _compose_command() -> tuple[str, ...] | None:
    """``docker-compose`` if installed, else a working ``docker compose`` plugin, else None."""
    if shutil.which("docker-compose"):
        return ("docker-compose",)
    if shutil.which("docker"):
        try:
            probe = subprocess.run(
                ["docker", "compose", "version"], capture_output=True, text=True, timeout=30
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        if probe.returncode == 0:
            return ("docker", "compose")
    return None


pytestmark = pytest.mark.skipif(
    _compose_command() is None, reason="neither docker-compose nor `docker compose` is installed"
)


def _compose(
    tmp_path: Path, *args: str, unset: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    env_file = tmp_path / "empty.env"
    env_file.write_text("")
    env = {**os.environ, **DUMMY_SECRETS}
    for name in unset:
        env.pop(name, None)
    command = [*_compose_command(), "--env-file", str(env_file), "-f", COMPOSE_FILE, *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def _parse_config_text(text: str) -> dict[str, dict]:
    """The ``services`` of ``docker-compose config`` output, without a YAML library.

    Gives each service's top-level keys; ``command`` as a list of strings. Relies on the
    block style Compose prints: two-space service names, four-space keys, list items
    starting ``- `` at the key's indentation.
    """
    services: dict[str, dict] = {}
    in_services = False
    current: dict | None = None
    key: str | None = None
    for line in text.splitlines():
        if not line.strip():
            continue
        if not line.startswith(" "):
            in_services = line.rstrip() == "services:"
            current = None
            continue
        if not in_services:
            continue
        if line.startswith("  ") and not line.startswith("   "):
            current = services.setdefault(line.strip().rstrip(":"), {})
            key = None
            continue
        if current is None:
            continue
        body = line[4:]
        if line.startswith("    ") and not body.startswith((" ", "- ")):
            key, _, value = body.partition(":")
            value = value.strip()
            current[key] = _unquote(value) if value else []
        elif key is not None and line.startswith("    - ") and isinstance(current[key], list):
            current[key].append(_unquote(body[2:].strip()))
        elif key is not None and isinstance(current[key], list) and current[key]:
            if line.startswith("      ") and not line.strip().startswith(("-", "#")):
                # A long scalar folded onto the next line.
                current[key][-1] = f"{current[key][-1]} {_unquote(line.strip())}"
    return services


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _services(tmp_path: Path) -> dict[str, dict]:
    if _compose_command() == ("docker", "compose"):
        result = _compose(tmp_path, "config", "--format", "json")
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)["services"]
    result = _compose(tmp_path, "config")
    assert result.returncode == 0, result.stderr
    try:
        import yaml
    except ImportError:
        return _parse_config_text(result.stdout)
    return yaml.safe_load(result.stdout)["services"]


def _environment(service: dict) -> dict[str, str]:
    environment = service.get("environment") or {}
    if isinstance(environment, list):  # docker-compose 1.x may print KEY=value items
        environment = dict(item.split("=", 1) for item in environment)
    return {name: "" if value is None else str(value) for name, value in environment.items()}


def _networks(service: dict) -> set[str]:
    return set(service.get("networks") or ["default"])


def _command_text(command: str | list[str]) -> str:
    return command if isinstance(command, str) else " ".join(str(part) for part in command)


def test_compose_file_is_valid(tmp_path):
    result = _compose(tmp_path, "config", "-q")
    assert result.returncode == 0, result.stderr


def test_compose_file_declares_the_production_shape(tmp_path):
    services = _services(tmp_path)
    assert SERVICES <= set(services), f"missing: {sorted(SERVICES - set(services))}"
    for worker in WORKERS:
        assert "container_name" not in services[worker], f"{worker} could not be scaled"
        assert "ports" not in services[worker], f"{worker} could not be scaled"
    assert "--appendonly yes" in _command_text(services["redis"]["command"])


def test_compose_refuses_to_start_without_the_secret_key(tmp_path):
    result = _compose(tmp_path, "config", "-q", unset=("PENDAMPING_SECRET_KEY",))
    assert result.returncode != 0
    assert "PENDAMPING_SECRET_KEY" in result.stderr


def test_compose_refuses_to_start_without_the_database_password(tmp_path):
    """No well-known default for the superuser that owns every database."""
    result = _compose(tmp_path, "config", "-q", unset=("POSTGRES_PASSWORD",))
    assert result.returncode != 0
    assert "POSTGRES_PASSWORD" in result.stderr


def test_flower_watches_the_broker_behind_a_login(tmp_path):
    flower = _services(tmp_path)["flower"]
    command = _command_text(flower["command"])
    assert "flower" in command and "redis://redis:6379/0" in command
    environment = flower.get("environment") or {}
    assert environment.get("FLOWER_BASIC_AUTH") == DUMMY_SECRETS["FLOWER_BASIC_AUTH"]
    assert "PENDAMPING_DATA_KEY" not in environment, "flower needs the broker, not the secrets"
    ports = [str(p.get("host_ip", "")) if isinstance(p, dict) else str(p) for p in flower["ports"]]
    assert ports and all(p.startswith("127.0.0.1") for p in ports), ports


def test_compose_refuses_to_start_flower_without_a_login(tmp_path):
    result = _compose(tmp_path, "config", "-q", unset=("FLOWER_BASIC_AUTH",))
    assert result.returncode != 0
    assert "FLOWER_BASIC_AUTH" in result.stderr


def test_the_apis_log_json_and_count_every_worker(tmp_path):
    services = _services(tmp_path)
    for api in APIS:
        assert "python:ops.gunicorn_conf" in _command_text(services[api]["command"]), api
        environment = services[api].get("environment") or {}
        assert environment.get("PENDAMPING_LOG_FORMAT") == "json", api
        assert "PENDAMPING_METRICS_TOKEN" in environment, api


def test_compose_refuses_to_start_without_the_console_key(tmp_path):
    result = _compose(tmp_path, "config", "-q", unset=("PENDAMPING_CONSOLE_KEY",))
    assert result.returncode != 0
    assert "PENDAMPING_CONSOLE_KEY" in result.stderr


def test_the_console_calls_the_apis_by_their_compose_names(tmp_path):
    console = _services(tmp_path)["console"]
    assert "services.console.app:create_app()" in _command_text(console["command"])
    environment = _environment(console)
    assert environment["CONSOLE_INTAKE_URL"] == "http://intake-api:5001"
    assert environment["PENDAMPING_ENV"] == "production"


def test_the_console_holds_only_its_own_secrets(tmp_path):
    """A compromised console can mint no operator token, open no API database and reach
    no broker: compose gives it only what the console profile of the settings asks for."""
    from shared.settings import load_settings

    services = _services(tmp_path)
    console = _environment(services["console"])
    for withheld in (
        "PENDAMPING_SECRET_KEY",
        "REDIS_URL",
        "INTAKE_DATABASE_URL",
        "ASSESSMENT_DATABASE_URL",
        "NOTIFICATIONS_DATABASE_URL",
    ):
        assert withheld not in console, withheld
    assert console["CONSOLE_DATABASE_URL"].startswith("postgresql+psycopg://console:")
    settings = load_settings({**console, "PENDAMPING_VAR_DIR": str(tmp_path)}, service="console")
    assert settings.secret_key == "" and list(settings.database_urls) == ["console"]

    for name in APIS:  # the APIs check the console's tokens with the same key
        assert (
            _environment(services[name])["PENDAMPING_CONSOLE_KEY"]
            == (console["PENDAMPING_CONSOLE_KEY"])
        )
        assert "console" in _networks(services[name])

    assert _networks(services["console"]) == {"console"}
    reach = {name for name, service in services.items() if "console" in _networks(service)}
    assert reach == {"console", "postgres", *APIS}, reach


def test_compose_refuses_to_start_without_the_consoles_database_password(tmp_path):
    result = _compose(tmp_path, "config", "-q", unset=("CONSOLE_DB_PASSWORD",))
    assert result.returncode != 0 and "CONSOLE_DB_PASSWORD" in result.stderr
