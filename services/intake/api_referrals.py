"""Intake's routes for the pendamping's brokering: partners, referrals (a transfer when the
partner is another foundation of this deployment) and the report to a compulsory referrer."""

from __future__ import annotations

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from services.intake import partners, referral_views, referrals
from services.intake.clients import get_client
from services.intake.referral_schemas import (
    PartnerIn,
    PartnerListArgs,
    PartnerOut,
    PartnerPatch,
    PartnerReferralIn,
    PartnerReferralListArgs,
    PartnerReferralOut,
    PartnerReferralPatch,
    ReferrerReportArgs,
)
from services.intake.referral_views import find_referral, outgoing_view, view_for
from services.intake.referrer_report import referrer_report
from services.intake.referrer_report_pages import render_html, render_pdf
from shared.auth import (
    FOUNDATION_ROLES,
    STAFF_WRITERS,
    current_caller,
    foundation_of,
    require_roles,
)
from shared.pagination import PageArgs, page_schema, paginate
from shared.vocabulary import Role
from shared.web import runtime

blp = Blueprint(
    "referrals",
    __name__,
    description="Partners, referrals with consent, transfers to another foundation, and "
    "reports to a compulsory referrer.",
)
PartnerPage = page_schema(PartnerOut, "PartnerPage")
ReferralPage = page_schema(PartnerReferralOut, "ReferralPage")


@blp.route("/partners")
class Partners(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @blp.arguments(PartnerListArgs, location="query")
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, PartnerPage)
    def get(self, filters, page):
        """This foundation's partners by name (``active=true``: the ones to refer to)."""
        with runtime().unit_of_work() as uow:
            query = partners.partners_query(foundation_of(current_caller()), filters)
            return paginate(uow.session, query, page)

    @require_roles(Role.ADMIN)
    @blp.arguments(PartnerIn)
    @blp.response(201, PartnerOut)
    def post(self, data):
        """Add a partner (admin); ``foundation_slug`` names another foundation of this
        deployment (kind ``foundation``), which then answers referrals itself."""
        with runtime().unit_of_work() as uow:
            return partners.create_partner(uow, current_caller(), data)


@blp.route("/partners/<partner_id>")
class PartnerById(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @blp.response(200, PartnerOut)
    def get(self, partner_id):
        """One partner of this foundation."""
        with runtime().unit_of_work() as uow:
            return partners.get_partner(uow.session, foundation_of(current_caller()), partner_id)

    @require_roles(Role.ADMIN)
    @blp.arguments(PartnerPatch)
    @blp.response(200, PartnerOut)
    def patch(self, data, partner_id):
        """Change a partner, or deactivate it (``active: false``) (admin)."""
        with runtime().unit_of_work() as uow:
            return partners.update_partner(uow, current_caller(), partner_id, data)


@blp.route("/clients/<client_id>/referrals")
class ClientReferrals(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, ReferralPage)
    def get(self, page, client_id):
        """The client's referrals, newest first."""
        with runtime().unit_of_work() as uow:
            caller = current_caller()
            client = get_client(uow.session, foundation_of(caller), client_id)
            filters = {"direction": "outgoing", "client_id": client.id}
            return referral_views.list_referrals(uow.session, caller, filters, page)

    @require_roles(*STAFF_WRITERS)
    @blp.arguments(PartnerReferralIn)
    @blp.response(201, PartnerReferralOut)
    def post(self, data, client_id):
        """Refer the client to a partner, sharing the parts named in ``share``.

        Without the client's consent only an admin refers, giving ``override_reason``
        (422 ``consent_required`` otherwise). An open referral of the client to the same
        partner: 409 ``referral_open``.
        """
        with runtime().unit_of_work() as uow:
            referral, client = referrals.refer_client(uow, current_caller(), client_id, data)
            return outgoing_view(referral, client.code)


@blp.route("/referrals")
class Referrals(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @blp.arguments(PartnerReferralListArgs, location="query")
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, ReferralPage)
    def get(self, filters, page):
        """This foundation's referrals, newest first: ``outgoing`` (default), as it made
        them, or ``incoming`` (admins): other foundations' referrals to it, pseudonymised
        until it accepts (no name, NIK, birth date, phone or address)."""
        with runtime().unit_of_work() as uow:
            return referral_views.list_referrals(uow.session, current_caller(), filters, page)


@blp.route("/referrals/<referral_id>")
class ReferralById(MethodView):
    @require_roles(*FOUNDATION_ROLES)
    @blp.response(200, PartnerReferralOut)
    def get(self, referral_id):
        """One referral, as the caller's side sees it."""
        with runtime().unit_of_work() as uow:
            referral, side = find_referral(uow.session, current_caller(), referral_id)
            return view_for(uow.session, referral, side)

    @require_roles(*STAFF_WRITERS)
    @blp.arguments(PartnerReferralPatch)
    @blp.response(200, PartnerReferralOut)
    def patch(self, data, referral_id):
        """Answer or close a referral: ``accepted`` or ``rejected`` by the receiving side (a
        foundation partner's admins; for another partner the sender records its answer),
        ``done`` by either side once accepted, ``revoked`` by the sender while pending or
        accepted (409 ``invalid_transition`` otherwise). A foundation's acceptance
        registers the client there with the shared parts."""
        with runtime().unit_of_work() as uow:
            referral, side = referrals.change_referral(uow, current_caller(), referral_id, data)
            return view_for(uow.session, referral, side)


@blp.route("/clients/<client_id>/referrer-report")
class ReferrerReport(MethodView):
    @require_roles(Role.ADMIN)
    @blp.arguments(ReferrerReportArgs, location="query")
    @blp.response(200)
    def get(self, args, client_id):
        """How a compulsorily referred client's rehabilitation goes, for the court, police
        or BNN that ordered it: attendance counts, treatment status and dates, follow-up
        outcomes; never notes, screening answers or family data (admin, each download
        audited). ``?format=html|pdf`` prints it in ``?lang=`` or the foundation's language.
        A client not referred compulsorily: 404 ``not_compulsory``."""
        fmt = args["format"]
        with runtime().unit_of_work() as uow:
            report, locale, timezone = referrer_report(uow.session, current_caller(), client_id)
        if fmt == "json":
            return report
        lang = args.get("lang") or locale
        name = f"referrer-report-{report['client']['code']}.{fmt}"
        headers = {"Content-Disposition": f'attachment; filename="{name}"'}
        if fmt == "pdf":
            pdf = render_pdf(report, lang, timezone)
            return Response(pdf, mimetype="application/pdf", headers=headers)
        return Response(render_html(report, lang, timezone), mimetype="text/html", headers=headers)


BLUEPRINTS = (blp,)
