"""Rendering a message at send time: the foundation's wording of its template (else the
default wording) with the message's values and who it is from and to, as they are now."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.orm import Session

from services.notifications.models import ClientRecord, FoundationProfile, Message, TemplateOverride
from services.notifications.templates import (
    SAMPLE_VALUES,
    TemplateError,
    default_template,
    render,
    render_stored,
)

log = logging.getLogger(__name__)


def message_values(
    message: Message,
    context: dict[str, Any],
    client: ClientRecord | None,
    profile: FoundationProfile | None,
) -> dict[str, Any]:
    """Every value a template may name: the message's own (``context``), who it is to and
    from, and the client's first name and code (any other value empty)."""
    values = {**dict.fromkeys(SAMPLE_VALUES), **context}
    values.update(
        recipient_name=message.recipient_name or "",
        sender_name=profile.sender_name if profile else "",
        client_first_name=client.first_name if client else "",
        client_code=context.get("client_code") or (client.code if client else ""),
    )
    return values


def template_wording(session: Session, foundation: str, template: str, locale: str) -> str | None:
    """The foundation's own wording of ``template`` in ``locale``, if it saved one."""
    override = session.get(TemplateOverride, (foundation, template, locale))
    return override.body if override is not None else None


def render_body(message: Message, context: dict, timezone: str, wording: str | None) -> str:
    """The message in its foundation's wording of the template (``wording``, from
    :func:`template_wording`), else the default wording.

    A stored wording that no longer passes the template rules (saved before a rule existed,
    or edited in the database) is not rendered: the default is, so the message still goes,
    and the warning names the foundation and template, not the recipient or the wording."""
    key, locale = message.template, message.locale
    if wording is not None:
        try:
            return render_stored(wording, context, locale, timezone)
        except TemplateError as exc:
            log.warning(
                "the %s template (%s) of foundation %s breaks the template rules (%s); "
                "message %s is sent in the default wording",
                key,
                locale,
                message.foundation,
                type(exc.__cause__ or exc).__name__,
                message.id,
            )
    return render(default_template(key, locale), context, locale, timezone)
