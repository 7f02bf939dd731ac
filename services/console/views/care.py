"""The course of care, from the client page: complete the assessment or ask for another,
keep the treatment plan's goals, place the client in a programme, discharge, record each
follow-up's outcome, take attendance, reschedule or cancel a session."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint

from services.console.context import api, timezone_name
from services.console.forms.base import ConsoleForm
from services.console.forms.care import (
    AssessmentForm,
    DischargeForm,
    FollowupForm,
    GoalForm,
    GoalStatusForm,
    PlacementForm,
)
from services.console.forms.sessions import AttendanceForm, RescheduleForm
from services.console.i18n import format_day, format_moment, label
from services.console.views.client_page import client_action

bp = Blueprint("care", __name__, url_prefix="/clients")


@bp.post("/<client_id>/assessments/<assessment_id>")
def complete_assessment(client_id: str, assessment_id: str):
    form = AssessmentForm(prefix="assessment")
    return client_action(
        client_id,
        form,
        "assessment_form",
        lambda: api().put("assessment", f"/assessments/{assessment_id}", form.to_api()),
        _assessment_completed,
        anchor="care",
    )


@bp.post("/<client_id>/reassessment")
def request_reassessment(client_id: str):
    """A further assessment in the current episode, due in 72 hours; the case worker is
    reminded as for the first one, and the earlier ones stay in the history."""
    return client_action(
        client_id,
        ConsoleForm(),
        "reassessment",
        lambda: api().post("assessment", "/assessments", {"client_id": client_id}),
        lambda assessment: (
            "flash.reassessment_requested",
            {"due": format_moment(assessment["due_at"], timezone_name())},
        ),
        anchor="care",
    )


def _assessment_completed(answer: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The notice names the level the API recommended (and the one chosen instead, if any)."""
    recommended = label("level", answer["recommended_level"])
    if answer.get("level") and answer["level"] != answer["recommended_level"]:
        return "flash.assessment_overridden", {
            "recommended": recommended,
            "level": label("level", answer["level"]),
        }
    return "flash.assessment_completed", {"recommended": recommended}


@bp.post("/<client_id>/goals")
def add_goal(client_id: str):
    form = GoalForm(prefix="goal")
    return client_action(
        client_id,
        form,
        "goal_form",
        lambda: api().post("assessment", f"/clients/{client_id}/goals", form.to_api()),
        "flash.goal_added",
        anchor="plan",
    )


@bp.post("/<client_id>/goals/<goal_id>")
def update_goal(client_id: str, goal_id: str):
    key = f"goal-{goal_id}"
    form = GoalStatusForm(prefix=key)
    return client_action(
        client_id,
        form,
        key,
        lambda: api().patch("assessment", f"/goals/{goal_id}", form.to_api()),
        lambda goal: ("flash.goal_updated", {"status": label("goal_status", goal["status"])}),
        anchor="plan",
    )


@bp.post("/<client_id>/placement")
def place(client_id: str):
    form = PlacementForm(prefix="placement")
    return client_action(
        client_id,
        form,
        "placement_form",
        lambda: api().post("assessment", "/placements", form.to_api(client_id)),
        lambda answer: (
            "flash.placed",
            {"programme": answer["program_name"], "day": format_day(answer["start_on"])},
        ),
        anchor="care",
    )


@bp.post("/<client_id>/discharge")
def discharge(client_id: str):
    form = DischargeForm(prefix="discharge")
    return client_action(
        client_id,
        form,
        "discharge_form",
        lambda: api().post("assessment", f"/clients/{client_id}/discharge", form.to_api()),
        lambda followups: (
            "flash.discharged",
            {"dates": ", ".join(format_day(f["due_on"]) for f in followups)},
        ),
        anchor="followups",
    )


@bp.post("/<client_id>/followups/<followup_id>")
def record_followup(client_id: str, followup_id: str):
    key = f"followup-{followup_id}"
    form = FollowupForm(prefix=key)
    return client_action(
        client_id,
        form,
        key,
        lambda: api().put("assessment", f"/followups/{followup_id}", form.to_api()),
        "flash.followup_recorded",
    )


@bp.post("/<client_id>/sessions/<session_id>/attendance")
def take_attendance(client_id: str, session_id: str):
    key = f"attendance-{session_id}"
    form = AttendanceForm(prefix=key)

    def send():
        # whether family came is recorded (yes or no) for a family session only
        session = api().get("assessment", f"/sessions/{session_id}")
        body = form.to_api(client_id, family_session=session["kind"] == "family")
        return api().post("assessment", f"/sessions/{session_id}/attendance", body)

    return client_action(
        client_id, form, key, send, "flash.attendance_recorded", anchor=f"session-{session_id}"
    )


@bp.post("/<client_id>/sessions/<session_id>/reschedule")
def reschedule_session(client_id: str, session_id: str):
    key = f"reschedule-{session_id}"
    form = RescheduleForm(prefix=key)
    tz = ZoneInfo(timezone_name())
    return client_action(
        client_id,
        form,
        key,
        lambda: api().patch("assessment", f"/sessions/{session_id}", form.to_api(tz)),
        lambda session: (
            "flash.session_rescheduled",
            {"moment": format_moment(session["starts_at"], tz.key)},
        ),
        anchor=f"session-{session_id}",
    )


@bp.post("/<client_id>/sessions/<session_id>/cancel")
def cancel_session(client_id: str, session_id: str):
    return client_action(
        client_id,
        ConsoleForm(),
        f"cancel-{session_id}",
        lambda: api().post("assessment", f"/sessions/{session_id}/cancel"),
        "flash.session_cancelled",
        anchor=f"session-{session_id}",
    )
