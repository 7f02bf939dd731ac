"""The home page: my clients who need attention (the early warning's flags), my clients,
their status, next session, what is overdue, the family replies nobody has read yet, and the
family sessions of the coming week with the families' answers."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, render_template, request

from services.console.caseload import (
    FOLLOWUP_NOTICE_DAYS,
    build_caseload,
    followups_due,
    unread_by_client,
)
from services.console.context import account, api, timezone_name
from services.console.i18n import format_moment
from services.console.risk_flag import attention_list
from services.console.rsvp_week import RSVP_DAYS, rsvps_this_week
from services.console.views.common import names_by_id, section
from shared.db import utcnow

bp = Blueprint("caseload", __name__)
#: flagged clients asked for in the one call (the APIs' largest page)
MAX_FLAGS = 200


@bp.get("/")
def index():
    user = account()
    show_all = request.args.get("all") == "1" or user.role == "viewer"
    query = (request.args.get("q") or "").strip()[:100]
    tz = timezone_name()
    now = utcnow()
    today = now.astimezone(ZoneInfo(tz)).date()
    clients = api().items("intake", "/clients", q=query or None)
    notices: list[str] = []
    sessions = section(
        lambda: api().items(
            "assessment",
            "/sessions",
            starts_after=now.isoformat(),
            starts_before=(now + timedelta(days=60)).isoformat(),
        ),
        notices,
        "assessment",
    )
    due = section(
        lambda: api().items("assessment", "/assessments", status="due"), notices, "assessment"
    )
    followups = section(
        lambda: api().items(
            "assessment",
            "/followups",
            due_before=(today + timedelta(days=FOLLOWUP_NOTICE_DAYS + 1)).isoformat(),
        ),
        notices,
        "assessment",
    )
    # the foundation's unread replies in one call, counted per client on this side
    unread = section(
        lambda: api().items("notifications", "/replies", unread="true"), notices, "notifications"
    )
    # the foundation's flags in one call (the API lists high first, the caller's first)
    flags = section(
        lambda: api().get("assessment", "/risk", per_page=MAX_FLAGS), notices, "assessment"
    )
    case_worker_id = None if (show_all or query) else user.staff_id
    rows = build_caseload(
        clients,
        sessions or [],
        due or [],
        followups or [],
        now=now,
        today=today,
        case_worker_id=case_worker_id,
        every_status=bool(query),
        unread_replies=unread_by_client(unread or []),
        risk_levels={f["client_id"]: f["level"] for f in (flags or {}).get("items") or []},
    )
    staff = section(lambda: api().items("intake", "/staff"), notices, "intake") or []
    return render_template(
        "caseload.html",
        rows=rows,
        attention=attention_list(
            (flags or {}).get("items") or [],
            clients,
            timezone=tz,
            staff_id=user.staff_id,
            case_worker_id=case_worker_id,
        ),
        followups_due=followups_due(rows),
        # the family sessions of the clients listed (the upcoming sessions fetched above)
        rsvps=rsvps_this_week([r.client for r in rows], sessions or [], now=now),
        rsvp_days=RSVP_DAYS,
        notice_days=FOLLOWUP_NOTICE_DAYS,
        show_all=show_all,
        query=query,
        notices=notices,
        staff_names=names_by_id(staff, "name"),
        moment=lambda value: format_moment(value, tz),
    )
