"""Intake's HTTP routes: validate, authorise, call the rule, answer."""

from __future__ import annotations

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from services.intake import admission, audit, consent, family_contacts, registration, screenings
from services.intake import clients as client_ops
from services.intake import foundations as foundation_ops
from services.intake import staff as staff_ops
from services.intake.ipwl_report import as_csv, export_recap
from services.intake.models import Foundation
from services.intake.schemas import (
    AdmissionIn,
    AuditArgs,
    AuditOut,
    ClientCreatedOut,
    ClientIn,
    ClientListArgs,
    ClientOut,
    ClientPatch,
    ConsentPut,
    ConsentRecordOut,
    FamilyContactIn,
    FamilyContactOut,
    FamilyContactPatch,
    FoundationIn,
    FoundationOut,
    FoundationPatch,
    IpwlArgs,
    ScreeningIn,
    ScreeningOut,
    StaffIn,
    StaffOut,
    StaffPatch,
)
from shared.auth import FOUNDATION_ROLES, STAFF_WRITERS, current_caller, require_roles, tenant
from shared.pagination import PageArgs, page_schema, paginate
from shared.vocabulary import Role
from shared.web import runtime

foundations = Blueprint(
    "foundations",
    __name__,
    url_prefix="/foundations",
    description="Partner foundations (tenants); operators manage them.",
)
staff = Blueprint(
    "staff", __name__, url_prefix="/staff", description="A foundation's staff; admins manage them."
)
clients = Blueprint(
    "clients",
    __name__,
    url_prefix="/clients",
    description="Clients, family contacts, consent, screening and admission.",
)
reports = Blueprint(
    "reports", __name__, url_prefix="/reports", description="The IPWL compulsory-report recap."
)
audit_log = Blueprint(
    "audit",
    __name__,
    url_prefix="/audit",
    description="Who read or changed client records (admins).",
)

FoundationPage = page_schema(FoundationOut, "FoundationPage")
StaffPage = page_schema(StaffOut, "StaffPage")
ClientPage = page_schema(ClientOut, "ClientPage")
ScreeningPage = page_schema(ScreeningOut, "ScreeningPage")
AuditPage = page_schema(AuditOut, "AuditPage")
# Registration is the busiest write: given a class, webargs would build the schema (and its
# nested ones) for every request, which costs more than loading the body with it.
CLIENT_IN = ClientIn()


@foundations.route("")
class Foundations(MethodView):
    @require_roles(Role.OPERATOR)
    @foundations.arguments(PageArgs, location="query")
    @foundations.response(200, FoundationPage)
    def get(self, page):
        """List foundations (operator)."""
        with runtime().unit_of_work() as uow:
            return paginate(uow.session, select(Foundation).order_by(Foundation.slug), page)

    @require_roles(Role.OPERATOR)
    @foundations.arguments(FoundationIn)
    @foundations.response(201, FoundationOut)
    def post(self, data):
        """Create a foundation (operator)."""
        with runtime().unit_of_work() as uow:
            return foundation_ops.create_foundation(uow, data)


@foundations.route("/<slug>")
class FoundationBySlug(MethodView):
    @require_roles(Role.OPERATOR, *FOUNDATION_ROLES)
    @foundations.response(200, FoundationOut)
    def get(self, slug):
        """One foundation: operators see any, staff only their own."""
        with runtime().unit_of_work() as uow:
            return foundation_ops.visible_foundation(uow.session, current_caller(), slug)

    @require_roles(Role.OPERATOR)
    @foundations.arguments(FoundationPatch)
    @foundations.response(200, FoundationOut)
    def patch(self, data, slug):
        """Change a foundation's name, time zone, locale, quiet hours, sender name or
        ``retention_years`` (operator)."""
        with runtime().unit_of_work() as uow:
            return foundation_ops.update_foundation(uow, slug, data)


