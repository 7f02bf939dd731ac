"""Flattening marshmallow's nested error dicts into dotted field paths."""

from __future__ import annotations

import marshmallow as ma
import pytest
from flask import Flask

from shared.codes import field_error
from shared.problems import Conflict, Forbidden, ValidationFailed, flatten_errors, render


@pytest.mark.parametrize(
    ("errors", "expected"),
    [
        pytest.param(
            {"family_contacts": {0: {"phone": ["Not valid."]}}},
            {"family_contacts.0.phone": ["Not valid."]},
            id="nested-list-index",
        ),
        pytest.param(
            {"family_contacts": {0: {"phone": ["Not valid."]}, 2: {"name": ["Missing."]}}},
            {"family_contacts.0.phone": ["Not valid."], "family_contacts.2.name": ["Missing."]},
            id="two-indexes",
        ),
        pytest.param(
            {"first_name": ["Missing data for required field."]},
            {"first_name": ["Missing data for required field."]},
            id="flat",
        ),
        pytest.param(
            {"consent": {"contact_family": ["Not a valid boolean."]}, "code": ["Too long."]},
            {"consent.contact_family": ["Not a valid boolean."], "code": ["Too long."]},
            id="mixed-depths",
        ),
        pytest.param(
            {"a": {"b": {"c": {"d": ["Deep."]}}}},
            {"a.b.c.d": ["Deep."]},
            id="deep",
        ),
        pytest.param(
            {"_schema": ["Start must precede end."]},
            {"_body": ["Start must precede end."]},
            id="schema-at-top",
        ),
        pytest.param(
            {"quiet_hours": {"_schema": ["Start equals end."]}},
            {"quiet_hours": ["Start equals end."]},
            id="schema-nested",
        ),
        pytest.param(
            {"quiet_hours": {"_schema": ["Bad window."], "start": ["Not HH:MM."]}},
            {"quiet_hours": ["Bad window."], "quiet_hours.start": ["Not HH:MM."]},
            id="schema-nested-with-field",
        ),
        pytest.param(
            ["Invalid input type."],
            {"_body": ["Invalid input type."]},
            id="list-of-strings-at-top",
        ),
        pytest.param(
            ("One.", "Two."),
            {"_body": ["One.", "Two."]},
            id="tuple-at-top",
        ),
        pytest.param("Oops.", {"_body": ["Oops."]}, id="string-at-top"),
        pytest.param({"age": "Not a number."}, {"age": ["Not a number."]}, id="bare-string-value"),
        pytest.param({"tags": [{"name": ["Bad."]}]}, {"tags.name": ["Bad."]}, id="list-of-dicts"),
        pytest.param({}, {}, id="empty-dict"),
        pytest.param([], {}, id="empty-list"),
    ],
)
def test_flatten_errors(errors, expected):
    assert flatten_errors(errors) == expected


@pytest.mark.parametrize(
    ("errors", "prefix", "expected"),
    [
        ({"phone": ["Bad."]}, "contact", {"contact.phone": ["Bad."]}),
        (["Bad."], "contact", {"contact": ["Bad."]}),
    ],
)
def test_flatten_errors_with_prefix(errors, prefix, expected):
    assert flatten_errors(errors, prefix) == expected


def test_flatten_real_marshmallow_errors():
    import marshmallow as ma
    from marshmallow import fields

    class Contact(ma.Schema):
        phone = fields.String(required=True)

    class Client(ma.Schema):
        first_name = fields.String(required=True)
        family_contacts = fields.List(fields.Nested(Contact), required=True)

    with pytest.raises(ma.ValidationError) as info:
        Client().load({"family_contacts": [{"phone": "ok"}, {}]})
    assert flatten_errors(info.value.messages) == {
        "first_name": ["Missing data for required field."],
        "family_contacts.1.phone": ["Missing data for required field."],
    }


def test_a_validation_problem_lists_each_messages_code_beside_it():
    class Registration(ma.Schema):
        name = ma.fields.String(required=True, validate=ma.validate.Length(max=3))
        age = ma.fields.Integer()

        @ma.validates("age")
        def _adult(self, value, **_kwargs):
            raise ma.ValidationError(field_error("nul_character"))

    with pytest.raises(ma.ValidationError) as refused:
        Registration().load({"name": "Siti Aminah", "age": 3, "extra": 1})
    with Flask(__name__).app_context():
        response = render(ValidationFailed(errors=flatten_errors(refused.value.messages)))
    body = response.get_json(force=True)
    assert body["code"] == "validation_failed"
    assert body["error_codes"] == {
        "name": ["too_long"],
        "age": ["nul_character"],
        "extra": ["unknown_field"],
    }
    assert body["errors"]["name"] == ["Longer than maximum length 3."]


def test_a_problem_fills_its_codes_text_and_carries_its_values():
    problem = Forbidden(code="role_forbidden", role="viewer")
    assert problem.detail == "The role 'viewer' may not do this."
    with Flask(__name__).app_context():
        body = render(problem).get_json(force=True)
    assert (body["status"], body["code"], body["role"]) == (403, "role_forbidden", "viewer")
    with pytest.raises(ValueError, match="unknown problem code"):
        Conflict(code="no_such_code")
