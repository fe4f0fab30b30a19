from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import login_required

from ..extensions import db
from .models import Job

bp = Blueprint("jobs", __name__, template_folder="templates")


@bp.get("/jobs/<int:job_id>")
@login_required
def show(job_id: int):
    """A job's progress; the progress panel refreshes itself (htmx) until the job ends.
    Tenancy: a client's job is visible to that client only (Job is TenantScoped)."""
    job = db.get_or_404(Job, job_id)
    template = "jobs/_progress.html" if request.headers.get("HX-Request") else "jobs/show.html"
    return render_template(template, job=job)
