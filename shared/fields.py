"""Marshmallow fields every service's HTTP schemas use."""

from __future__ import annotations

import zoneinfo
from datetime import date
from functools import lru_cache

import marshmallow as ma

from shared.codes import field_error


class Text(ma.fields.String):
    """A string that is trimmed, may not be blank and has a length cap.

    The cap holds for the text as sent too, as the OpenAPI document says (``maxLength``):
    whitespace around it is trimmed, not a way past the cap."""

    def __init__(self, max_length: int = 200, **kwargs):
        self.max_length = max_length
        super().__init__(validate=ma.validate.Length(min=1, max=max_length), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if len(text) > self.max_length:
            raise ma.ValidationError(field_error("too_long", max=self.max_length))
        text = text.strip()
        if not text:
            raise ma.ValidationError(field_error("blank"))
        if "\x00" in text:
            raise ma.ValidationError(field_error("nul_character"))
        return text


class StrictBoolean(ma.fields.Boolean):
    """Only JSON ``true``/``false``: ``"yes"`` or ``1`` is a mistake worth naming."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise ma.ValidationError(field_error("not_true_or_false"))
        return value


class StrictInteger(ma.fields.Integer):
    """An integer, not a string of digits or a float."""

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise ma.ValidationError(field_error("invalid_integer"))
        return super()._deserialize(value, attr, data, **kwargs)


# Dates and times a request may name. Python's calendar ends at 9999-12-31 and starts at
# 0001-01-01: a date near either end overflows as soon as an offset, a duration or a time
# zone is applied to it, so an API that takes any date can be made to fail with one.
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)


class BoundedDate(ma.fields.Date):
    """A calendar date between :data:`EARLIEST` and :data:`LATEST`."""

    def _deserialize(self, value, attr, data, **kwargs):
        parsed = super()._deserialize(value, attr, data, **kwargs)
        if not EARLIEST <= parsed <= LATEST:
            raise ma.ValidationError(field_error("date_out_of_range"))
        return parsed


class BoundedAwareDateTime(ma.fields.AwareDateTime):
    """An ISO 8601 date and time with an offset, its date between :data:`EARLIEST` and
    :data:`LATEST` (checked before any conversion, which could overflow)."""

    def _deserialize(self, value, attr, data, **kwargs):
        parsed = super()._deserialize(value, attr, data, **kwargs)
        if not EARLIEST <= parsed.date() <= LATEST:
            raise ma.ValidationError(field_error("date_out_of_range"))
        return parsed


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value not in _zones():
        raise ma.ValidationError(field_error("unknown_time_zone"))


def validate_hhmm(value: str) -> None:
    hours, _, minutes = value.partition(":")
    if not (
        len(value) == 5
        and hours.isdigit()
        and minutes.isdigit()
        and 0 <= int(hours) <= 23
        and 0 <= int(minutes) <= 59
    ):
        raise ma.ValidationError(field_error("time_of_day_format"))
