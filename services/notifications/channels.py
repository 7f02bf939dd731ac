"""Delivery channels behind one small interface.

A channel sends one rendered message and raises :class:`TransientFailure` when trying again
later may help, :class:`PermanentFailure` when it will not. ``idempotency_key`` (the
message id) travels with every send so a provider can drop a repeat after a crash.

``channel_for(name, setting)`` builds the channel from a foundation's decrypted settings
(see :mod:`services.notifications.channel_settings`); with none configured, ``log``.

Failure messages name status codes and error classes only: a provider's answer may echo the
recipient's address or the message, and failure reasons are stored and shown to staff.
"""

from __future__ import annotations

import hashlib
import hmac
import http.cookiejar
import json
import logging
import os
import smtplib
import ssl
import threading
from dataclasses import asdict, dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate
from typing import Protocol

import requests

from shared.codes import reason_text
from shared.vocabulary import Channel, Locale

log = logging.getLogger("pendamping.delivery")

HTTP_TIMEOUT_SECONDS = 10.0
SMTP_TIMEOUT_SECONDS = 10.0
SIGNATURE_HEADER = "X-Pendamping-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"
#: Templates that go over WhatsApp as free text, not as a pre-approved template.
WHATSAPP_FREE_TEXT: frozenset[str] = frozenset({"family.direct"})
SUBJECTS: dict[str, str] = {Locale.ID: "Pesan dari {sender}", Locale.EN: "A message from {sender}"}


class DeliveryFailure(Exception):
    """A send that did not go through. ``code`` is a message reason code
    (:data:`shared.codes.REASON_CODES`); the exception's text is that code's English reason,
    filled from ``params``: what the message row records when the send finally fails."""

    def __init__(self, code: str, **params: object):
        super().__init__(reason_text(code, **params))
        self.code = code
        self.params = params


class TransientFailure(DeliveryFailure):
    """Trying again later may help (a timeout, a 5xx, a deferral)."""


class PermanentFailure(DeliveryFailure):
    """Trying again will not help (a refusal, a missing setting or address)."""


@dataclass(frozen=True)
class Outgoing:
    idempotency_key: str
    channel: str
    address: str | None
    template: str
    locale: str
    body: str
    sender_name: str


class DeliveryChannel(Protocol):
    def send(self, message: Outgoing) -> str | None:
        """Deliver ``message``; return the provider's message id, if any."""


class LogChannel:
    """The development default: records that the message was rendered, sends nothing.

    Only ids and sizes reach the log; the rendered body stays in the (encrypted) message row.
    """

    def send(self, message: Outgoing) -> str | None:
        log.info(
            "delivered via log: message=%s template=%s locale=%s chars=%d",
            message.idempotency_key,
            message.template,
            message.locale,
            len(message.body),
        )
        return None


def _required(config: dict, channel: str, *keys: str) -> list:
    missing = [key for key in keys if not config.get(key)]
    if missing:
        raise PermanentFailure(
            "channel_settings_incomplete", channel=channel, missing=", ".join(missing)
        )
    return [config[key] for key in keys]


def _address_of(message: Outgoing) -> str:
    if not message.address:
        raise PermanentFailure("no_address", channel=message.channel)
    return message.address


