"""Repeated authentication failures from one address are answered 429 for the rest of the
window; a valid token is never refused. Counters live in Redis, shared by every process of
a deployment, and in the process itself when Redis is down."""

from __future__ import annotations

import dataclasses
import time
import uuid

import pytest
import redis

from services.intake.app import create_app as create_intake
from shared.rate_limit import AuthFailureLimiter
from shared.settings import ConfigurationError
from tests.support.factories import create_foundation

ATTACKER = "198.51.100.7"
NEIGHBOUR = "198.51.100.8"
BAD = {"Authorization": "Bearer not-a-token"}


def get(app, path="/clients", headers=None, address=ATTACKER):
    return app.test_client().get(path, headers=headers or {}, environ_base={"REMOTE_ADDR": address})


def assert_limited(response, window: int = 60) -> None:
    assert response.status_code == 429, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == 429 and body["type"].endswith("/too-many-requests")
    assert body["title"] and "try again" in body["detail"]
    assert 1 <= int(response.headers["Retry-After"]) <= window


def test_the_21st_failure_within_a_minute_is_429_and_valid_tokens_still_work(suite):
    create_foundation(suite)
    app = suite.intake
    assert app.config["AUTH_FAILURE_LIMIT"] == 20
    assert app.config["AUTH_FAILURE_WINDOW"] == 60
    valid = suite.headers("viewer")
    for attempt in range(20):
        headers = BAD if attempt % 2 else {}  # a bad token and no token count alike
        assert get(app, headers=headers).status_code == 401, attempt
    assert_limited(get(app, headers=BAD))
    assert_limited(get(app))  # no token at all
    assert_limited(get(app, headers={"Authorization": "Bearer " + "x.y.z"}))
    # the same address with a valid token is served, every time
    for _ in range(3):
        assert get(app, headers=valid).status_code == 200
    # another address is not affected
    assert get(app, headers=BAD, address=NEIGHBOUR).status_code == 401
    # other services count on their own
    assert get(suite.assessment, "/assessments", headers=BAD).status_code == 401


def test_counters_are_shared_through_redis_by_every_process_of_a_deployment(suite):
    first = suite.intake
    second = create_intake(suite.settings)  # another gunicorn worker of the same deployment
    for _ in range(10):
        assert get(first, headers=BAD).status_code == 401
        assert get(second, headers=BAD).status_code == 401
    assert_limited(get(first, headers=BAD))
    assert_limited(get(second, headers=BAD))
    limiter: AuthFailureLimiter = first.extensions["auth_failures"]
    client = redis.Redis.from_url(suite.settings.redis_url)
    key = limiter.key(ATTACKER)
    assert int(client.get(key)) >= 21
    assert 0 < client.ttl(key) <= 60


def test_the_window_ends(suite):
    app = create_intake(suite.settings, config={"AUTH_FAILURE_LIMIT": 3, "AUTH_FAILURE_WINDOW": 1})
    app.extensions["auth_failures"].reset()
    for _ in range(3):
        assert get(app, headers=BAD).status_code == 401
    assert_limited(get(app, headers=BAD), window=1)
    time.sleep(2.1)
    assert get(app, headers=BAD).status_code == 401


