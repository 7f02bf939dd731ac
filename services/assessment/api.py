"""Assessment's HTTP routes."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from services.assessment.models import Assessment, ClientView
from services.assessment.schemas import AssessmentListArgs, AssessmentOut, ClientViewOut
from shared.auth import FOUNDATION_ROLES, require_roles, tenant
from shared.pagination import PageArgs, page_schema, paginate
from shared.problems import NotFound
from shared.web import runtime

clients = Blueprint(
    "clients",
    __name__,
    url_prefix="/clients",
    description="Assessment's view of clients (learned from intake's events).",
)
assessments = Blueprint(
    "assessments",
    __name__,
    url_prefix="/assessments",
    description="Assessments of strengths, limitations and level of care.",
)

AssessmentPage = page_schema(AssessmentOut, "AssessmentPage")


@clients.route("/<client_id>")
class ClientById(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @clients.response(200, ClientViewOut)
    def get(self, client_id):
        """A client: status, current assessment, placement and case worker."""
        with runtime().unit_of_work() as uow:
            view = uow.session.execute(
                select(ClientView).where(
                    ClientView.id == client_id, ClientView.foundation == tenant()
                )
            ).scalar()
            if view is None:
                raise NotFound("No such client.")
            current = uow.session.execute(
                select(Assessment)
                .where(Assessment.client_id == view.id, Assessment.episode_id == view.episode_id)
                .order_by(Assessment.sequence_no.desc())
            ).scalar()
            return {
                "id": view.id,
                "code": view.code,
                "status": view.status,
                "case_worker_id": view.case_worker_id,
                "episode_id": view.episode_id,
                "admitted_on": view.admitted_on,
                "assessment": current,
                "placement": None,
            }


@assessments.route("")
class Assessments(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @assessments.arguments(AssessmentListArgs, location="query")
    @assessments.arguments(PageArgs, location="query")
    @assessments.response(200, AssessmentPage)
    def get(self, filters, page):
        """This foundation's assessments, newest first; filter by ``client_id``, ``status``."""
        stmt = (
            select(Assessment)
            .where(Assessment.foundation == tenant())
            .order_by(Assessment.created_at.desc())
        )
        if filters.get("client_id"):
            stmt = stmt.where(Assessment.client_id == filters["client_id"])
        if filters.get("status"):
            stmt = stmt.where(Assessment.status == filters["status"])
        with runtime().unit_of_work() as uow:
            return paginate(uow.session, stmt, page)


BLUEPRINTS = (clients, assessments)
