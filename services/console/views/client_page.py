"""The client page, and how every action on it answers.

The page gathers what the three APIs know about one client; each part a service feeds is
left out, with a notice, when that service does not answer. An action is a small form
posted from the page: on success the page again with a notice; when refused, the page with
that form open, what was typed kept, and the errors next to their fields.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm

from services.console.api_client import ApiError, ApiUnavailable
from services.console.context import api, can_write, timezone_name
from services.console.forms.care import (
    AssessmentForm,
    DischargeForm,
    FollowupForm,
    GoalForm,
    GoalStatusForm,
    PlacementForm,
)
from services.console.forms.clients import AdmissionForm
from services.console.forms.family import ConsentForm, FamilyContactEditForm
from services.console.forms.screening import AssistForm, Dast10Form
from services.console.forms.sessions import AttendanceForm, NoteForm, RescheduleForm, SessionForm
from services.console.i18n import format_moment, label, t
from services.console.views.common import names_by_id, section, show_api_errors
from services.console.views.referral_card import referral_card
from services.console.views.risk_card import risk_card
from services.console.views.threads import conversation_card
from shared.db import utcnow

# the page's single forms: template name -> (form class, prefix)
PAGE_FORMS: dict[str, tuple[type[FlaskForm], str]] = {
    "admission_form": (AdmissionForm, "admission"),
    "session_form": (SessionForm, "session"),
    "note_form": (NoteForm, "note"),
    "assessment_form": (AssessmentForm, "assessment"),
    "goal_form": (GoalForm, "goal"),
    "placement_form": (PlacementForm, "placement"),
    "discharge_form": (DischargeForm, "discharge"),
    "screening_form": (Dast10Form, "dast"),
    "assist_form": (AssistForm, "assist"),
    "contact_form": (FamilyContactEditForm, "new-contact"),
}


def writers_only() -> None:
    if not can_write():
        abort(403)


def client_page(client_id: str, *, status: int = 200, forms: dict[str, FlaskForm] | None = None):
    """The client page; ``forms`` are forms to show as they were posted, by their key."""
    forms = forms or {}
    client = api().get("intake", f"/clients/{client_id}")
    notices: list[str] = []
    screenings = section(
        lambda: api().items("intake", f"/clients/{client_id}/screenings"), notices, "intake"
    )
    consent_history = section(
        lambda: api().get("intake", f"/clients/{client_id}/consent/history"), notices, "intake"
    )
    staff = section(lambda: api().items("intake", "/staff"), notices, "intake") or []
    care = section(lambda: api().get("assessment", f"/clients/{client_id}"), notices, "assessment")
    notes = followups = goals = assessments = None
    if care:
        assessments = section(
            lambda: api().items("assessment", "/assessments", client_id=client_id),
            notices,
            "assessment",
        )
        goals = section(
            lambda: api().items("assessment", f"/clients/{client_id}/goals"), notices, "assessment"
        )
        notes = section(
            lambda: api().items("assessment", f"/clients/{client_id}/notes"), notices, "assessment"
        )
        followups = section(
            lambda: api().items("assessment", "/followups", client_id=client_id),
            notices,
            "assessment",
        )
    sessions = section(
        lambda: api().items("assessment", "/sessions", client_id=client_id), notices, "assessment"
    )
    messages = section(
        lambda: api().items("notifications", "/messages", client_id=client_id),
        notices,
        "notifications",
    )
    tz = timezone_name()
    conversations = conversation_card(client, forms, notices, tz)
    early_warning = risk_card(client_id, care, forms, notices, tz)
    referrals = referral_card(client, forms, notices)
    page_forms = _page_forms(client, care, forms, tz, notices)
    sessions = [_session_row(s, client_id) for s in sessions or []]
    return (
        render_template(
            "client.html",
            client=client,
            care=care,
            notes=notes or [],
            sessions=sessions,
            followups=followups or [],
            messages=messages,
            notices=notices,
            staff_names=names_by_id(staff, "name"),
            screenings=screenings or [],
            consent_history=consent_history or [],
            contact_forms={
                c["id"]: forms.get(f"contact-{c['id']}")
                or FamilyContactEditForm(formdata=None, prefix=f"contact-{c['id']}", data=c)
                for c in client.get("family_contacts", [])
            },
            goals=goals or [],
            # every assessment of the client but the current one, newest first
            earlier_assessments=[
                a
                for a in assessments or []
                if a["id"] != ((care or {}).get("assessment") or {}).get("id")
            ],
            goal_forms={
                goal["id"]: forms.get(f"goal-{goal['id']}")
                or GoalStatusForm(formdata=None, prefix=f"goal-{goal['id']}", data=goal)
                for goal in goals or []
            },
            followup_forms={
                f["id"]: forms.get(f"followup-{f['id']}")
                or FollowupForm(formdata=None, prefix=f"followup-{f['id']}", data=_blank_none(f))
                for f in followups or []
            },
            reschedule_forms={
                s["id"]: forms.get(f"reschedule-{s['id']}")
                or RescheduleForm.of_session(s, ZoneInfo(tz), f"reschedule-{s['id']}")
                for s in sessions
                if not s["started"] and s["status"] != "cancelled"
            },
            attendance_forms={
                s["id"]: forms.get(f"attendance-{s['id']}")
                or AttendanceForm(
                    formdata=None,
                    prefix=f"attendance-{s['id']}",
                    status=s["mine"].get("attendance"),
                    family_attended=bool(s["mine"].get("family_attended")),
                )
                for s in sessions
            },
            refused=forms,
            moment=lambda value: format_moment(value, tz),
            tz=tz,
            **conversations,
            **early_warning,
            **referrals,
            **page_forms,
        ),
        status,
    )


def _blank_none(record: dict[str, Any]) -> dict[str, Any]:
    return {k: ("" if v is None else v) for k, v in record.items()}


def _page_forms(client, care, posted, tz: str, notices: list[str]) -> dict[str, FlaskForm]:
    today = utcnow().astimezone(ZoneInfo(tz)).date()
    made = {
        name: posted.get(name) or form_class(formdata=None, prefix=prefix)
        for name, (form_class, prefix) in PAGE_FORMS.items()
    }
    made["consent_form"] = posted.get("consent_form") or ConsentForm(
        formdata=None, prefix="consent", data=_blank_none(client.get("consent") or {})
    )
    for name, field in (("placement_form", "start_on"), ("discharge_form", "discharged_on")):
        if name not in posted:
            made[name][field].data = today
    programmes = None
    if can_write() and care and care.get("status") == "admitted":
        programmes = section(lambda: api().items("assessment", "/programs"), notices, "assessment")
    made["placement_form"].offer(programmes or [])
    return made


def _session_row(session: dict[str, Any], client_id: str) -> dict[str, Any]:
    """A session as the page needs it: has it started, this client's attendance."""
    mine: dict[str, Any] = next(
        (p for p in session.get("participants", []) if p.get("client_id") == client_id), {}
    )
    started = datetime.fromisoformat(session["starts_at"]) <= utcnow()
    return {**session, "started": started, "mine": mine}


