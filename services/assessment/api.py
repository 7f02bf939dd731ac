"""Assessment's HTTP routes: validate, authorise, call the rule, answer."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from services.assessment import assessments as assessment_ops
from services.assessment import discharge as discharge_ops
from services.assessment import engagement_report, treatment_plan
from services.assessment import notes as note_ops
from services.assessment import outreach as outreach_ops
from services.assessment import placements as placement_ops
from services.assessment import reports as report_ops
from services.assessment import sessions as session_ops
from services.assessment.client_overview import client_overview
from services.assessment.lookup import in_path
from services.assessment.models import Assessment, CounsellingSession
from services.assessment.schemas import (
    AssessmentIn,
    AssessmentListArgs,
    AssessmentOut,
    AttendanceIn,
    ClientViewOut,
    DischargeIn,
    EngagementReportOut,
    FollowupIn,
    FollowupListArgs,
    FollowupOut,
    GoalIn,
    GoalOut,
    GoalPatch,
    NoteIn,
    NoteOut,
    OutreachIn,
    OutreachOut,
    PeriodArgs,
    PlacementIn,
    PlacementOut,
    ProgramIn,
    ProgramOut,
    ReassessmentIn,
    SessionIn,
    SessionListArgs,
    SessionOut,
    SessionPatch,
)
from shared.auth import FOUNDATION_ROLES, STAFF_WRITERS, current_caller, require_roles, tenant
from shared.pagination import PageArgs, page_schema, paginate
from shared.vocabulary import Role
from shared.web import runtime

clients = Blueprint(
    "clients",
    __name__,
    url_prefix="/clients",
    description="Clients in care: view, notes, treatment plan, discharge.",
)
assessments = Blueprint(
    "assessments",
    __name__,
    url_prefix="/assessments",
    description="Assessments: six ASAM dimensions, strengths, limitations, level of care.",
)
programs = Blueprint(
    "programs",
    __name__,
    url_prefix="/programs",
    description="Programmes and their capacity (admins manage them).",
)
placements = Blueprint(
    "placements", __name__, url_prefix="/placements", description="Placing clients in programmes."
)
sessions = Blueprint(
    "sessions",
    __name__,
    url_prefix="/sessions",
    description="Individual, group and family counselling sessions.",
)
followups = Blueprint(
    "followups",
    __name__,
    url_prefix="/followups",
    description="Follow-up guidance after discharge (+30, +90, +180 days).",
)
goals = Blueprint("goals", __name__, url_prefix="/goals", description="Treatment-plan goals.")
reports = Blueprint(
    "reports", __name__, url_prefix="/reports", description="Caseload, obstacles met, outcomes."
)

AssessmentPage = page_schema(AssessmentOut, "AssessmentPage")
ProgramPage = page_schema(ProgramOut, "ProgramPage")
PlacementPage = page_schema(PlacementOut, "PlacementPage")
SessionPage = page_schema(SessionOut, "SessionPage")
NotePage = page_schema(NoteOut, "NotePage")
OutreachPage = page_schema(OutreachOut, "OutreachPage")
FollowupPage = page_schema(FollowupOut, "FollowupPage")
GoalPage = page_schema(GoalOut, "GoalPage")


@clients.route("/<client_id>")
class ClientById(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @clients.response(200, ClientViewOut)
    def get(self, client_id):
        """A client: status, current assessment, placement, case worker and episodes."""
        with runtime().unit_of_work() as uow:
            return client_overview(uow.session, tenant(), client_id)


@clients.route("/<client_id>/notes")
class Notes(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @clients.arguments(PageArgs, location="query")
    @clients.response(200, NotePage)
    def get(self, page, client_id):
        """The client's notes, newest first."""
        with runtime().unit_of_work() as uow:
            stmt = note_ops.notes_query(uow.session, tenant(), client_id)
            return paginate(uow.session, stmt, page)

    @require_roles(*STAFF_WRITERS)
    @clients.arguments(NoteIn)
    @clients.response(201, NoteOut)
    def post(self, data, client_id):
        """A progress, behaviour, motivation or crisis note; a crisis note alerts staff at once."""
        with runtime().unit_of_work() as uow:
            return note_ops.record_note(uow, current_caller(), client_id, data)


