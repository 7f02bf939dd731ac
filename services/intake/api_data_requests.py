"""Intake's routes for a client's personal-data rights (UU PDP): access and erasure
requests, their exports and the confirmation of a proposed erasure. Admins only."""

from __future__ import annotations

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from services.intake import data_request_views as views
from services.intake import data_requests
from services.intake.data_export import export_of
from services.intake.data_request_schemas import (
    ConfirmIn,
    DataRequestIn,
    DataRequestListArgs,
    DataRequestOut,
    ExportArgs,
)
from services.intake.export_html import render_export
from services.intake.foundations import find_foundation
from services.intake.models import Client
from shared.auth import current_caller, require_roles
from shared.db import utcnow
from shared.pagination import PageArgs, page_schema
from shared.vocabulary import Role
from shared.web import runtime

blp = Blueprint(
    "data_requests",
    __name__,
    description="A client's personal-data rights (UU PDP 27/2022): access and erasure.",
)
DataRequestPage = page_schema(DataRequestOut, "DataRequestPage")


@blp.route("/clients/<client_id>/data-requests")
class ClientDataRequests(MethodView):
    @require_roles(Role.ADMIN)
    @blp.arguments(DataRequestIn)
    @blp.response(202, DataRequestOut)
    def post(self, data, client_id):
        """Open an access or erasure request for the client (answered within 72 hours).

        An erasure while the client is admitted or placed: 409 ``client_admitted``.
        Another open request of the same kind: 409 ``data_request_open``.
        """
        with runtime().unit_of_work() as uow:
            request, client = data_requests.open_request(uow, current_caller(), client_id, data)
            return views.request_view(request, client.code, utcnow())


@blp.route("/data-requests")
class DataRequests(MethodView):
    @require_roles(Role.ADMIN)
    @blp.arguments(DataRequestListArgs, location="query")
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, DataRequestPage)
    def get(self, filters, page):
        """This foundation's data requests, newest first (``late=true``: the late ones)."""
        with runtime().unit_of_work() as uow:
            return views.list_requests(uow.session, current_caller(), filters, page)


@blp.route("/data-requests/<request_id>")
class DataRequestById(MethodView):
    @require_roles(Role.ADMIN)
    @blp.response(200, DataRequestOut)
    def get(self, request_id):
        """One data request: its status, the parts each service answered, whether late."""
        with runtime().unit_of_work() as uow:
            return views.read_request(uow.session, current_caller(), request_id)


@blp.route("/data-requests/<request_id>/confirm")
class ConfirmDataRequest(MethodView):
    @require_roles(Role.ADMIN)
    @blp.arguments(ConfirmIn)
    @blp.response(200, DataRequestOut)
    def post(self, data, request_id):
        """Confirm an erasure the retention sweep proposed, typing the client's code."""
        request, client = data_requests.confirm_request(
            runtime(), current_caller(), request_id, data
        )
        return views.request_view(request, client.code, utcnow())


@blp.route("/data-requests/<request_id>/export")
class DataRequestExport(MethodView):
    @require_roles(Role.ADMIN)
    @blp.arguments(ExportArgs, location="query")
    @blp.response(200)
    def get(self, args, request_id):
        """Everything the services hold about the client, once every one has answered
        (``?format=html``: a printable copy, in ``?lang=`` or the foundation's language).
        Every download is audited."""
        with runtime().unit_of_work() as uow:
            export, request = export_of(uow.session, current_caller(), request_id)
            if args["format"] != "html":
                return export
            foundation = find_foundation(uow.session, request.foundation)
            code = uow.session.get(Client, request.client_id).code
            page = render_export(
                export,
                args.get("lang") or (foundation.locale if foundation else "id"),
                foundation.name if foundation else request.foundation,
                code,
            )
        name = f"data-request-{request.id}.html"
        return Response(
            page,
            mimetype="text/html",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )


BLUEPRINTS = (blp,)