def client_action(
    client_id: str,
    form: FlaskForm,
    key: str,
    call: Callable[[], Any],
    done: Callable[[Any], tuple[str, dict[str, Any]]] | str,
    *,
    anchor: str | None = None,
    refusals: tuple[int, ...] = (409, 422),
):
    """Run an action of the client page.

    ``call`` sends the form to an API; ``done`` is the notice shown after it (a catalogue
    key, or a function of the API's answer giving a key and its parameters). Refused (an
    answer of ``refusals``: 409, 422) or not sent because the service does not answer, the
    page comes back with the form as it was posted, under ``key``.
    """
    writers_only()
    if not form.validate_on_submit():
        return client_page(client_id, status=422, forms={key: form})
    try:
        answer = call()
    except ApiUnavailable as exc:
        form.api_errors = [t("error.unavailable_form", service=label("service", exc.service))]
        return client_page(client_id, status=503, forms={key: form})
    except ApiError as exc:
        if exc.status not in refusals:
            raise
        show_api_errors(form, exc)
        return client_page(client_id, status=exc.status, forms={key: form})
    if callable(done):
        notice, params = done(answer)
        # the session keeps any JSON value: base.html renders the key with its parameters
        flash({"key": notice, "params": params})  # type: ignore[arg-type]
    else:
        flash(done)
    return redirect(url_for("clients.show", client_id=client_id) + f"#{anchor or key}")
