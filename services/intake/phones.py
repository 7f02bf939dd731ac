"""Phone numbers as families write them (``0812…``, ``+62 812…``) to E.164."""

from __future__ import annotations

import phonenumbers

from shared.codes import FieldMessage, field_error

DEFAULT_REGION = "ID"


class InvalidPhone(ValueError):
    """Not a number E.164 can hold; ``message`` is the field error, with its stable code."""

    def __init__(self, message: FieldMessage) -> None:
        super().__init__(message)
        self.message = message


def normalise_phone(raw: str, region: str = DEFAULT_REGION) -> str:
    """``raw`` in E.164 (``+62812…``); :class:`InvalidPhone` when it is no real number."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone(field_error("not_a_phone_number")) from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone(field_error("invalid_phone_number"))
    if number.extension:  # E.164 has no room for one: it would be dropped silently
        raise InvalidPhone(field_error("phone_has_extension"))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