class EmailChannel:
    """SMTP. A 4xx reply or a lost connection is transient; a 5xx reply is permanent."""

    def __init__(self, config: dict, *, timeout: float = SMTP_TIMEOUT_SECONDS):
        self.host, self.from_address = _required(config, Channel.EMAIL, "host", "from_address")
        self.port = int(config.get("port") or 587)
        self.username = config.get("username") or None
        self.password = config.get("password") or ""
        self.starttls = bool(config.get("starttls", True))
        self.timeout = timeout

    def message_id(self, message: Outgoing) -> str:
        domain = self.from_address.rpartition("@")[2] or "pendamping.invalid"
        return f"<{message.idempotency_key}.pendamping@{domain}>"

    def compose(self, message: Outgoing) -> EmailMessage:
        email = EmailMessage()
        email["From"] = formataddr((message.sender_name or "", self.from_address))
        email["To"] = _address_of(message)
        subject = SUBJECTS.get(message.locale, SUBJECTS[Locale.ID])
        email["Subject"] = subject.format(sender=message.sender_name or self.from_address)
        email["Date"] = formatdate(localtime=False)
        # Deterministic, so a repeat after a crash carries the same id and can be dropped.
        email["Message-ID"] = self.message_id(message)
        email["X-Idempotency-Key"] = message.idempotency_key
        email.set_content(message.body)
        return email

    def send(self, message: Outgoing) -> str | None:
        email = self.compose(message)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                smtp.ehlo()
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                    smtp.ehlo()
                if self.username:
                    smtp.login(self.username, self.password)
                smtp.send_message(email)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _text in exc.recipients.values()]
            if codes and all(400 <= code < 500 for code in codes):
                raise TransientFailure("smtp_recipient_deferred", smtp_code=codes[0]) from exc
            raise PermanentFailure(
                "smtp_recipient_refused", smtp_code=codes[0] if codes else "?"
            ) from exc
        except smtplib.SMTPResponseException as exc:
            if 400 <= exc.smtp_code < 500:
                raise TransientFailure("smtp_server_deferred", smtp_code=exc.smtp_code) from exc
            raise PermanentFailure("smtp_server_refused", smtp_code=exc.smtp_code) from exc
        except smtplib.SMTPNotSupportedError as exc:
            raise PermanentFailure("smtp_unsupported") from exc
        except ssl.SSLCertVerificationError as exc:
            raise PermanentFailure("smtp_certificate_untrusted") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise TransientFailure("smtp_connection_failed", error=type(exc).__name__) from exc
        return str(email["Message-ID"])[:120]


_sessions = threading.local()


def _forget_sessions() -> None:
    global _sessions
    _sessions = threading.local()  # a forked child must not share its parent's sockets


os.register_at_fork(after_in_child=_forget_sessions)


def http_session() -> requests.Session:
    """This thread's HTTP session. Its connections to a provider stay open between sends
    (a worker sending a burst does not connect, and a TLS handshake, once per message); it
    keeps no cookies, so each send goes as a single ``requests.post`` would. One per thread:
    a session's cookie jar and connection pool are not meant to be shared between threads."""
    session = getattr(_sessions, "session", None)
    if session is None:
        session = requests.Session()
        session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
        _sessions.session = session
    return session


def _post(
    url: str, body: bytes, headers: dict[str, str], timeout: float, channel: str
) -> requests.Response:
    """POST ``body``; 2xx is returned, everything else raised as a delivery failure (worded
    for the foundation's own webhook, or for the SMS/WhatsApp provider of ``channel``)."""
    webhook = channel == Channel.WEBHOOK
    about: dict[str, object] = {} if webhook else {"channel": channel}
    try:
        response = http_session().post(
            url,
            data=body,
            headers={"Content-Type": "application/json", **headers},
            timeout=timeout,
            allow_redirects=False,
        )
    except (requests.Timeout, requests.ConnectionError) as exc:
        code = "webhook_unreachable" if webhook else "provider_unreachable"
        raise TransientFailure(code, error=type(exc).__name__, **about) from exc
    except requests.RequestException as exc:
        code = "webhook_request_impossible" if webhook else "provider_request_impossible"
        raise PermanentFailure(code, error=type(exc).__name__, **about) from exc
    status = response.status_code
    if 200 <= status < 300:
        return response
    answered = "webhook_answered" if webhook else "provider_answered"
    if status in (408, 425, 429) or status >= 500:
        raise TransientFailure(answered, http_status=status, **about)
    raise PermanentFailure(answered, http_status=status, **about)


def _provider_id(response: requests.Response, what: str, *, expected: bool = True) -> str | None:
    try:
        value = response.json().get("id")
    except (ValueError, AttributeError):
        value = None
    if value is None:
        if expected:
            # Accepted all the same: failing now would only send a retry the provider drops.
            log.warning("%s accepted a message without naming its id", what)
        return None
    return str(value)[:120]


