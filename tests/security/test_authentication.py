"""Tokens on every service: forged, confused, expired or incomplete tokens are 401; a valid
token of the wrong role is 403; both as problem+json. Production refuses to start without
real secrets, in the app and in the CLI."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from shared.settings import ConfigurationError
from tests.conftest import ROOT
from tests.security.test_tenant_isolation import SKIPPED
from tests.security.world import PEOPLE, populate

PROBLEM = "application/problem+json"
FOUNDATION = "medan-plus"
# a tenant route of each service, read with any valid foundation token
READS = {"intake": "/clients", "assessment": "/assessments", "notifications": "/messages"}


def b64(data: dict | bytes) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def claims(**overrides) -> dict:
    value = {"sub": "staff-9", "role": "admin", "foundation": FOUNDATION}
    value["exp"] = int(time.time()) + 600
    value.update(overrides)
    return {k: v for k, v in value.items() if v is not None}


def unsigned(alg: str, payload: dict) -> str:
    return f"{b64({'alg': alg, 'typ': 'JWT'})}.{b64(payload)}."


def bad_tokens(secret: str) -> dict[str, str]:
    """Every way a bearer token can fall short of valid, by name."""
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    good = jwt.encode(claims(), secret, algorithm="HS256")
    header, payload, signature = good.split(".")
    return {
        "alg-none": unsigned("none", claims()),
        "alg-None": unsigned("None", claims()),
        "alg-NONE": unsigned("NONE", claims()),
        "alg-none-keeping-signature": f"{b64({'alg': 'none', 'typ': 'JWT'})}.{payload}.{signature}",
        "signature-stripped": f"{header}.{payload}.",
        "payload-swapped": f"{header}.{b64(claims(role='admin', foundation='other'))}.{signature}",
        "other-key": jwt.encode(claims(), "another-secret-" + "x" * 40, algorithm="HS256"),
        "hs512-same-secret": jwt.encode(claims(), secret, algorithm="HS512"),
        "hs384-same-secret": jwt.encode(claims(), secret, algorithm="HS384"),
        "rs256-own-key": jwt.encode(claims(), rsa_key, algorithm="RS256"),
        "rs256-header-hmac-signed": (lambda h, p: f"{h}.{p}.{b64(_hmac(secret, f'{h}.{p}'))}")(
            b64({"alg": "RS256", "typ": "JWT"}), b64(claims())
        ),
        "expired": jwt.encode(claims(exp=int(time.time()) - 30), secret, algorithm="HS256"),
        "exp-missing": jwt.encode(claims(exp=None), secret, algorithm="HS256"),
        "exp-not-a-number": jwt.encode(claims(exp="tomorrow"), secret, algorithm="HS256"),
        "not-before-future": jwt.encode(
            claims(nbf=int(time.time()) + 3600), secret, algorithm="HS256"
        ),
        "sub-missing": jwt.encode(claims(sub=None), secret, algorithm="HS256"),
        "sub-empty": jwt.encode(claims(sub=""), secret, algorithm="HS256"),
        "sub-not-a-string": jwt.encode(claims(sub=42), secret, algorithm="HS256"),
        "role-missing": jwt.encode(claims(role=None), secret, algorithm="HS256"),
        "role-unknown": jwt.encode(claims(role="superuser"), secret, algorithm="HS256"),
        "role-wrong-case": jwt.encode(claims(role="ADMIN"), secret, algorithm="HS256"),
        "foundation-role-without-foundation": jwt.encode(
            claims(foundation=None), secret, algorithm="HS256"
        ),
        "foundation-empty": jwt.encode(claims(foundation=""), secret, algorithm="HS256"),
        "foundation-a-list": jwt.encode(claims(foundation=[FOUNDATION]), secret, algorithm="HS256"),
        "garbage": "not-a-jwt",
        "two-parts": f"{header}.{payload}",
    }


def _hmac(secret: str, message: str) -> bytes:
    import hashlib
    import hmac

    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).digest()


@pytest.fixture
def unlimited(suite):
    """These tests fail authentication on purpose, more often than the limiter allows."""
    for app in suite.apps().values():
        app.config["AUTH_FAILURE_LIMIT"] = 0
    return suite


def assert_problem(response, status: int) -> None:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.get_json()
    assert body["status"] == status and body["type"] and body["title"] and body["detail"]


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
@pytest.mark.parametrize("service", READS)
def test_every_bad_token_is_401_on_every_service(unlimited, service):
    suite = unlimited
    http = suite.client(service)
    for name, token in bad_tokens(suite.settings.secret_key).items():
        response = http.get(READS[service], headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, (name, response.get_data(as_text=True))
        assert_problem(response, 401)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    for header in ("", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc"):
        assert_problem(http.get(READS[service], headers={"Authorization": header}), 401)


def test_every_route_of_every_service_needs_a_token(unlimited):
    """Enumerated from the apps, so a new route is covered as soon as it exists."""
    suite = unlimited
    checked = 0
    for service, app in suite.apps().items():
        http = suite.client(service)
        for rule in app.url_map.iter_rules():
            if SKIPPED.match(rule.rule) and not rule.rule.startswith("/foundations"):
                continue
            path = rule.rule.replace("<", "").replace(">", "").replace("path:", "")
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                # a body that is not JSON: authentication is decided before the body is read
                response = http.open(
                    path, method=method, data="x", headers={"Content-Type": "text/plain"}
                )
                assert_problem(response, 401)
                checked += 1
    assert checked > 45


def test_roles_are_403_problem_json(suite):
    world = populate(suite, FOUNDATION, PEOPLE["a"])
    client_id = world.first("client")
    viewer = suite.headers("viewer", FOUNDATION)
    operator = suite.headers("operator")
    social_worker = suite.headers("social_worker", FOUNDATION)
    writes = [
        ("intake", "POST", "/clients", {"full_name": "Ani"}),
        ("intake", "PATCH", f"/clients/{client_id}", {"address": "Jalan 2"}),
        ("assessment", "POST", f"/clients/{client_id}/notes", {"kind": "progress", "text": "x"}),
        ("assessment", "PATCH", f"/goals/{world.first('goal')}", {"status": "achieved"}),
        (
            "notifications",
            "PUT",
            f"/recipients/{world.first('contact')}/preferences",
            {"opted_out": True},
        ),
    ]
    for service, method, path, body in writes:
        response = suite.client(service).open(path, method=method, json=body, headers=viewer)
        assert_problem(response, 403)
    for service, path in READS.items():
        assert_problem(suite.client(service).get(path, headers=operator), 403)
        assert suite.client(service).get(path, headers=viewer).status_code == 200
    admin_only = [
        ("intake", "POST", "/staff", {"name": "X", "role": "counselor"}),
        ("intake", "GET", "/audit", None),
        (
            "assessment",
            "POST",
            "/programs",
            {"name": "P", "kind": "outpatient", "capacity": 1, "duration_days": 1},
        ),
        ("notifications", "PUT", "/templates/family.welcome", {"body": "Halo"}),
        (
            "notifications",
            "PUT",
            "/channels/webhook",
            {"url": "https://h.example", "secret": "s" * 20},
        ),
    ]
    for service, method, path, body in admin_only:
        response = suite.client(service).open(path, method=method, json=body, headers=social_worker)
        assert_problem(response, 403)
    # only operators manage foundations
    assert_problem(
        suite.client("intake").post(
            "/foundations", json={"slug": "x", "name": "X"}, headers=suite.headers("admin")
        ),
        403,
    )


# --- production refuses to start without real secrets -----------------------------------------


PRODUCTION_BASE = {
    "PENDAMPING_ENV": "production",
    "INTAKE_DATABASE_URL": "postgresql+psycopg://db/intake",
    "ASSESSMENT_DATABASE_URL": "postgresql+psycopg://db/assessment",
    "NOTIFICATIONS_DATABASE_URL": "postgresql+psycopg://db/notifications",
    "REDIS_URL": "redis://127.0.0.1:6379/15",
    "PENDAMPING_DATA_KEY": "tGEH5v1yq1n2C0m6T5tqDPjP2Jf0s3ZgH1wVgS3W8fQ=",
}
BAD_SECRETS = {
    "missing": None,
    "empty": "",
    "development": "dev-" + "q" * 43,
    "short": "s" * 16,
}


def production_env(tmp_path, secret: str | None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PENDAMPING_")}
    for name in ("REDIS_URL", *(f"{s.upper()}_DATABASE_URL" for s in READS)):
        env.pop(name, None)
    env.update(PRODUCTION_BASE, PENDAMPING_VAR_DIR=str(tmp_path), **extra)
    if secret is not None:
        env["PENDAMPING_SECRET_KEY"] = secret
    return env


@pytest.mark.parametrize("secret", BAD_SECRETS.values(), ids=BAD_SECRETS.keys())
@pytest.mark.parametrize("service", READS)
def test_production_app_refuses_dev_or_empty_secrets(tmp_path, monkeypatch, service, secret):
    from importlib import import_module

    for name in list(os.environ):
        if name.startswith("PENDAMPING_") or name.endswith("_DATABASE_URL") or name == "REDIS_URL":
            monkeypatch.delenv(name)
    for name, value in production_env(tmp_path, secret).items():
        monkeypatch.setenv(name, value)
    create_app = import_module(f"services.{service}.app").create_app
    with pytest.raises(ConfigurationError, match="PENDAMPING_SECRET_KEY"):
        create_app()
    assert not (tmp_path / "dev-secrets.json").exists()


def test_production_app_refuses_a_missing_data_key(tmp_path, monkeypatch):
    from services.intake.app import create_app

    env = production_env(tmp_path, "p" * 48)
    env.pop("PENDAMPING_DATA_KEY")
    for name in list(os.environ):
        if name.startswith("PENDAMPING_"):
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError, match="PENDAMPING_DATA_KEY"):
        create_app()


@pytest.mark.parametrize("command", [["token", "--role", "operator"], ["run"]])
@pytest.mark.parametrize("secret", ["", "dev-" + "q" * 43], ids=["empty", "development"])
def test_cli_refuses_to_start_in_production_without_real_secrets(tmp_path, command, secret):
    result = subprocess.run(
        [sys.executable, "-m", "ops.cli", *command],
        env=production_env(tmp_path, secret),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "configuration error" in result.stderr
    assert "PENDAMPING_SECRET_KEY must be set" in result.stderr
    assert result.stdout == ""  # no token printed, nothing started
    assert not (tmp_path / "dev-secrets.json").exists()


def test_a_valid_token_still_opens_every_service(suite):
    """The control for the refusals above."""
    populate(suite, FOUNDATION, PEOPLE["a"])
    for service, path in READS.items():
        assert suite.client(service).get(path, headers=suite.headers("viewer")).status_code == 200


# --- tokens the staff console mints (its own key, audience pendamping-console) ---------------


def console_tokens(console_key: str, secret: str) -> dict[str, str]:
    """Console-key tokens every service refuses, by name."""
    aud = "pendamping-console"
    return {
        "console-key-operator": jwt.encode(
            claims(role="operator", foundation=None, aud=aud), console_key, algorithm="HS256"
        ),
        "console-key-operator-with-foundation": jwt.encode(
            claims(role="operator", aud=aud), console_key, algorithm="HS256"
        ),
        "console-key-without-audience": jwt.encode(claims(), console_key, algorithm="HS256"),
        "console-key-other-audience": jwt.encode(
            claims(aud="pendamping-api"), console_key, algorithm="HS256"
        ),
        "console-key-audience-list": jwt.encode(claims(aud=[aud]), console_key, algorithm="HS256"),
        "console-key-expired": jwt.encode(
            claims(aud=aud, exp=int(time.time()) - 30), console_key, algorithm="HS256"
        ),
        "console-key-without-foundation": jwt.encode(
            claims(aud=aud, foundation=None), console_key, algorithm="HS256"
        ),
        "console-key-unknown-role": jwt.encode(
            claims(aud=aud, role="superuser"), console_key, algorithm="HS256"
        ),
        "console-audience-main-key": jwt.encode(claims(aud=aud), secret, algorithm="HS256"),
        "console-audience-other-key": jwt.encode(
            claims(aud=aud), "another-secret-" + "x" * 40, algorithm="HS256"
        ),
        "console-audience-alg-none": unsigned("none", claims(aud=aud)),
    }


@pytest.mark.parametrize("service", READS)
def test_console_key_tokens_are_refused_unless_for_a_foundation_role_and_audience(
    unlimited, service
):
    suite = unlimited
    http = suite.client(service)
    tokens = console_tokens(suite.settings.console_key, suite.settings.secret_key)
    for name, token in tokens.items():
        response = http.get(READS[service], headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, (name, response.get_data(as_text=True))
        assert_problem(response, 401)
    # an operator route too: the console's key never manages foundations
    operator = {"Authorization": f"Bearer {tokens['console-key-operator']}"}
    assert_problem(suite.client("intake").get("/foundations", headers=operator), 401)


def test_console_tokens_open_every_service_with_the_role_they_name(suite):
    from shared.auth import issue_console_token

    populate(suite, FOUNDATION, PEOPLE["a"])
    key = suite.settings.console_key
    for role in ("admin", "social_worker", "counselor", "viewer"):
        token = issue_console_token(key, sub="staff-9", role=role, foundation=FOUNDATION)
        headers = {"Authorization": f"Bearer {token}"}
        for service, path in READS.items():
            assert suite.client(service).get(path, headers=headers).status_code == 200, role
    viewer = issue_console_token(key, sub="staff-9", role="viewer", foundation=FOUNDATION)
    response = suite.client("intake").post(
        "/clients", json={"full_name": "Ani"}, headers={"Authorization": f"Bearer {viewer}"}
    )
    assert_problem(response, 403)
    with pytest.raises(ValueError):
        issue_console_token(key, sub="op", role="operator", foundation=FOUNDATION)


def test_main_key_tokens_are_unchanged_by_the_console_key(suite):
    """Every role, operator included, still works with the main secret and no audience."""
    populate(suite, FOUNDATION, PEOPLE["a"])
    operator = suite.headers("operator")
    assert suite.client("intake").get("/foundations", headers=operator).status_code == 200
    for service, path in READS.items():
        for role in ("admin", "social_worker", "counselor", "viewer"):
            response = suite.client(service).get(path, headers=suite.headers(role))
            assert response.status_code == 200, (service, role)


@pytest.mark.parametrize("console_key", ["", "dev-" + "q" * 43, "short"])
def test_production_refuses_to_start_without_a_real_console_key(tmp_path, console_key):
    from shared.settings import load_settings

    env = production_env(
        tmp_path,
        "p" * 48,
        PENDAMPING_CONSOLE_KEY=console_key,
        CONSOLE_DATABASE_URL="postgresql+psycopg://db/console",
    )
    with pytest.raises(ConfigurationError, match="PENDAMPING_CONSOLE_KEY"):
        load_settings(env)
    assert not (tmp_path / "dev-secrets.json").exists()