@clients.route("/<client_id>/outreach")
class ClientOutreach(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @clients.arguments(PageArgs, location="query")
    @clients.response(200, OutreachPage)
    def get(self, page, client_id):
        """The outreach to the client, newest first."""
        with runtime().unit_of_work() as uow:
            stmt = outreach_ops.outreach_query(uow.session, tenant(), client_id)
            return paginate(uow.session, stmt, page)

    @require_roles(*STAFF_WRITERS)
    @clients.arguments(OutreachIn)
    @clients.response(201, OutreachOut)
    def post(self, data, client_id):
        """Record reaching out to the client and what came of it; never changes the
        client's status."""
        with runtime().unit_of_work() as uow:
            return outreach_ops.record_outreach(uow, current_caller(), client_id, data)


@clients.route("/<client_id>/goals")
class Goals(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @clients.arguments(PageArgs, location="query")
    @clients.response(200, GoalPage)
    def get(self, page, client_id):
        """The client's treatment-plan goals."""
        with runtime().unit_of_work() as uow:
            stmt = treatment_plan.goals_query(uow.session, tenant(), client_id)
            return paginate(uow.session, stmt, page)

    @require_roles(*STAFF_WRITERS)
    @clients.arguments(GoalIn)
    @clients.response(201, GoalOut)
    def post(self, data, client_id):
        """Add a treatment-plan goal."""
        with runtime().unit_of_work() as uow:
            return treatment_plan.add_goal(uow, current_caller(), client_id, data)


@goals.route("/<goal_id>")
class GoalById(MethodView):
    @require_roles(*STAFF_WRITERS)
    @goals.arguments(GoalPatch)
    @goals.response(200, GoalOut)
    def patch(self, data, goal_id):
        """Update a goal's text, target date or status."""
        with runtime().unit_of_work() as uow:
            return treatment_plan.update_goal(uow, current_caller(), goal_id, data)


@clients.route("/<client_id>/discharge")
class Discharge(MethodView):
    @require_roles(*STAFF_WRITERS)
    @clients.arguments(DischargeIn)
    @clients.response(200, FollowupOut(many=True))
    def post(self, data, client_id):
        """Discharge from admitted or placed; answers the three follow-ups now due."""
        with runtime().unit_of_work() as uow:
            return discharge_ops.discharge_client(uow, current_caller(), client_id, data)


@assessments.route("")
class Assessments(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @assessments.arguments(AssessmentListArgs, location="query")
    @assessments.arguments(PageArgs, location="query")
    @assessments.response(200, AssessmentPage)
    def get(self, filters, page):
        """This foundation's assessments, newest first; filter by ``client_id``, ``status``."""
        with runtime().unit_of_work() as uow:
            return paginate(uow.session, assessment_ops.assessments_query(tenant(), filters), page)

    @require_roles(*STAFF_WRITERS)
    @assessments.arguments(ReassessmentIn)
    @assessments.response(201, AssessmentOut)
    def post(self, data):
        """Request a reassessment in the client's current episode."""
        with runtime().unit_of_work() as uow:
            return assessment_ops.request_reassessment(uow, current_caller(), data)


@assessments.route("/<assessment_id>")
class AssessmentById(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @assessments.response(200, AssessmentOut)
    def get(self, assessment_id):
        """One assessment."""
        with runtime().unit_of_work() as uow:
            return in_path(uow.session, Assessment, tenant(), assessment_id)

    @require_roles(*STAFF_WRITERS)
    @assessments.arguments(AssessmentIn)
    @assessments.response(200, AssessmentOut)
    def put(self, data, assessment_id):
        """Complete the assessment: ratings, strengths, limitations; the level is recommended."""
        with runtime().unit_of_work() as uow:
            return assessment_ops.complete_assessment(uow, current_caller(), assessment_id, data)


@programs.route("")
class Programs(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @programs.arguments(PageArgs, location="query")
    @programs.response(200, ProgramPage)
    def get(self, page):
        """Programmes with ``occupied`` and ``available`` places."""
        with runtime().unit_of_work() as uow:
            return paginate(uow.session, placement_ops.programs_query(tenant()), page)

    @require_roles(Role.ADMIN)
    @programs.arguments(ProgramIn)
    @programs.response(201, ProgramOut)
    def post(self, data):
        """Create a programme (admin)."""
        with runtime().unit_of_work() as uow:
            return placement_ops.create_program(uow, current_caller(), data)


@placements.route("")
class Placements(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @placements.arguments(PageArgs, location="query")
    @placements.response(200, PlacementPage)
    def get(self, page):
        """Placements, newest first."""
        with runtime().unit_of_work() as uow:
            return paginate(uow.session, placement_ops.placements_query(tenant()), page)

    @require_roles(*STAFF_WRITERS)
    @placements.arguments(PlacementIn)
    @placements.response(201, PlacementOut)
    def post(self, data):
        """Place an admitted client in a programme (409 at capacity or already placed)."""
        with runtime().unit_of_work() as uow:
            return placement_ops.place_client(uow, current_caller(), data)


@sessions.route("")
class Sessions(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @sessions.arguments(SessionListArgs, location="query")
    @sessions.arguments(PageArgs, location="query")
    @sessions.response(200, SessionPage)
    def get(self, filters, page):
        """Sessions in time order; filter by client and time window (a calendar). Each
        carries its families' answers (``family_rsvp``)."""
        with runtime().unit_of_work() as uow:
            return paginate(uow.session, session_ops.sessions_query(tenant(), filters), page)

    @require_roles(*STAFF_WRITERS)
    @sessions.arguments(SessionIn)
    @sessions.response(201, SessionOut)
    def post(self, data):
        """Schedule a session; a family session invites consenting families."""
        with runtime().unit_of_work() as uow:
            return session_ops.schedule_session(uow, current_caller(), data)


@sessions.route("/<session_id>")
class SessionById(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @sessions.response(200, SessionOut)
    def get(self, session_id):
        """One session, with the families' answers to its invitation (``family_rsvp``)."""
        with runtime().unit_of_work() as uow:
            return in_path(uow.session, CounsellingSession, tenant(), session_id)

    @require_roles(*STAFF_WRITERS)
    @sessions.arguments(SessionPatch)
    @sessions.response(200, SessionOut)
    def patch(self, data, session_id):
        """Reschedule (time, duration, place, title); families are told of the change."""
        with runtime().unit_of_work() as uow:
            return session_ops.reschedule_session(uow, current_caller(), session_id, data)


@sessions.route("/<session_id>/cancel")
class SessionCancel(MethodView):
    @require_roles(*STAFF_WRITERS)
    @sessions.response(200, SessionOut)
    def post(self, session_id):
        """Cancel a session; its pending reminders are cancelled."""
        with runtime().unit_of_work() as uow:
            return session_ops.cancel_session(uow, current_caller(), session_id)


@sessions.route("/<session_id>/attendance")
class SessionAttendance(MethodView):
    @require_roles(*STAFF_WRITERS)
    @sessions.arguments(AttendanceIn)
    @sessions.response(200, SessionOut)
    def post(self, data, session_id):
        """Record a client's attendance (and, for family sessions, whether family came)."""
        with runtime().unit_of_work() as uow:
            return session_ops.record_attendance(uow, current_caller(), session_id, data)


@followups.route("")
class Followups(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @followups.arguments(FollowupListArgs, location="query")
    @followups.arguments(PageArgs, location="query")
    @followups.response(200, FollowupPage)
    def get(self, filters, page):
        """Follow-ups by due date; ``due_before`` lists what needs doing. Each carries the
        family's answer to its check-in message (``family_checkin``)."""
        with runtime().unit_of_work() as uow:
            return paginate(uow.session, discharge_ops.followups_query(tenant(), filters), page)


@followups.route("/<followup_id>")
class FollowupById(MethodView):
    @require_roles(*STAFF_WRITERS)
    @followups.arguments(FollowupIn)
    @followups.response(200, FollowupOut)
    def put(self, data, followup_id):
        """Record a follow-up's outcome."""
        with runtime().unit_of_work() as uow:
            return discharge_ops.record_followup(uow, current_caller(), followup_id, data)


@reports.route("/caseload")
class CaseloadReport(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @reports.response(200)
    def get(self):
        """Clients in care per case worker (with overdue assessments) and programme occupancy."""
        with runtime().unit_of_work() as uow:
            return report_ops.caseload(uow.session, tenant())


@reports.route("/obstacles")
class ObstaclesReport(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @reports.arguments(PeriodArgs, location="query")
    @reports.response(200)
    def get(self, args):
        """Obstacles met in notes of the period, by obstacle and by programme."""
        with runtime().unit_of_work() as uow:
            return report_ops.obstacles(uow.session, tenant(), args["from_"], args["to"])


@reports.route("/outcomes")
class OutcomesReport(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @reports.response(200)
    def get(self):
        """Completion rate, and per follow-up: reach and the share abstinent."""
        with runtime().unit_of_work() as uow:
            return report_ops.outcomes(uow.session, tenant())


@reports.route("/engagement")
class EngagementReport(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @reports.arguments(PeriodArgs, location="query")
    @reports.response(200, EngagementReportOut)
    def get(self, args):
        """Of the clients admitted in the period: started, engaged, retained 90 days (overall,
        by programme, by case worker); and case workers' caseloads beside the staffing norm."""
        with runtime().unit_of_work() as uow:
            return engagement_report.engagement(uow.session, tenant(), args["from_"], args["to"])


BLUEPRINTS = (clients, assessments, programs, placements, sessions, followups, goals, reports)
