"""Phone numbers as families write them (``0812…``, ``+62 812…``) to E.164."""

from __future__ import annotations

import phonenumbers

DEFAULT_REGION = "ID"


class InvalidPhone(ValueError):
    pass


def normalise_phone(raw: str, region: str = DEFAULT_REGION) -> str:
    """``raw`` in E.164 (``+62812…``); :class:`InvalidPhone` when it is no real number."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone("Not a phone number.") from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone("Not a valid phone number.")
    if number.extension:  # E.164 has no room for one: it would be dropped silently
        raise InvalidPhone("Give the number without an extension.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
