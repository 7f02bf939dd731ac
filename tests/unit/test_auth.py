"""Tokens: issuing, decoding and every way a token can fall short."""

from __future__ import annotations

import time

import jwt
import pytest

from shared.auth import (
    FOUNDATION_ROLES,
    ROLES,
    Caller,
    decode_token,
    foundation_of,
    issue_token,
)
from shared.problems import Forbidden, Unauthorized

SECRET = "unit-test-secret-0123456789abcdef0123456789"
OTHER_SECRET = "another-secret-0123456789abcdef0123456789ab"


def raw_token(claims: dict, *, secret: str = SECRET, with_exp: bool = True) -> str:
    if with_exp:
        claims = {"exp": int(time.time()) + 300, **claims}
    return jwt.encode(claims, secret, algorithm="HS256")


@pytest.mark.parametrize(
    ("sub", "role", "foundation"),
    [
        ("op-1", "operator", None),
        ("u-1", "admin", "yakita"),
        ("u-2", "social_worker", "medan-plus"),
        ("u-3", "counselor", "yakita"),
        ("u-4", "viewer", "yakita"),
    ],
)
def test_round_trip(sub, role, foundation):
    token = issue_token(SECRET, sub=sub, role=role, foundation=foundation)
    caller = decode_token(SECRET, token)
    assert caller == Caller(sub=sub, role=role, foundation=foundation)
    assert caller.read_only is (role == "viewer")


def test_token_carries_the_claims():
    token = issue_token(SECRET, sub="u-1", role="admin", foundation="yakita", ttl_seconds=60)
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert claims["sub"] == "u-1"
    assert claims["role"] == "admin"
    assert claims["foundation"] == "yakita"
    assert claims["exp"] - claims["iat"] == 60
    assert jwt.get_unverified_header(token)["alg"] == "HS256"


def test_operator_token_has_no_foundation_claim():
    token = issue_token(SECRET, sub="op", role="operator")
    assert "foundation" not in jwt.decode(token, SECRET, algorithms=["HS256"])


@pytest.mark.parametrize("ttl", [-10, -1, -3600])
def test_expired_token_is_unauthorized(ttl):
    token = issue_token(SECRET, sub="u-1", role="admin", foundation="yakita", ttl_seconds=ttl)
    with pytest.raises(Unauthorized) as info:
        decode_token(SECRET, token)
    assert "expired" in info.value.detail
    assert info.value.status == 401
    assert "WWW-Authenticate" in info.value.headers


@pytest.mark.parametrize(
    ("role", "foundation"), [("operator", None), ("admin", "yakita"), ("viewer", "yakita")]
)
def test_wrong_secret_is_unauthorized(role, foundation):
    token = issue_token(OTHER_SECRET, sub="u-1", role=role, foundation=foundation)
    with pytest.raises(Unauthorized):
        decode_token(SECRET, token)


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": "op", "role": "operator"},
        {"sub": "u-1", "role": "admin", "foundation": "yakita"},
    ],
)
def test_alg_none_is_unauthorized(claims):
    token = jwt.encode({"exp": int(time.time()) + 300, **claims}, key=None, algorithm="none")
    with pytest.raises(Unauthorized):
        decode_token(SECRET, token)


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(raw_token({"role": "admin", "foundation": "yakita"}), id="missing-sub"),
        pytest.param(raw_token({"sub": "u-1", "foundation": "yakita"}), id="missing-role"),
        pytest.param(
            raw_token({"sub": "u-1", "role": "root", "foundation": "yakita"}), id="unknown-role"
        ),
        pytest.param(
            raw_token({"sub": "u-1", "role": "Admin", "foundation": "yakita"}), id="role-case"
        ),
        pytest.param(raw_token({"sub": "", "role": "operator"}), id="empty-sub"),
        pytest.param(raw_token({"sub": "u-1", "role": "admin"}), id="admin-no-foundation"),
        pytest.param(raw_token({"sub": "u-1", "role": "viewer"}), id="viewer-no-foundation"),
        pytest.param(
            raw_token({"sub": "u-1", "role": "counselor", "foundation": ""}), id="empty-foundation"
        ),
        pytest.param(
            raw_token({"sub": "u-1", "role": "social_worker", "foundation": 7}),
            id="foundation-not-string",
        ),
        pytest.param(
            raw_token({"sub": "op", "role": "operator"}, with_exp=False), id="missing-exp"
        ),
        pytest.param("not.a.token", id="garbage"),
        pytest.param("", id="empty"),
    ],
)
def test_malformed_tokens_are_unauthorized(token):
    with pytest.raises(Unauthorized):
        decode_token(SECRET, token)


def test_operator_token_with_foundation_claim_decodes_without_tenant():
    token = raw_token({"sub": "op", "role": "operator", "foundation": "yakita"})
    assert decode_token(SECRET, token) == Caller(sub="op", role="operator", foundation=None)


@pytest.mark.parametrize(
    ("role", "foundation"),
    [
        ("root", None),
        ("root", "yakita"),
        ("", "yakita"),
        ("Admin", "yakita"),
        ("operator", "yakita"),
    ],
)
def test_issue_token_refuses(role, foundation):
    with pytest.raises(ValueError):
        issue_token(SECRET, sub="u-1", role=role, foundation=foundation)


@pytest.mark.parametrize("role", FOUNDATION_ROLES)
def test_issue_token_needs_foundation_for_foundation_roles(role):
    with pytest.raises(ValueError):
        issue_token(SECRET, sub="u-1", role=role)


def test_role_lists_are_consistent():
    assert set(FOUNDATION_ROLES) | {"operator"} == set(ROLES)
    assert "operator" not in FOUNDATION_ROLES


def test_an_operators_token_acts_on_no_foundations_records():
    with pytest.raises(Forbidden) as refused:
        foundation_of(Caller(sub="ops", role="operator", foundation=None))
    assert refused.value.code == "foundation_token_required"
    assert foundation_of(Caller(sub="s", role="admin", foundation="medan-plus")) == "medan-plus"


@pytest.mark.parametrize(
    ("sub", "foundation"),
    [
        ("x" * 65, "yakita"),  # the records keep who acted in 64 characters
        ("u-1", "f" * 41),  # and the foundation's slug in 40
        ("u-1", "Medan Plus"),
        ("u-1", "medan-plus-"),
        ("u-1", "a\u0000b"),
        ("a\u0000b", "yakita"),  # no database keeps a NUL
        ("\ud800", "yakita"),  # nor a broken emoji
    ],
)
def test_a_token_whose_claims_no_record_can_keep_is_invalid(sub, foundation):
    token = raw_token({"sub": sub, "role": "admin", "foundation": foundation})
    with pytest.raises(Unauthorized) as refused:
        decode_token(SECRET, token)
    assert refused.value.code == "token_invalid"


def test_the_longest_claims_the_records_keep_decode():
    token = issue_token(SECRET, sub="x" * 64, role="admin", foundation="f" * 40)
    assert decode_token(SECRET, token) == Caller(sub="x" * 64, role="admin", foundation="f" * 40)
