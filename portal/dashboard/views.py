"""The service dashboard under /dashboard: the team sees every client (filter by client and
period), a client user its own figures only. Charts read the JSON in a data- attribute
(portal/static/dashboard.js); the same figures export as XLSX."""
from __future__ import annotations

import json
from datetime import date

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..auth.access import ANY_ROLE, roles_required
from ..clients.models import Client
from ..extensions import db
from ..labels import label
from ..tabular import spreadsheet_response
from .kpis import THRESHOLDS, Scope, dashboard

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard", template_folder="templates")
MAX_DAYS = 3 * 366


def default_period(today: date) -> tuple[date, date]:
    month = today.month - 6
    return date(today.year + (month - 1) // 12, (month - 1) % 12 + 1, 1), today


def parse_scope() -> tuple[Scope, dict, Client | None]:
    """The period and client asked for; errors by field (nothing computed when there are any)."""
    errors = {}
    start, end = default_period(date.today())
    for name in ("start", "end"):
        raw = request.args.get(name, "").strip()
        if raw:
            try:
                value = date.fromisoformat(raw)
            except ValueError:
                errors[name] = _("Enter a date as YYYY-MM-DD.")
                continue
            if name == "start":
                start = value
            else:
                end = value
    if not errors and start > end:
        errors["end"] = _("The end must not be before the start.")
    elif not errors and (end - start).days > MAX_DAYS:
        errors["end"] = _("Choose a period of at most three years.")
    client = None
    raw_client = request.args.get("client", "").strip()
    if current_user.is_client:
        client = current_user.client
        if raw_client and raw_client != str(client.id):
            abort(404)
    elif raw_client:
        if not raw_client.isdigit():
            abort(404)
        client = db.get_or_404(Client, int(raw_client))
    return Scope(start, end, client.id if client else None), errors, client


def chart_payload(data: dict) -> str:
    pareto = data["pareto"][:10]
    return json.dumps({
        "pareto": {"labels": [str(label("fault_cause", p["cause"])) if p["cause"] != "unknown" else _("Not recorded")
                              for p in pareto],
                   "counts": [p["count"] for p in pareto],
                   "cumulative": [float(p["cumulative"]) for p in pareto],
                   "countLabel": _("Failures"), "cumulativeLabel": _("Cumulative %")},
        "trend": {"labels": data["trend"]["months"], "series": data["trend"]["series"],
                  "yLabel": _("Failures per 100 units installed")},
        "batches": {"labels": data["batch_trend"]["months"], "series": data["batch_trend"]["series"],
                    "yLabel": _("Failures per 100 units installed")},
    })


@bp.get("/")
@roles_required(*ANY_ROLE)
def index():
    scope, errors, client = parse_scope()
    clients = [] if current_user.is_client else db.session.scalars(select(Client).order_by(Client.code)).all()
    if errors:
        return render_template("dashboard/index.html", errors=errors, scope=scope, client=client, clients=clients,
                               data=None, thresholds=THRESHOLDS), 400
    data = dashboard(scope)
    return render_template("dashboard/index.html", errors={}, scope=scope, client=client, clients=clients,
                           data=data, chart=chart_payload(data), thresholds=THRESHOLDS)


def export_rows(data: dict):
    c = data["complaints"]
    yield [_("Complaint rate (%)"), c["complaint_rate"], f'{c["opened"]} / {c["shipments"]}', "≤ 10",
           c["status"]["complaint_rate"]]
    yield [_("Resolution rate (%)"), c["resolution_rate"], f'{c["on_time"]} / {c["due"]}', "≥ 90",
           c["status"]["resolution_rate"]]
    yield [_("Satisfaction"), c["satisfaction"], c["scored"], "≥ 70", c["status"]["satisfaction"]]
    yield [_("Claim acceptance rate (%)"), data["claims"]["rate"],
           f'{data["claims"]["accepted"]} / {data["claims"]["accepted"] + data["claims"]["rejected"]}', "", ""]
    yield [_("RMA turnaround (days)"), data["rma"]["mean_days"], data["rma"]["count"], "", ""]
    for p in data["pareto"]:
        yield [_("Fault cause: %(cause)s", cause=label("fault_cause", p["cause"])), p["count"], p["cumulative"], "", ""]
    for key in ("trend", "batch_trend"):
        for s in data[key]["series"]:
            for month, value in zip(data[key]["months"], s["data"]):
                yield [_("Failure rate %(model)s %(month)s (%%)", model=s["label"], month=month), value, "", "", ""]


@bp.get("/export.xlsx")
@roles_required(*ANY_ROLE)
def export():
    scope, errors, client = parse_scope()
    if errors:
        abort(400)
    data = dashboard(scope)
    name = f"dashboard-{client.code if client else 'all'}-{scope.start}-{scope.end}.xlsx"
    return spreadsheet_response([_("Figure"), _("Value"), _("Basis"), _("Threshold"), _("Status")],
                                export_rows(data), name)
