"""Demand forecast pages (internal): the periodic stock review, one part's chart, and
starting the forecast of every part as a background job."""
from __future__ import annotations

from flask import current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.access import STAFF, roles_required
from ..catalogue.models import Part
from ..extensions import db
from ..jobs import enqueue
from .forecast import installed_base, forecast_parts, review_query
from .forms import ForecastForm
from .models import PartForecast
from .views import WRITERS, bp

VERDICTS = ("under", "over", "ok")


@bp.get("/forecast")
@roles_required(*STAFF)
def forecast():
    verdict = request.args.get("verdict") if request.args.get("verdict") in VERDICTS else None
    page = db.paginate(review_query(verdict), per_page=current_app.config["PAGE_SIZE"])
    return render_template("parts/forecast.html", page=page, verdict=verdict, form=ForecastForm(),
                           can_run=current_user.role in WRITERS)


@bp.post("/forecast/run")
@roles_required(*WRITERS)
def run_forecast():
    form = ForecastForm()
    if not form.validate_on_submit():
        page = db.paginate(review_query(None), per_page=current_app.config["PAGE_SIZE"])
        return render_template("parts/forecast.html", page=page, verdict=None, form=form, can_run=True), 422
    job = enqueue("parts.forecast", method=form.method.data, service_level=str(form.service_level.data))
    db.session.commit()  # the job row (and, when run eagerly, its results)
    return redirect(url_for("jobs.show", job_id=job.id))


@bp.get("/forecast/<int:part_id>")
@roles_required(*STAFF)
def forecast_part(part_id: int):
    part = db.get_or_404(Part, part_id)
    stored = db.session.get(PartForecast, part_id)
    if stored is None:
        stored = forecast_parts([part_id])[0]
        db.session.commit()
        stored = db.session.get(PartForecast, part_id)
    ends = [end for _units, end in installed_base([part_id]).get(part_id, []) if end is not None]
    return render_template("parts/forecast_part.html", part=part, forecast=stored, part_models_end=bool(ends))


@bp.get("/forecast/<int:part_id>/chart.json")
@roles_required(*STAFF)
def forecast_chart(part_id: int):
    stored = db.get_or_404(PartForecast, part_id)
    series = stored.series
    start = series["start"]
    labels = [f"{(start + i) // 12}-{(start + i) % 12 + 1:02d}"
              for i in range(len(series["history"]) + len(series["forecast"]))]
    return jsonify(labels=labels, history=series["history"], forecast=series["forecast"])
