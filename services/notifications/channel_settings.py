"""A foundation's channel settings: validated when an admin saves them, decrypted when a send
needs them, shown without their credentials.

The whole config is one encrypted JSON column. Credentials (``password``, ``api_key``,
``secret``, ``webhook_secret``) are write-only: a save that leaves one out keeps the stored
value, ``null`` removes an optional one, and no view ever returns them.

Provider endpoints must use https (or STARTTLS for SMTP): messages carry personal data.
Plain http or SMTP is accepted only towards a loopback host, for local testing.
"""

from __future__ import annotations

import ipaddress
import json
from urllib.parse import urlsplit

import marshmallow as ma
from marshmallow import fields as f
from marshmallow import validate as v

from services.notifications.models import ChannelSetting
from services.notifications.templates import TEMPLATE_KEYS
from shared.codes import field_error
from shared.db import utcnow
from shared.fields import StrictBoolean, StrictInteger, Text
from shared.problems import ValidationFailed, flatten_errors
from shared.vocabulary import Channel

CONFIGURABLE = (Channel.EMAIL, Channel.SMS, Channel.WHATSAPP, Channel.WEBHOOK)
# Per channel: credentials a working setting needs, and optional ones.
REQUIRED_CREDENTIALS: dict[str, tuple[str, ...]] = {
    Channel.EMAIL: (),
    Channel.SMS: ("api_key",),
    Channel.WHATSAPP: ("api_key",),
    Channel.WEBHOOK: ("secret",),
}
OPTIONAL_CREDENTIALS: dict[str, tuple[str, ...]] = {
    Channel.EMAIL: ("password",),
    Channel.SMS: ("webhook_secret",),
    Channel.WHATSAPP: ("webhook_secret",),
    Channel.WEBHOOK: (),
}


def credentials_of(channel: str) -> tuple[str, ...]:
    return REQUIRED_CREDENTIALS[channel] + OPTIONAL_CREDENTIALS[channel]


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


_url_shape = v.URL(schemes={"http", "https"}, require_tld=False)


def validate_endpoint(value: str) -> None:
    _url_shape(value)
    parts = urlsplit(value)
    if parts.username or parts.password:
        raise ma.ValidationError(field_error("credentials_in_url"))
    if parts.scheme != "https" and not is_loopback(parts.hostname):
        raise ma.ValidationError(field_error("https_required"))


def validate_hostname(value: str) -> None:
    labels = value.rstrip(".").split(".")
    if not all(
        label and len(label) <= 63 and label.replace("-", "").isalnum() for label in labels
    ) and not is_loopback(value):
        raise ma.ValidationError(field_error("invalid_hostname"))


def _credential(*, required: bool = False, min_length: int = 1) -> f.String:
    return f.String(
        load_only=True,
        allow_none=not required,
        validate=v.Length(min=min_length, max=500),
        metadata={"description": "Write-only; leave out to keep the stored value."},
    )


