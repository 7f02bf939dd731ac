"""The early warning's HTTP routes: a client's flag, the foundation's flagged clients, and
the thresholds (admins set them; all staff read them)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from services.assessment.risk_read import client_risk, flagged_clients
from services.assessment.risk_schemas import (
    RiskListArgs,
    RiskOut,
    RiskSettingsIn,
    RiskSettingsOut,
)
from services.assessment.risk_settings import risk_settings, save_risk_settings
from shared.auth import FOUNDATION_ROLES, current_caller, require_roles, tenant
from shared.db import utcnow
from shared.pagination import PageArgs, page_schema
from shared.vocabulary import Role
from shared.web import runtime

risk = Blueprint(
    "risk",
    __name__,
    description="Early warning: clients' risk flags with their reasons, and the thresholds.",
)

RiskPage = page_schema(RiskOut, "RiskPage")


@risk.route("/clients/<client_id>/risk")
class ClientRisk(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @risk.response(200, RiskOut)
    def get(self, client_id):
        """The client's flag: level (none, watch, high), the reasons that hold (each in
        English as ``detail`` and in both languages as ``details``) and the latest outreach
        that reached the client since they began."""
        with runtime().unit_of_work() as uow:
            return client_risk(uow.session, tenant(), client_id, utcnow())


@risk.route("/risk")
class FlaggedClients(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @risk.arguments(RiskListArgs, location="query")
    @risk.arguments(PageArgs, location="query")
    @risk.response(200, RiskPage)
    def get(self, args, page):
        """The foundation's flagged clients: high first, then watch; the caller's own
        clients first within a level."""
        with runtime().unit_of_work() as uow:
            caller = current_caller()
            return flagged_clients(uow.session, tenant(), caller.sub, args.get("level"), page)


@risk.route("/risk/settings")
class RiskSettings(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @risk.response(200, RiskSettingsOut)
    def get(self):
        """The thresholds in force, beside the defaults."""
        with runtime().unit_of_work() as uow:
            return risk_settings(uow.session, tenant())

    @require_roles(Role.ADMIN)
    @risk.arguments(RiskSettingsIn)
    @risk.response(200, RiskSettingsOut)
    def put(self, data):
        """Set the thresholds (admin): each a whole number within its bounds; one left out
        is the default. The foundation's flags are recomputed right after."""
        with runtime().unit_of_work() as uow:
            return save_risk_settings(uow, tenant(), current_caller().sub, data)


BLUEPRINTS = (risk,)
