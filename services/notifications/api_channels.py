"""Channel settings over HTTP (admins configure a foundation's providers) and the
provider's inbound webhook."""

from __future__ import annotations

import marshmallow as ma
from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields as f

from services.notifications.channel_settings import (
    CONFIGURABLE,
    SCHEMAS,
    public_view,
    save_channel_setting,
    unconfigured_view,
)
from services.notifications.inbound import inbound
from services.notifications.models import ChannelSetting
from shared.auth import FOUNDATION_ROLES, require_roles, tenant
from shared.problems import BadRequest, NotFound
from shared.vocabulary import Role
from shared.web import runtime

channels = Blueprint(
    "channels",
    __name__,
    url_prefix="/channels",
    description=(
        "A foundation's delivery providers per channel (email, sms, whatsapp, webhook); "
        "admins configure them, credentials are write-only. A channel not configured "
        "(or disabled) delivers through log."
    ),
)


class ChannelSettingOut(ma.Schema):
    channel = f.String()
    configured = f.Boolean()
    enabled = f.Boolean()
    config = f.Dict(metadata={"description": "The settings, without credentials."})
    has_credentials = f.Dict(
        keys=f.String(),
        values=f.Boolean(),
        metadata={"description": "Whether each write-only credential is stored."},
    )
    updated_at = f.AwareDateTime(allow_none=True)


_PUT_BODY = {
    "required": True,
    "description": (
        "The channel's settings (the shape depends on the channel). Leave a credential out "
        "to keep the stored one; null removes an optional one."
    ),
    "content": {"application/json": {"schema": {"oneOf": list(SCHEMAS.values())}}},
}


def _known(channel: str) -> str:
    if channel not in CONFIGURABLE:
        raise NotFound(
            code="channel_not_configurable", channel=channel, choices=", ".join(CONFIGURABLE)
        )
    return channel


@channels.route("/<channel>")
class ChannelByName(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @channels.response(200, ChannelSettingOut)
    def get(self, channel):
        """This foundation's settings for ``channel``, without credentials."""
        _known(channel)
        with runtime().unit_of_work() as uow:
            setting = uow.session.get(ChannelSetting, (tenant(), channel))
            return public_view(setting) if setting else unconfigured_view(channel)

    @require_roles(Role.ADMIN)
    @channels.doc(requestBody=_PUT_BODY)
    @channels.response(200, ChannelSettingOut)
    def put(self, channel):
        """Configure ``channel`` for this foundation (admin). email: ``host``, ``port``,
        ``username``, ``password``, ``starttls``, ``from_address``; sms: ``base_url``,
        ``api_key``, ``sender_id``, ``webhook_secret``; whatsapp: as sms plus
        ``template_ids`` (template key -> provider template id); webhook: ``url``,
        ``secret``. Each takes ``enabled`` (default true)."""
        _known(channel)
        data = request.get_json(silent=True)
        if data is None:
            raise BadRequest(code="settings_not_an_object")
        with runtime().unit_of_work() as uow:
            setting = save_channel_setting(uow.session, tenant(), channel, data)
            return public_view(setting)


BLUEPRINTS = (channels, inbound)
