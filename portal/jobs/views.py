from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_login import login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..labels import label
from .models import STATES, Job
from .runner import page_options

bp = Blueprint("jobs", __name__, template_folder="templates")


@bp.context_processor
def job_pages():
    def job_title(name: str) -> str:
        """The title a job registered, else its label in portal/labels.py (else its name)."""
        return str(page_options(name)["title"] or label("job", name))

    return {"job_title": job_title}


@bp.get("/jobs")
@login_required
def index():
    """Background work, newest first: everything for internal users; a client's users see
    their own company's jobs only (Job is TenantScoped)."""
    status = request.args.get("status", "")
    stmt = select(Job).options(joinedload(Job.created_by), joinedload(Job.client)).order_by(Job.id.desc())
    if status in STATES:
        stmt = stmt.where(Job.status == status)
    else:
        status = ""
    page = db.paginate(stmt, per_page=current_app.config["PAGE_SIZE"])
    return render_template("jobs/index.html", page=page, status=status, states=STATES)


@bp.get("/jobs/<int:job_id>")
@login_required
def show(job_id: int):
    """A job's progress; the progress panel refreshes itself (htmx) until the job ends.
    Tenancy: a client's job is visible to that client only (Job is TenantScoped)."""
    job = db.get_or_404(Job, job_id)
    template = "jobs/_progress.html" if request.headers.get("HX-Request") else "jobs/show.html"
    return render_template(template, job=job, result_template=page_options(job.name)["result_template"])
