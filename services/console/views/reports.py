"""Reports: caseload per case worker, obstacles met, outcomes; the IPWL recap as CSV."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, render_template

from services.console.charts import bar_chart
from services.console.context import account, api, roles_required, timezone_name
from services.console.forms.reports import PeriodForm
from services.console.i18n import label, t
from services.console.views.common import names_by_id, section
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
    )


@bp.get("/ipwl.csv")
@roles_required("admin")
def ipwl_csv():
    """The IPWL recap for the period, as the intake service writes it (admins)."""
    _form, start, end = _period()
    answer = api().request(
        "intake", "GET", "/reports/ipwl", params={"from": start, "to": end, "format": "csv"}
    )
    name = f"ipwl-{account().foundation}-{start}-{end}.csv"
    return Response(
        answer.content,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
