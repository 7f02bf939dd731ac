"""A foundation's channel settings, as a send needs them."""

from __future__ import annotations

import json

from services.notifications.models import ChannelSetting


def load_channel_setting(session, foundation: str, channel: str) -> dict | None:
    setting = session.get(ChannelSetting, (foundation, channel))
    if setting is None or not setting.enabled:
        return None
    return json.loads(setting.config or "{}")
