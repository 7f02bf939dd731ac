"""``create_app``: the staff console (port 5004)."""

from __future__ import annotations

import logging
import os
import uuid
from datetime import timedelta

from flask import (
    Flask,
    Response,
    g,
    jsonify,
    redirect,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_wtf.csrf import CSRFProtect, generate_csrf
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text
from werkzeug.middleware.proxy_fix import ProxyFix

from services.console import accounts, i18n, models, views
from services.console.config import console_config
from services.console.context import ConsoleState, can_write
from services.console.errors import register_error_handlers
from services.console.models import Account
from shared import crypto, request_log
from shared.db import Database, utcnow
from shared.index_check import check_index_key
from shared.metrics import ENDPOINT as METRICS_ENDPOINT
from shared.metrics import gauge, observe_requests, scrape_token_presented
from shared.rate_limit import AuthFailureLimiter
from shared.settings import CONSOLE, Settings, load_settings

log = logging.getLogger(__name__)

# Probes, the stylesheet, the icon and scrapes: open to anyone, logged only at DEBUG.
QUIET_ENDPOINTS = frozenset({"health", "ready", "static", "favicon", "metrics"})
# Files any page may be served again from the browser's cache (no personal data in them).
CACHED_ENDPOINTS = frozenset({"static", "favicon"})
# Pages anyone may open: signing in, the language switch, and the quiet ones.
PUBLIC_ENDPOINTS = {"auth.sign_in", "auth.set_locale", *QUIET_ENDPOINTS}


def create_app(settings: Settings | None = None, config: dict | None = None) -> Flask:
    settings = settings or load_settings(service=CONSOLE)
    overrides = {k: str(v) for k, v in (config or {}).items() if k.startswith("CONSOLE_")}
    console = console_config(settings, {**os.environ, **overrides})
    cipher = crypto.configure(settings.data_keys, settings.index_key)
    app = Flask(__name__, static_folder="static", template_folder="templates")
    app.config.from_mapping(
        SECRET_KEY=console.derived_key("console-session"),
        WTF_CSRF_SECRET_KEY=console.derived_key("console-csrf"),
        WTF_CSRF_TIME_LIMIT=console.session_hours * 3600,
        SESSION_COOKIE_NAME="pendamping_console",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=console.secure_cookies,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=console.session_hours),
        MAX_CONTENT_LENGTH=256 * 1024,
    )
    app.config.from_mapping(
        {k: v for k, v in (config or {}).items() if not k.startswith("CONSOLE_")}
    )
    if settings.trusted_proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=settings.trusted_proxies, x_proto=settings.trusted_proxies
        )
    db = Database(console.database_url)
    check_index_key(db, models.key_checks, cipher, "console")
    # no broker here: failures are counted in this process
    throttle = AuthFailureLimiter(
        None, namespace="console", window_seconds=console.lockout_minutes * 60
    )
    app.extensions["console"] = ConsoleState(console, db, {}, throttle)
    # first, so that every answer is logged and counted, a refused CSRF token's too
    _register_request_log(app)
    _register_metrics(app, db)
    CSRFProtect(app)
    for blueprint in views.BLUEPRINTS:
        app.register_blueprint(blueprint)
    register_error_handlers(app)
    _register_session(app)
    _register_templates(app)
    _register_probes(app, db)
    _register_favicon(app)
    return app


def _database_error(db: Database) -> str | None:
    """Why the console's database does not answer, or ``None`` when it does."""
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        log.warning("console database unreachable (%s)", type(exc).__name__)
        return type(exc).__name__
    return None


class _DatabaseUp:
    """``pendamping_dependency_up{dependency="database"}`` for the console's own database."""

    def __init__(self, db: Database):
        self.db = db

    def collect(self):
        up = gauge(
            "pendamping_dependency_up",
            "Whether the service reached the dependency during this scrape (1) or not (0).",
            ["dependency"],
        )
        up.add_metric(["console", "database"], 0 if _database_error(self.db) else 1)
        yield up


def _register_metrics(app: Flask, db: Database) -> None:
    """``GET /metrics`` for Prometheus: pages answered and their latency by route template.
    Only the scrape token (``PENDAMPING_METRICS_TOKEN``) reads it: the console holds no key
    that could check an operator's token."""
    metrics = observe_requests(app, "console", _DatabaseUp(db))

    def scrape():
        if not app.config["METRICS_TOKEN"] or not request.headers.get("Authorization"):
            return Response("the scrape token is needed\n", status=401, mimetype="text/plain")
        if not scrape_token_presented(app):
            return Response("not the scrape token\n", status=403, mimetype="text/plain")
        return Response(metrics.render(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    app.add_url_rule("/metrics", METRICS_ENDPOINT, scrape, methods=["GET"])


requests_logger = logging.getLogger("services.console.requests")


def _register_request_log(app: Flask) -> None:
    """One line per page, with the correlation id the page's API calls carry, so an action
    taken in the browser can be followed into every service's log."""

    @app.before_request
    def _start():
        request_log.begin(uuid.uuid4().hex, service="console")  # one page, one action

    @app.after_request
    def _log(response):
        quiet = request.endpoint in QUIET_ENDPOINTS
        request_log.log_answer(requests_logger, response.status_code, quiet=quiet)
        return response

    @app.teardown_request
    def _end(_exc):
        request_log.end()


def _register_session(app: Flask) -> None:
    @app.before_request
    def _load_account():
        g.account = None
        if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
            return None
        account = _signed_in_account(app)
        if account is None:
            session.pop("account_id", None)
            target = request.full_path if request.method == "GET" else None
            return redirect(url_for("auth.sign_in", next=target))
        g.account = account
        g.locale = session.get("locale") or account.locale
        return None

    @app.after_request
    def _headers(response):
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.endpoint not in CACHED_ENDPOINTS:
            # pages show personal data: never kept by a shared computer's cache
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def _signed_in_account(app: Flask) -> Account | None:
    account_id = session.get("account_id")
    if not account_id:
        return None
    console = app.extensions["console"]
    with console.db.transaction() as db:
        account = db.get(Account, account_id)
    if account is None or not account.active:
        return None
    if session.get("stamp") != accounts.session_stamp(account):
        return None  # the password changed since this session signed in
    signed_in = session.get("signed_in_at", 0)
    if utcnow().timestamp() - signed_in > console.config.session_hours * 3600:
        return None
    return account


def _register_templates(app: Flask) -> None:
    app.jinja_env.globals.update(
        _=i18n.t,
        label=i18n.label,
        message_reason=i18n.message_reason,
        day=i18n.format_day,
        csrf_token=generate_csrf,
        can_write=lambda: g.get("account") is not None and can_write(),
        locale=i18n.current_locale,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True


def _register_probes(app: Flask, db: Database) -> None:
    @app.get("/health")
    def health():
        """Process up."""
        return jsonify(status="ok", service="console")

    @app.get("/ready")
    def ready():
        """The console's database answers."""
        error = _database_error(db)
        if error:
            return jsonify(status="unavailable", checks={"database": error}), 503
        return jsonify(status="ok", checks={"database": "ok"})


def _register_favicon(app: Flask) -> None:
    """``/favicon.ico``, which browsers and tools ask for whatever the page says (the pages
    name ``static/favicon.svg``): an answer, not a 404 in the log."""

    @app.get("/favicon.ico")
    def favicon():
        return send_from_directory(
            app.static_folder or "static",
            "favicon.ico",
            mimetype="image/vnd.microsoft.icon",
            max_age=7 * 24 * 3600,
        )
