"""The console's pages, one blueprint per area."""

from services.console.views import (
    auth,
    calendar,
    care,
    caseload,
    clients,
    conversations,
    data_requests,
    family,
    outreach,
    programmes,
    referrals,
    reports,
    staff,
)

BLUEPRINTS = (
    auth.bp,
    caseload.bp,
    clients.bp,
    care.bp,
    family.bp,
    conversations.bp,
    outreach.bp,
    calendar.bp,
    programmes.bp,
    reports.bp,
    staff.bp,
    data_requests.bp,
    referrals.bp,
)
