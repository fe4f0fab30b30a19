"""The jobs API under /api/v1/jobs: how far a background job (e.g. an import sent with
background=true) has got, and its result once done.

Any role may read a job; a client token sees only its own company's jobs (Job is TenantScoped:
another client's id answers 404), internal users see every job, as on the /jobs pages.
"""
from __future__ import annotations

from flask import jsonify, request, url_for
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from ..api.auth import api_roles
from ..auth.access import ANY_ROLE
from ..extensions import csrf, db
from .models import Job
from .schemas import BackgroundSchema, JobSchema

blp = Blueprint("api_jobs", __name__, description="Background jobs (imports...): progress and result")
csrf.exempt(blp)


@blp.route("/<int:job_id>")
class JobView(MethodView):
    @api_roles(*ANY_ROLE)
    @blp.response(200, JobSchema)
    def get(self, job_id: int):
        """One background job: status, progress and, once done, its result.

        Poll it until `status` is done or failed (queued and running come first). `result` of
        an import: ok true with the counts, or ok false with the errors (nothing imported).
        A client token sees its own company's jobs only: another id answers 404."""
        return db.get_or_404(Job, job_id)


def background_requested(query: dict) -> bool:
    """The import endpoints' `background` flag: from the query string (already parsed into
    `query`) or from a form field of the multipart upload (a bad value answers 422)."""
    if query.get("background"):
        return True
    if "background" not in request.form:
        return False
    return blp.ARGUMENTS_PARSER.parse(BackgroundSchema(), location="form")["background"]


def accepted(started: tuple[int | None, list[str]]):
    """The answer to an import sent with background=true, from its `start_import`: 422 with
    errors.file when the file is unusable, else (committed) 202 with the job's JSON and a
    Location header to the job."""
    job_id, errors = started
    if errors:
        abort(422, message=" ".join(errors), errors={"file": errors})
    db.session.commit()
    response = jsonify(JobSchema().dump(db.get_or_404(Job, job_id)))
    response.status_code = 202
    response.headers["Location"] = url_for("api_jobs.JobView", job_id=job_id)
    return response
