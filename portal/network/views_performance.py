"""Station performance over a chosen period, with a chart."""
from __future__ import annotations

import json
from datetime import date, timedelta

from flask import render_template, request
from flask_babel import gettext as _

from ..auth.access import STAFF, roles_required
from .performance import chart_data, station_performance
from .views import bp, today


def _period() -> tuple[date, date, str | None]:
    end_default = today()
    start_default = end_default - timedelta(days=90)
    try:
        start = date.fromisoformat(request.args["start"]) if request.args.get("start") else start_default
        end = date.fromisoformat(request.args["end"]) if request.args.get("end") else end_default
    except ValueError:
        return start_default, end_default, _("Enter the dates as YYYY-MM-DD.")
    if start > end:
        return start_default, end_default, _("The start of the period is after its end.")
    if (end - start).days > 3 * 366:
        return start_default, end_default, _("Choose a period of at most three years.")
    return start, end, None


@bp.get("/performance")
@roles_required(*STAFF)
def performance():
    start, end, error = _period()
    report = station_performance(start, end)
    chart = chart_data(report, {"repeat": _("Repeat repairs within 30 days (%)"),
                                "rejection": _("Claim rejection rate (%)"),
                                "ftf": _("On-site first-time fix (%)")})
    kind = request.args.get("kind", "")
    show_all = request.args.get("all") == "1"
    rows = [r for r in report.rows if not kind or r.kind == kind]
    with_figures = [r for r in rows if r.has_figures]
    hidden = 0 if show_all else len(rows) - len(with_figures)
    return render_template("network/performance.html", report=report, rows=rows if show_all else with_figures,
                           kind=kind, show_all=show_all, hidden=hidden, error=error,
                           chart=json.dumps(chart), start=start, end=end), (422 if error else 200)
