"""Statement pages: the PDF and XLSX downloads of a settlement (finance: drafts as
previews too; clients: their own issued documents), sending the PDF by e-mail (finance),
and issuing every statement of a period as a background job (finance)."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.access import roles_required
from ..extensions import db
from ..jobs import Job, enqueue
from ..settlements.services import FINANCE, READERS, get_settlement
from .forms import IssuePeriodForm, SendForm
from .jobs import JOB_NAME
from .services import StatementError, send_statement, statement_file

bp = Blueprint("statements", __name__, template_folder="templates")


def download(settlement, kind: str) -> Response:
    rendered = statement_file(settlement, kind)
    db.session.commit()  # the first download stores the file
    response = Response(rendered.data, mimetype=rendered.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
    response.headers["X-Content-SHA256"] = rendered.sha256
    if settlement.status == "issued":
        response.set_etag(rendered.sha256)
        response.headers["Cache-Control"] = "private, max-age=86400"
    else:
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/settlements/<int:settlement_id>/pdf")
@roles_required(*READERS)
def pdf(settlement_id: int):
    return download(get_settlement(settlement_id, issued_only=current_user.is_client), "pdf")


@bp.get("/settlements/<int:settlement_id>/xlsx")
@roles_required(*READERS)
def xlsx(settlement_id: int):
    return download(get_settlement(settlement_id, issued_only=current_user.is_client), "xlsx")


@bp.post("/settlements/<int:settlement_id>/send")
@roles_required(*FINANCE)
def send(settlement_id: int):
    settlement = get_settlement(settlement_id, issued_only=False)
    if not SendForm().validate_on_submit():
        flash(_("The form has expired; please try again."), "warning")
        return redirect(url_for("settlements.detail", settlement_id=settlement_id))
    try:
        send_statement(settlement)
    except StatementError as exc:
        db.session.rollback()
        flash(exc.message, "danger")
        return redirect(url_for("settlements.detail", settlement_id=settlement_id))
    db.session.commit()
    flash(_("%(number)s has been sent to %(email)s.", number=settlement.number,
            email=settlement.client.contact_email), "success")
    return redirect(url_for("settlements.detail", settlement_id=settlement_id))


@bp.route("/statements/issue-period", methods=["GET", "POST"])
@roles_required(*FINANCE)
def issue_period():
    form = IssuePeriodForm()
    if form.validate_on_submit():
        row = enqueue(JOB_NAME, period_start=form.period_start.data.isoformat(), user_id=current_user.id)
        db.session.commit()
        return redirect(url_for("jobs.show", job_id=row.id))
    status = 422 if form.is_submitted() else 200
    return render_template("statements/issue_period.html", form=form), status


@bp.get("/statements/runs/<int:job_id>")
@roles_required(*FINANCE)
def run(job_id: int):
    job = db.get_or_404(Job, job_id)
    if job.name != JOB_NAME:
        abort(404)
    result = job.result or {}
    try:
        period = date.fromisoformat(result.get("period_start") or job.kwargs.get("period_start", ""))
    except (TypeError, ValueError):
        period = None
    return render_template("statements/run.html", job=job, result=result, period=period)
