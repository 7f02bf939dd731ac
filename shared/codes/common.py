"""Codes any service may answer with: HTTP-level refusals and the field errors marshmallow
(and the web shell's own input checks) give, their English text as marshmallow words it."""

from __future__ import annotations

PROBLEMS: dict[str, str] = {
    "bad_request": "Bad request.",
    "malformed_json": "The body is not valid JSON.",
    "unauthorized": "A valid bearer token is required.",
    "forbidden": "Your role may not do this.",
    "not_found": "No such resource.",
    "method_not_allowed": "This method is not allowed here.",
    "conflict": "The request clashes with the resource's current state.",
    "gone": "This record's content was removed for good.",
    "payload_too_large": "The request body is too large.",
    "unsupported_media_type": "Send the body as application/json.",
    "validation_failed": "Some fields are not valid.",
    "too_many_requests": "Too many requests; try again later.",
    "internal_error": "Something went wrong on our side.",
    "unavailable": "The service is unavailable; try again.",
    "database_unavailable": "The database is busy or unreachable; try again.",
    # authentication and roles (shared.auth, shared.web, shared.metrics)
    "bearer_required": "A bearer token is required.",
    "token_invalid": "The token is not valid.",
    "token_expired": "The token has expired.",
    "console_token_not_staff": "A console token speaks only for a foundation's staff.",
    "token_incomplete": "The token names no known role or subject.",
    "token_without_foundation": "The token names no foundation.",
    "role_forbidden": "The role {role!r} may not do this.",
    "foundation_token_required": "This needs a foundation token.",
    "metrics_forbidden": "Only operators and the scrape token may read metrics.",
    "too_many_auth_failures": (
        "Too many failed authentications from this address; try again in {retry_after} s."
    ),
    "json_body_required": "Send the body as JSON (Content-Type: application/json).",
}

FIELDS: dict[str, str] = {
    # marshmallow's own messages (their wording as marshmallow 4 gives it)
    "required": "Missing data for required field.",
    "null": "Field may not be null.",
    "unknown_field": "Unknown field.",
    "invalid_input_type": "Invalid input type.",
    "invalid": "Invalid value.",
    "invalid_string": "Not a valid string.",
    "invalid_utf8": "Not a valid utf-8 string.",
    "invalid_integer": "Not a valid integer.",
    "invalid_number": "Not a valid number.",
    "number_too_large": "Number too large.",
    "special_number": "Special numeric values (nan or infinity) are not permitted.",
    "invalid_boolean": "Not a valid boolean.",
    "invalid_date": "Not a valid date.",
    "invalid_datetime": "Not a valid {obj_type}.",
    "naive_datetime": "Not a valid {awareness} {obj_type}.",
    "invalid_list": "Not a valid list.",
    "invalid_tuple": "Not a valid tuple.",
    "invalid_mapping": "Not a valid mapping type.",
    "invalid_object": "Invalid type.",
    "invalid_email": "Not a valid email address.",
    "invalid_url": "Not a valid URL.",
    "invalid_uuid": "Not a valid UUID.",
    "not_one_of": "Must be one of: {choices}.",
    "pattern_mismatch": "String does not match expected pattern.",
    "too_short": "Shorter than minimum length {min}.",
    "too_long": "Longer than maximum length {max}.",
    "length_between": "Length must be between {min} and {max}.",
    "length_exact": "Length must be {equal}.",
    "below_minimum": "Must be greater than or equal to {min}.",
    "not_above": "Must be greater than {min}.",
    "above_maximum": "Must be less than or equal to {max}.",
    "not_below": "Must be less than {max}.",
    "out_of_range": "Must be greater than or equal to {min} and less than or equal to {max}.",
    # shared.fields: the fields every service's schemas use
    "blank": "May not be blank.",
    "not_true_or_false": "Must be true or false.",
    "date_out_of_range": "Must be between 1900-01-01 and 2199-12-31.",
    "unknown_time_zone": "Not a known IANA time zone (e.g. Asia/Jakarta).",
    "time_of_day_format": "Use HH:MM, 00:00 to 23:59.",
    # any service: input no database or cipher stores
    "nul_character": "May not contain NUL characters.",
    "lone_surrogate": "Not valid Unicode text (a lone surrogate).",
    "nested_too_deep": "Nested more than {depth} levels deep.",
}