@staff.route("")
class StaffList(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @staff.arguments(PageArgs, location="query")
    @staff.response(200, StaffPage)
    def get(self, page):
        """This foundation's staff."""
        with runtime().unit_of_work() as uow:
            return paginate(uow.session, staff_ops.staff_query(tenant()), page)

    @require_roles(Role.ADMIN)
    @staff.arguments(StaffIn)
    @staff.response(201, StaffOut)
    def post(self, data):
        """Add a staff member (admin)."""
        with runtime().unit_of_work() as uow:
            return staff_ops.create_staff(uow, current_caller(), data)


@staff.route("/<staff_id>")
class StaffById(MethodView):
    @require_roles(Role.ADMIN)
    @staff.arguments(StaffPatch)
    @staff.response(200, StaffOut)
    def patch(self, data, staff_id):
        """Change a staff member (admin); ``active: false`` when they leave."""
        with runtime().unit_of_work() as uow:
            return staff_ops.update_staff(uow, current_caller(), staff_id, data)


@clients.route("")
class Clients(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @clients.arguments(ClientListArgs, location="query")
    @clients.arguments(PageArgs, location="query")
    @clients.response(200, ClientPage)
    def get(self, filters, page):
        """This foundation's clients; ``status`` filters, ``q`` matches code or name words."""
        with runtime().unit_of_work() as uow:
            return client_ops.list_clients(uow.session, current_caller(), filters, page)

    @require_roles(*STAFF_WRITERS)
    @clients.arguments(CLIENT_IN)
    @clients.response(201, ClientCreatedOut)
    def post(self, data):
        """Register a client with family contacts and consent.

        Same NIK as a client of this foundation: 409 with ``existing_client_id``. Same date
        of birth and an alike name: created, with ``possible_duplicates``.
        """
        client, duplicates = registration.register_client(runtime(), current_caller(), data)
        client.possible_duplicates = duplicates
        return client


@clients.route("/<client_id>")
class ClientById(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @clients.response(200, ClientOut)
    def get(self, client_id):
        """One client of this foundation (the read is audited)."""
        with runtime().unit_of_work() as uow:
            return client_ops.read_client(uow.session, current_caller(), client_id)

    @require_roles(*STAFF_WRITERS)
    @clients.arguments(ClientPatch)
    @clients.response(200, ClientOut)
    def patch(self, data, client_id):
        """Change some of a client's fields."""
        return client_ops.change_client(runtime(), current_caller(), client_id, data)


@clients.route("/<client_id>/family-contacts")
class FamilyContacts(MethodView):
    @require_roles(*STAFF_WRITERS)
    @clients.arguments(FamilyContactIn)
    @clients.response(201, FamilyContactOut)
    def post(self, data, client_id):
        """Add a family contact (``may_contact: false`` for relatives never to be contacted)."""
        with runtime().unit_of_work() as uow:
            return family_contacts.add_contact(uow, current_caller(), client_id, data)


@clients.route("/<client_id>/family-contacts/<contact_id>")
class FamilyContactById(MethodView):
    @require_roles(*STAFF_WRITERS)
    @clients.arguments(FamilyContactPatch)
    @clients.response(200, FamilyContactOut)
    def patch(self, data, client_id, contact_id):
        """Change a family contact."""
        with runtime().unit_of_work() as uow:
            return family_contacts.update_contact(
                uow, current_caller(), client_id, contact_id, data
            )

    @require_roles(*STAFF_WRITERS)
    @clients.response(204)
    def delete(self, client_id, contact_id):
        """Remove a family contact: its pending messages are cancelled."""
        with runtime().unit_of_work() as uow:
            family_contacts.remove_contact(uow, current_caller(), client_id, contact_id)
        return None


@clients.route("/<client_id>/consent")
class Consent(MethodView):
    @require_roles(*STAFF_WRITERS)
    @clients.arguments(ConsentPut)
    @clients.response(200, ClientOut)
    def put(self, data, client_id):
        """Record the client's (or guardian's) consent; withdrawal cancels family messages."""
        with runtime().unit_of_work() as uow:
            return consent.change_consent(uow, current_caller(), client_id, data)


@clients.route("/<client_id>/consent/history")
class ConsentHistory(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @clients.response(200, ConsentRecordOut(many=True))
    def get(self, client_id):
        """Every consent change, with who recorded it and when."""
        with runtime().unit_of_work() as uow:
            return consent.consent_history(uow.session, current_caller(), client_id)


@clients.route("/<client_id>/screenings")
class Screenings(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @clients.arguments(PageArgs, location="query")
    @clients.response(200, ScreeningPage)
    def get(self, page, client_id):
        """The client's screening history, newest first."""
        with runtime().unit_of_work() as uow:
            return screenings.screening_history(uow.session, current_caller(), client_id, page)

    @require_roles(*STAFF_WRITERS)
    @clients.arguments(ScreeningIn)
    @clients.response(201, ScreeningOut)
    def post(self, data, client_id):
        """Score a DAST-10 or WHO ASSIST v3.1 screening; answers are kept with the result."""
        with runtime().unit_of_work() as uow:
            return screenings.record_screening(uow, current_caller(), client_id, data)


@clients.route("/<client_id>/admission")
class Admission(MethodView):
    @require_roles(*STAFF_WRITERS)
    @clients.arguments(AdmissionIn)
    @clients.response(200, ClientOut)
    def post(self, data, client_id):
        """Admit the client: a new episode of care (also a readmission after discharge)."""
        with runtime().unit_of_work() as uow:
            return admission.admit_client(uow, current_caller(), client_id, data)


@reports.route("/ipwl")
class IpwlRecap(MethodView):
    @require_roles(Role.ADMIN)
    @reports.arguments(IpwlArgs, location="query")
    @reports.response(200)
    def get(self, args):
        """Clients handled in ``[from, to]``; ``?format=csv`` downloads it (admin, audited)."""
        with runtime().unit_of_work() as uow:
            rows = export_recap(
                uow.session, current_caller(), tenant(), args["from_"], args["to"], args["format"]
            )
        if args["format"] == "csv":
            name = f"ipwl-{tenant()}-{args['from_']}-{args['to']}.csv"
            return Response(
                as_csv(rows),
                mimetype="text/csv",
                headers={"Content-Disposition": f'attachment; filename="{name}"'},
            )
        return {
            "from": args["from_"].isoformat(),
            "to": args["to"].isoformat(),
            "items": rows,
            "total": len(rows),
        }


@audit_log.route("")
class AuditLog(MethodView):
    @require_roles(Role.ADMIN)
    @audit_log.arguments(AuditArgs, location="query")
    @audit_log.arguments(PageArgs, location="query")
    @audit_log.response(200, AuditPage)
    def get(self, args, page):
        """Who read or changed what, newest first; ``resource_id`` narrows to one record."""
        with runtime().unit_of_work() as uow:
            return paginate(uow.session, audit.log_query(tenant(), args.get("resource_id")), page)


BLUEPRINTS = (foundations, staff, clients, reports, audit_log)