class _SettingIn(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    enabled = StrictBoolean(
        load_default=True, metadata={"description": "false: the channel falls back to log."}
    )
    timeout_seconds = StrictInteger(
        validate=v.Range(min=1, max=60),
        metadata={"description": "How long a send may wait for the provider (default 10 s)."},
    )


class EmailSettingIn(_SettingIn):
    host = f.String(required=True, validate=[v.Length(min=1, max=253), validate_hostname])
    port = StrictInteger(load_default=587, validate=v.Range(min=1, max=65535))
    username = Text(max_length=200, allow_none=True)
    password = _credential()
    starttls = StrictBoolean(load_default=True)
    from_address = f.Email(required=True, validate=v.Length(max=254))

    @ma.validates_schema
    def _encrypted_in_transit(self, data, **kwargs):
        if not data.get("starttls", True) and not is_loopback(data.get("host")):
            raise ma.ValidationError(field_error("starttls_required"), "starttls")
        if data.get("password") and not data.get("username"):
            raise ma.ValidationError(field_error("username_needed_for_password"), "username")


class SmsSettingIn(_SettingIn):
    base_url = f.String(required=True, validate=[v.Length(max=500), validate_endpoint])
    api_key = _credential(required=True)
    sender_id = Text(max_length=32, required=True)
    webhook_secret = _credential(min_length=8)


class WhatsappSettingIn(SmsSettingIn):
    template_ids = f.Dict(
        keys=f.String(validate=v.OneOf(TEMPLATE_KEYS)),
        values=Text(max_length=120),
        load_default=dict,
        metadata={"description": "Template key -> the provider's pre-approved template id."},
    )


class WebhookSettingIn(_SettingIn):
    url = f.String(required=True, validate=[v.Length(max=500), validate_endpoint])
    secret = _credential(required=True, min_length=16)


SCHEMAS: dict[str, type[ma.Schema]] = {
    Channel.EMAIL: EmailSettingIn,
    Channel.SMS: SmsSettingIn,
    Channel.WHATSAPP: WhatsappSettingIn,
    Channel.WEBHOOK: WebhookSettingIn,
}


def stored_config(session, foundation: str, channel: str) -> dict | None:
    """The decrypted config of a foundation's setting for ``channel``, enabled or not."""
    setting = session.get(ChannelSetting, (foundation, channel))
    if setting is None:
        return None
    return json.loads(setting.config or "{}")


def load_channel_setting(session, foundation: str, channel: str) -> dict | None:
    """The decrypted config a send uses; ``None`` when not configured or disabled."""
    setting = session.get(ChannelSetting, (foundation, channel))
    if setting is None or not setting.enabled:
        return None
    return json.loads(setting.config or "{}")


def save_channel_setting(session, foundation: str, channel: str, data) -> ChannelSetting:
    """Validate ``data`` (a PUT body) and store it as the foundation's setting for
    ``channel``. Raises :class:`ValidationFailed` naming each field at fault."""
    try:
        loaded = SCHEMAS[channel]().load(data)
    except ma.ValidationError as exc:
        raise ValidationFailed(errors=flatten_errors(exc.messages)) from exc
    enabled = loaded.pop("enabled")
    setting = session.get(ChannelSetting, (foundation, channel))
    previous = json.loads(setting.config or "{}") if setting is not None else {}
    config = {key: value for key, value in loaded.items() if key not in credentials_of(channel)}
    for name in credentials_of(channel):
        if name in loaded:
            if loaded[name] is not None:
                config[name] = loaded[name]
        elif previous.get(name):
            config[name] = previous[name]
    if channel == Channel.EMAIL and not config.get("username"):
        config.pop("password", None)
    errors = {
        name: [field_error("required")]
        for name in REQUIRED_CREDENTIALS[channel]
        if not config.get(name)
    }
    if channel == Channel.EMAIL and config.get("username") and not config.get("password"):
        errors["password"] = [field_error("password_needed_with_username")]
    if errors:
        raise ValidationFailed(errors=errors)
    if setting is None:
        setting = ChannelSetting(foundation=foundation, channel=channel)
        session.add(setting)
    setting.enabled = enabled
    setting.config = json.dumps(config, sort_keys=True)
    setting.updated_at = utcnow()
    return setting


def public_view(setting: ChannelSetting) -> dict:
    """The setting as the API shows it: no credentials, only whether each one is stored."""
    config = json.loads(setting.config or "{}")
    secrets = credentials_of(setting.channel)
    return {
        "channel": setting.channel,
        "configured": True,
        "enabled": setting.enabled,
        "config": {key: value for key, value in config.items() if key not in secrets},
        "has_credentials": {name: bool(config.get(name)) for name in secrets},
        "updated_at": setting.updated_at,
    }


def unconfigured_view(channel: str) -> dict:
    """What the API shows for a channel the foundation has not configured (it sends via log)."""
    return {
        "channel": channel,
        "configured": False,
        "enabled": False,
        "config": {},
        "has_credentials": dict.fromkeys(credentials_of(channel), False),
        "updated_at": None,
    }
