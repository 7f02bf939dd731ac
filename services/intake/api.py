"""Intake's HTTP routes: validate, authorise, call the rule, answer."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from services.intake import clients as client_ops
from services.intake import foundations as foundation_ops
from services.intake.models import Foundation
from services.intake.schemas import (
    AdmissionIn,
    ClientIn,
    ClientListArgs,
    ClientOut,
    FoundationIn,
    FoundationOut,
)
from shared.auth import FOUNDATION_ROLES, STAFF_WRITERS, current_caller, require_roles, tenant
from shared.pagination import PageArgs, page_schema, paginate
from shared.problems import NotFound
from shared.web import runtime

foundations = Blueprint(
    "foundations",
    __name__,
    url_prefix="/foundations",
    description="Partner foundations (tenants); operators manage them.",
)
clients = Blueprint(
    "clients",
    __name__,
    url_prefix="/clients",
    description="Clients, their family contacts, consent and admission.",
)

FoundationPage = page_schema(FoundationOut, "FoundationPage")
ClientPage = page_schema(ClientOut, "ClientPage")


@foundations.route("")
class Foundations(MethodView):
    @require_roles("operator")
    @foundations.arguments(PageArgs, location="query")
    @foundations.response(200, FoundationPage)
    def get(self, page):
        """List foundations (operator)."""
        with runtime().unit_of_work() as uow:
            return paginate(uow.session, select(Foundation).order_by(Foundation.slug), page)

    @require_roles("operator")
    @foundations.arguments(FoundationIn)
    @foundations.response(201, FoundationOut)
    def post(self, data):
        """Create a foundation (operator)."""
        with runtime().unit_of_work() as uow:
            return foundation_ops.create_foundation(uow, data)


@foundations.route("/<slug>")
class FoundationBySlug(MethodView):
    @require_roles("operator", *FOUNDATION_ROLES)
    @foundations.response(200, FoundationOut)
    def get(self, slug):
        """One foundation: operators see any, staff only their own."""
        caller = current_caller()
        if caller.role != "operator" and caller.foundation != slug:
            raise NotFound("No such foundation.")
        with runtime().unit_of_work() as uow:
            return foundation_ops.get_foundation(uow.session, slug)


@clients.route("")
class Clients(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @clients.arguments(ClientListArgs, location="query")
    @clients.arguments(PageArgs, location="query")
    @clients.response(200, ClientPage)
    def get(self, filters, page):
        """List this foundation's clients; ``status`` and ``q`` (code) filter."""
        with runtime().unit_of_work() as uow:
            return paginate(uow.session, client_ops.list_clients_query(tenant(), filters), page)

    @require_roles(*STAFF_WRITERS)
    @clients.arguments(ClientIn)
    @clients.response(201, ClientOut)
    def post(self, data):
        """Register a client with family contacts and consent."""
        with runtime().unit_of_work() as uow:
            return client_ops.register_client(uow, current_caller(), data)


@clients.route("/<client_id>")
class ClientById(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @clients.response(200, ClientOut)
    def get(self, client_id):
        """One client of this foundation."""
        with runtime().unit_of_work() as uow:
            return client_ops.get_client(uow.session, tenant(), client_id)


@clients.route("/<client_id>/admission")
class Admission(MethodView):
    @require_roles(*STAFF_WRITERS)
    @clients.arguments(AdmissionIn)
    @clients.response(200, ClientOut)
    def post(self, data, client_id):
        """Admit the client: a new episode of care (also a readmission after discharge)."""
        with runtime().unit_of_work() as uow:
            return client_ops.admit_client(uow, current_caller(), client_id, data)


BLUEPRINTS = (foundations, clients)
