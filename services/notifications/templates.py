"""Message templates: defaults per key and locale, rendered in a Jinja2 sandbox.

Family messages are discreet by default: family phones are often shared and drug use
carries stigma, so no default family template names a diagnosis, substance or
rehabilitation. Admins may edit templates through the API, which is why rendering is
sandboxed: a template sees only the plain values it is given.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from babel.dates import format_date, format_datetime
from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

DEFAULTS: dict[str, dict[str, str]] = {
    "family.welcome": {
        "id": (
            "Halo {{ recipient_name }}, salam hangat dari {{ sender_name }}. "
            "{{ client_first_name }} mulai mengikuti program pendampingan bersama kami "
            "sejak {{ admitted_on }}. Kami akan mengabari Anda tentang pertemuan keluarga. "
            "Balas BERHENTI bila tidak ingin menerima pesan."
        ),
        "en": (
            "Hello {{ recipient_name }}, warm greetings from {{ sender_name }}. "
            "{{ client_first_name }} joined our support programme on {{ admitted_on }}. "
            "We will let you know about family meetings. Reply STOP to receive no more messages."
        ),
    },
}

_env = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False)


def localise(value: Any, locale: str, timezone: str) -> Any:
    """Dates and times as a reader of ``locale`` writes them, in the foundation's zone."""
    babel_locale = "id_ID" if locale == "id" else "en_GB"
    if isinstance(value, datetime):
        return format_datetime(value, "d MMMM y, HH:mm", tzinfo=timezone, locale=babel_locale)
    if isinstance(value, date):
        return format_date(value, "long", locale=babel_locale)
    return value


def render(source: str, context: dict[str, Any], locale: str, timezone: str) -> str:
    values = {k: localise(v, locale, timezone) for k, v in context.items()}
    return _env.from_string(source).render(values).strip()


def default_template(key: str, locale: str) -> str:
    return DEFAULTS[key][locale if locale in DEFAULTS[key] else "id"]


def encode_context(context: dict[str, Any]) -> str:
    """JSON for a message's template values, keeping dates and times typed."""

    def tag(value: Any) -> Any:
        if isinstance(value, datetime):
            return {"$datetime": value.isoformat()}
        if isinstance(value, date):
            return {"$date": value.isoformat()}
        return value

    return json.dumps({k: tag(v) for k, v in context.items()})


def decode_context(raw: str) -> dict[str, Any]:
    def untag(value: Any) -> Any:
        if isinstance(value, dict) and "$datetime" in value:
            return datetime.fromisoformat(value["$datetime"])
        if isinstance(value, dict) and "$date" in value:
            return date.fromisoformat(value["$date"])
        return value

    return {k: untag(v) for k, v in json.loads(raw or "{}").items()}