def test_an_api_whose_redis_is_down_still_answers_and_still_limits(settings):
    no_redis = dataclasses.replace(settings, redis_url="redis://127.0.0.1:9/0")
    app = create_intake(no_redis, config={"AUTH_FAILURE_LIMIT": 5})
    from tests.support.suite import Suite

    token = Suite(no_redis, app, app, app).token("viewer")
    started = time.monotonic()
    for _ in range(5):
        assert get(app, headers=BAD).status_code == 401
    assert_limited(get(app, headers=BAD))
    assert get(app, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert get(app, headers=BAD, address=NEIGHBOUR).status_code == 401
    assert time.monotonic() - started < 5, "a Redis that is down must not slow requests"


def test_the_limit_is_configured_by_the_environment(settings, monkeypatch):
    monkeypatch.setenv("PENDAMPING_AUTH_FAILURE_LIMIT", "2")
    app = create_intake(settings)
    assert app.config["AUTH_FAILURE_LIMIT"] == 2
    app.extensions["auth_failures"].reset()
    assert get(app, headers=BAD).status_code == 401
    assert get(app, headers=BAD).status_code == 401
    assert_limited(get(app, headers=BAD))
    monkeypatch.setenv("PENDAMPING_AUTH_FAILURE_LIMIT", "0")  # 0 turns it off
    unlimited = create_intake(settings)
    for _ in range(30):
        assert get(unlimited, headers=BAD).status_code == 401


PROXY = "10.0.0.2"  # the reverse proxy every request reaches the API through


def through_proxy(app, forwarded_for: str, headers=None):
    """A request that reached the API through the reverse proxy, which added the address it
    saw to X-Forwarded-For (after whatever the client sent)."""
    return get(
        app, headers={**BAD, **(headers or {}), "X-Forwarded-For": forwarded_for}, address=PROXY
    )


def test_behind_a_trusted_proxy_each_client_has_its_own_failure_budget(settings):
    app = create_intake(
        dataclasses.replace(settings, trusted_proxies=1), config={"AUTH_FAILURE_LIMIT": 3}
    )
    app.extensions["auth_failures"].reset()
    for _ in range(3):
        assert through_proxy(app, ATTACKER).status_code == 401
    assert_limited(through_proxy(app, ATTACKER))
    # another client behind the same proxy is not limited with the attacker
    assert through_proxy(app, NEIGHBOUR).status_code == 401
    # nor can the attacker escape by claiming another address: the proxy appends the real one
    assert_limited(through_proxy(app, f"203.0.113.9, {ATTACKER}"))
    client = redis.Redis.from_url(settings.redis_url)
    limiter: AuthFailureLimiter = app.extensions["auth_failures"]
    assert int(client.get(limiter.key(ATTACKER))) >= 5
    assert client.get(limiter.key(PROXY)) is None


def test_without_trusted_proxies_x_forwarded_for_is_ignored(settings):
    assert settings.trusted_proxies == 0  # the default
    app = create_intake(settings, config={"AUTH_FAILURE_LIMIT": 3})
    app.extensions["auth_failures"].reset()
    for spoofed in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
        assert through_proxy(app, spoofed).status_code == 401
    # a fresh X-Forwarded-For for every try does not buy a fresh budget
    assert_limited(through_proxy(app, "203.0.113.4"))
    assert_limited(through_proxy(app, NEIGHBOUR))
    client = redis.Redis.from_url(settings.redis_url)
    limiter: AuthFailureLimiter = app.extensions["auth_failures"]
    assert int(client.get(limiter.key(PROXY))) >= 5
    assert client.get(limiter.key("203.0.113.1")) is None


def test_the_trusted_proxies_setting_is_read_from_the_environment(tmp_path, monkeypatch):
    from shared.settings import load_settings

    monkeypatch.setenv("PENDAMPING_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PENDAMPING_TRUSTED_PROXIES", "2")
    assert load_settings().trusted_proxies == 2
    monkeypatch.setenv("PENDAMPING_TRUSTED_PROXIES", "two")
    with pytest.raises(ConfigurationError, match="PENDAMPING_TRUSTED_PROXIES"):
        load_settings()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PENDAMPING_AUTH_FAILURE_LIMIT", "many"),
        ("PENDAMPING_AUTH_FAILURE_LIMIT", "-1"),
        ("PENDAMPING_AUTH_FAILURE_LIMIT", "2.5"),
        ("PENDAMPING_AUTH_FAILURE_WINDOW", "0"),
    ],
)
def test_a_bad_setting_stops_the_service_from_starting(settings, monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError, match=name):
        create_intake(settings)


def test_in_process_counters_keep_a_fixed_window():
    now = [1000.0]
    limiter = AuthFailureLimiter(
        "redis://127.0.0.1:9/0", namespace="unit", window_seconds=60, clock=lambda: now[0]
    )
    assert [limiter.record_failure("a", 3) for _ in range(3)] == [None, None, None]
    assert limiter.record_failure("a", 3) == 60
    now[0] += 45
    assert limiter.record_failure("a", 3) == 15  # the rest of the window, not a new one
    assert limiter.record_failure("b", 3) is None
    now[0] += 16
    assert limiter.record_failure("a", 3) is None
    assert limiter.record_failure("a", 0) is None  # limit 0: off


def test_a_peek_at_a_redis_counter_counts_nothing(redis_url):
    limiter = AuthFailureLimiter(redis_url, namespace=f"peek-{uuid.uuid4().hex}", window_seconds=60)
    assert limiter.wait_seconds("a", 2) is None
    limiter.record_failure("a", 2)
    assert limiter.wait_seconds("a", 2) is None  # one failure of two
    limiter.record_failure("a", 2)
    for _ in range(3):  # looking does not add failures
        assert 1 <= limiter.wait_seconds("a", 2) <= 60
    assert limiter.record_failure("a", 3) is None  # still two counted before this third
    limiter.reset()
    assert limiter.wait_seconds("a", 2) is None
