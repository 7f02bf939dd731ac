"""Addresses as notifications compares them: normalised, and looked up by blind index.

A phone number or e-mail address is stored encrypted; to find who wrote from an address
(a reply, a STOP) the service compares keyed hashes of the normalised address instead.
"""

from __future__ import annotations

import phonenumbers

from shared.crypto import cipher

DEFAULT_REGION = "ID"


def normalise_address(address: str) -> str:
    """An e-mail address lower-cased, a phone number in E.164 (local Indonesian numbers
    like ``0812...`` included); anything else trimmed and lower-cased."""
    value = address.strip()
    if "@" in value:
        return value.lower()
    try:
        number = phonenumbers.parse(value, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return value.lower()
    if not phonenumbers.is_possible_number(number):
        return value.lower()
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def address_index(address: str) -> str:
    """The blind index of ``address`` (opt-outs and family contacts are found by it)."""
    return cipher().blind_index("address:" + normalise_address(address))


def optional_index(address: str | None) -> str | None:
    return address_index(address) if address else None
