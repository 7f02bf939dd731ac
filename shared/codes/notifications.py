"""The codes notifications answers with beyond the common ones: refusals (problem ``code``),
field errors (``error_codes``) and why a message was held, cancelled, retried or failed (a
message row's ``reason_code``), each with its English text."""

from __future__ import annotations

#: A refusal's code → its English text (the problem's ``detail`` unless it says more).
PROBLEMS: dict[str, str] = {
    # an id or key in the path that this foundation does not have (404)
    "message_not_found": "No such message.",
    "template_not_found": "No such template.",
    "recipient_not_found": "No such recipient (or no consent to message them).",
    "channel_not_configurable": "No configurable channel {channel!r} (one of {choices}).",
    "inbound_channel_not_found": "No such inbound channel.",
    # family conversation (replies and staff answers)
    "reply_not_found": "No such reply.",
    "contact_not_found": "No such family contact.",
    "no_consent": "The client's consent does not allow messages to this contact.",
    "opted_out": "This contact asked to receive no more messages (they may reply START).",
    "request_in_progress": "The same request is being answered; try again in a moment.",
    "whatsapp_window_closed": (
        "WhatsApp allows free text only within 24 hours of the contact's last reply; "
        "send an approved template instead."
    ),
    # PUT /channels/{channel}
    "settings_not_an_object": "Send the settings as a JSON object.",
    # POST /inbound/{channel}: the provider's signature (401)
    "provider_signature_invalid": "Missing or wrong provider signature.",
    "provider_signature_expired": "The provider's signed time is too far from now.",
}

#: A field error's code → its English message.
FIELDS: dict[str, str] = {
    # PUT /recipients/{id}/preferences
    "recipient_without_address": "This recipient has no address.",
    # PUT /templates/{key}: what a wording may be made of (templates.py); the doubled braces
    # are the literal "{{ name }}" and "{% if %}" once the text is formatted
    "template_syntax_error": "Not a valid template: {error}",
    "template_construct_forbidden": (
        "Templates may use values ({{{{ name }}}}), conditions ({{% if %}}) and the filters "
        "{filters}; not {construct}."
    ),
    "template_filter_forbidden": "The filter {filter!r} is not available in templates.",
    "template_test_forbidden": "The test {test!r} is not available in templates.",
    "template_assignment_forbidden": "Templates may not assign values.",
    "template_invalid": "Not a usable template: {error}",
    # PUT /channels/{channel}
    "credentials_in_url": "Put credentials in their own fields, not in the URL.",
    "https_required": "Use https: messages carry personal data.",
    "invalid_hostname": "Not a valid host name (no scheme or port, e.g. smtp.example.org).",
    "starttls_required": "STARTTLS is needed outside a loopback host.",
    "username_needed_for_password": "A password needs a username.",
    "password_needed_with_username": "Needed with a username.",
}


#: A message row's ``reason_code`` → its English ``reason`` (``str.format`` fields filled in).
REASONS: dict[str, str] = {
    # who may receive it (checked when scheduled and again when sent)
    "client_unknown": "client unknown",
    "consent_withdrawn": "consent to contact family withdrawn",
    "contact_removed": "family contact removed or may not be contacted",
    "share_progress_withdrawn": "consent to share progress withdrawn",
    "staff_inactive": "staff member unknown or inactive",
    "recipient_opted_out": "recipient opted out",
    # what the message was about is over
    "session_cancelled": "session cancelled",
    "assessment_completed": "assessment completed",
    "client_discharged": "client discharged",
    "client_readmitted": "client readmitted",
    "referral_answered": "the referral is no longer pending",
    # the client's personal data was erased (UU PDP): nothing more goes about them
    "client_erased": "client's personal data erased",
    # when it may go
    "deferred_past_quiet_hours": "deferred past quiet hours",
    "held_for_consent_data": "held: waiting for current consent data from intake",
    "reminder_too_late_at_booking": (
        "reminder time had already passed when the session was booked"
    ),
    "reminder_after_session_start": "the reminder would arrive after the session starts",
    "whatsapp_window_closed": (
        "WhatsApp's 24-hour window for free text was closed when the message would go"
    ),
    # a send that did not go through: retried while it may help, else failed (channels.py)
    "retrying": "retrying: {error}",
    "channel_not_configured": "the {channel} channel is not configured",
    "channel_settings_incomplete": "{channel} channel is missing {missing}",
    "no_such_channel": "no such channel: {channel}",
    "no_address": "no {channel} address for this recipient",
    "whatsapp_template_unmapped": "no WhatsApp template id is mapped for {template}",
    "smtp_recipient_deferred": "SMTP recipient deferred ({smtp_code})",
    "smtp_recipient_refused": "SMTP recipient refused ({smtp_code})",
    "smtp_server_deferred": "SMTP server deferred ({smtp_code})",
    "smtp_server_refused": "SMTP server refused ({smtp_code})",
    "smtp_unsupported": "SMTP server does not support STARTTLS or login",
    "smtp_certificate_untrusted": "SMTP server certificate is not trusted",
    "smtp_connection_failed": "SMTP connection failed ({error})",
    "provider_unreachable": "{channel} provider unreachable ({error})",
    "provider_request_impossible": "{channel} provider request not possible ({error})",
    "provider_answered": "{channel} provider answered {http_status}",
    "webhook_unreachable": "webhook unreachable ({error})",
    "webhook_request_impossible": "webhook request not possible ({error})",
    "webhook_answered": "webhook answered {http_status}",
}
