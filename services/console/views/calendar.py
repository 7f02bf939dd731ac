"""The week's sessions, day by day, in the foundation's time zone, with the families'
answers to their invitations."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, render_template, request

from services.console.context import api, timezone_name
from services.console.views.common import names_by_id
from shared.db import utcnow
from shared.fields import EARLIEST, LATEST

bp = Blueprint("calendar", __name__)


def _week_start(raw: str | None, today: date) -> date:
    """The Monday of the week ``raw`` names; this week when it names none the APIs take."""
    try:
        chosen = date.fromisoformat(raw) if raw else today
    except ValueError:
        chosen = today
    if not EARLIEST + timedelta(days=7) <= chosen <= LATEST - timedelta(days=7):
        chosen = today
    return chosen - timedelta(days=chosen.weekday())


@bp.get("/calendar")
def week():
    tz = ZoneInfo(timezone_name())
    today = utcnow().astimezone(tz).date()
    monday = _week_start(request.args.get("week"), today)
    start = datetime.combine(monday, time.min, tzinfo=tz)
    end = start + timedelta(days=7)
    sessions = api().items(
        "assessment",
        "/sessions",
        starts_after=start.isoformat(),
        starts_before=end.isoformat(),
    )
    known = api().items("intake", "/clients")
    clients = names_by_id(known)
    # who answered an invitation: the badges name the family contact
    contacts = [contact for client in known for contact in client.get("family_contacts", [])]
    days: list[tuple[date, list[dict]]] = [(monday + timedelta(days=i), []) for i in range(7)]
    for session in sessions:
        local = datetime.fromisoformat(session["starts_at"]).astimezone(tz)
        index = (local.date() - monday).days
        if 0 <= index < 7:
            days[index][1].append({**session, "local": local})
    return render_template(
        "calendar.html",
        days=days,
        today=today,
        monday=monday,
        previous=(monday - timedelta(days=7)).isoformat(),
        following=(monday + timedelta(days=7)).isoformat(),
        clients=clients,
        contacts=contacts,
    )
