"""Reports: caseload per case worker, obstacles met, outcomes, engagement (started, engaged,
retained; caseloads beside the staffing norm); the IPWL recap as CSV."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, render_template

from services.console import engagement
from services.console.charts import against_norm, bar_chart, grouped_rates
from services.console.context import account, api, roles_required, timezone_name
from services.console.forms.reports import PeriodForm
from services.console.i18n import label, t
from services.console.views.common import attachment, names_by_id, section
from shared.db import utcnow
from shared.fields import EARLIEST
from shared.vocabulary import Obstacle

bp = Blueprint("reports", __name__, url_prefix="/reports")
DEFAULT_PERIOD_DAYS = 90


def _period() -> tuple[PeriodForm, str, str]:
    form = PeriodForm()
    form.validate()
    today = utcnow().astimezone(ZoneInfo(timezone_name())).date()
    end = form.end.data or today
    start = form.start.data or max(EARLIEST, end - timedelta(days=DEFAULT_PERIOD_DAYS))
    if start > end:
        start, end = end, start
    return form, start.isoformat(), end.isoformat()


@bp.get("")
def index():
    form, start, end = _period()
    notices: list[str] = []
    staff = names_by_id(
        section(lambda: api().items("intake", "/staff"), notices, "intake") or [], "name"
    )
    caseload = api().get("assessment", "/reports/caseload")
    obstacles = api().get("assessment", "/reports/obstacles", **{"from": start, "to": end})
    outcomes = api().get("assessment", "/reports/outcomes")
    engaged = section(
        lambda: api().get("assessment", "/reports/engagement", **{"from": start, "to": end}),
        notices,
        "assessment",
    )
    workers = [
        (staff.get(row["case_worker_id"] or "", t("reports.no_case_worker")), row["total"])
        for row in caseload["case_workers"]
    ]
    followup_rows = [  # a stage nobody was reached at yet has no share to draw
        (t("reports.after_days", days=stage["offset_days"]), stage["abstinent_share"])
        for stage in outcomes["followups"]
        if stage["abstinent_share"] is not None
    ]
    return render_template(
        "reports.html",
        form=form,
        start=start,
        end=end,
        notices=notices,
        caseload=caseload,
        staff=staff,
        outcomes=outcomes,
        caseload_chart=bar_chart(workers),
        obstacles_chart=bar_chart(
            [(label("obstacle", o), obstacles["by_obstacle"].get(o, 0)) for o in Obstacle]
        ),
        outcomes_chart=bar_chart(followup_rows, percent=True),
        reasons_chart=bar_chart(
            [(label("discharge", k), v) for k, v in sorted(outcomes["by_reason"].items())]
        ),
        obstacles=obstacles,
        **_engagement(engaged, staff),
    )


def _engagement(report: dict[str, Any] | None, staff: dict[str, str]) -> dict[str, Any]:
    """The engagement section: its tables' rows and their charts (``engagement`` is
    ``None`` when assessment gives no such report)."""
    if report is None:
        return {"engagement": None}
    stages = [t(f"engagement.{stage}") for stage in engagement.STAGES]
    programmes = engagement.by_programme(report, t("engagement.not_placed"))
    workers = engagement.by_case_worker(report, staff, t("reports.no_case_worker"))
    caseloads = engagement.caseloads(report, staff)
    return {
        "engagement": report,
        "stages": engagement.STAGES,
        "overall": engagement.tally(report.get("overall") or {}, ""),
        "programme_tallies": programmes,
        "worker_tallies": workers,
        "caseloads": caseloads,
        "over_norm": engagement.over_norm(caseloads),
        "programme_chart": grouped_rates(
            [(row.name, list(zip(stages, row.rates(), strict=True))) for row in programmes]
        ),
        "worker_chart": grouped_rates(
            [(row.name, list(zip(stages, row.rates(), strict=True))) for row in workers]
        ),
        "norm_chart": against_norm([(row.name, row.clients, row.norm) for row in caseloads]),
    }


@bp.get("/ipwl.csv")
@roles_required("admin")
def ipwl_csv():
    """The IPWL recap for the period, as the intake service writes it (admins)."""
    _form, start, end = _period()
    answer = api().request(
        "intake", "GET", "/reports/ipwl", params={"from": start, "to": end, "format": "csv"}
    )
    name = f"ipwl-{account().foundation}-{start}-{end}.csv"
    return attachment(answer.content, name, "text/csv")