class HttpProviderChannel:
    """SMS and WhatsApp through one HTTP messaging provider.

    ``POST {base_url}/messages`` with a bearer key and the message id as ``Idempotency-Key``
    (and ``reference``). WhatsApp may only send the provider's pre-approved templates, so a
    WhatsApp message names the template id mapped to its template key, with the rendered
    text as the template's one parameter. A staff answer (:data:`WHATSAPP_FREE_TEXT`) goes as
    free text instead, as WhatsApp allows within 24 hours of the contact's last reply (when
    such an answer may be written: services/notifications/conversations.py).
    """

    def __init__(self, channel: str, config: dict, *, timeout: float = HTTP_TIMEOUT_SECONDS):
        self.channel = channel
        base_url, self.api_key, self.sender_id = _required(
            config, channel, "base_url", "api_key", "sender_id"
        )
        self.url = base_url.rstrip("/") + "/messages"
        self.template_ids = dict(config.get("template_ids") or {})
        self.timeout = timeout

    def payload(self, message: Outgoing) -> dict:
        payload = {
            "to": _address_of(message),
            "from": self.sender_id,
            "channel": self.channel,
            "reference": message.idempotency_key,
        }
        if self.channel == Channel.WHATSAPP and message.template not in WHATSAPP_FREE_TEXT:
            template_id = self.template_ids.get(message.template)
            if not template_id:
                raise PermanentFailure("whatsapp_template_unmapped", template=message.template)
            payload.update(template_id=template_id, params=[message.body])
        else:
            payload["body"] = message.body
        return payload

    def send(self, message: Outgoing) -> str | None:
        body = json.dumps(self.payload(message)).encode("utf-8")
        response = _post(
            self.url,
            body,
            {
                "Authorization": f"Bearer {self.api_key}",
                IDEMPOTENCY_HEADER: message.idempotency_key,
            },
            self.timeout,
            self.channel,
        )
        return _provider_id(response, f"{self.channel} provider")


def sign(secret: str, body: bytes) -> str:
    """The signature header value for ``body``: ``sha256=<hex HMAC-SHA256>``."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


class WebhookChannel:
    """POSTs the message as JSON to the foundation's own endpoint, signed with its secret in
    ``X-Pendamping-Signature: sha256=<hex>`` over the exact body bytes."""

    def __init__(self, config: dict, *, timeout: float = HTTP_TIMEOUT_SECONDS):
        self.url, self.secret = _required(config, Channel.WEBHOOK, "url", "secret")
        self.timeout = timeout

    def send(self, message: Outgoing) -> str | None:
        body = json.dumps(asdict(message), sort_keys=True, separators=(",", ":")).encode("utf-8")
        response = _post(
            self.url,
            body,
            {
                SIGNATURE_HEADER: sign(self.secret, body),
                IDEMPOTENCY_HEADER: message.idempotency_key,
            },
            self.timeout,
            Channel.WEBHOOK,
        )
        return _provider_id(response, "webhook", expected=False)


def channel_for(name: str, setting: dict | None = None) -> DeliveryChannel:
    """The channel ``name`` as the foundation configured it (``setting``: its decrypted,
    enabled config); with no provider configured, ``log``."""
    if setting is None or name == Channel.LOG:
        return LogChannel()
    timeout = float(setting.get("timeout_seconds") or HTTP_TIMEOUT_SECONDS)
    if name == Channel.EMAIL:
        return EmailChannel(
            setting, timeout=float(setting.get("timeout_seconds") or SMTP_TIMEOUT_SECONDS)
        )
    if name in (Channel.SMS, Channel.WHATSAPP):
        return HttpProviderChannel(name, setting, timeout=timeout)
    if name == Channel.WEBHOOK:
        return WebhookChannel(setting, timeout=timeout)
    raise PermanentFailure("no_such_channel", channel=name)
