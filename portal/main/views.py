from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template
from flask_login import login_required
from sqlalchemy import text

from ..extensions import csrf, db

bp = Blueprint("main", __name__, template_folder="templates")


@bp.get("/")
@login_required
def index():
    return render_template("main/index.html")


@bp.get("/healthz")
@csrf.exempt
def healthz():
    """For load balancers and monitoring: 200 with {"status": "ok", "database": "ok", "jobs": "ok"}
    when this process reaches its database and (JOBS_BACKEND=rq) Redis, 503 otherwise. With
    Redis it also tells how many workers listen and how many jobs wait."""
    body = {"status": "ok", "database": "ok", "jobs": "ok"}
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as exc:  # the database is down or unreachable
        body.update(status="error", database=str(exc.__class__.__name__))
    if current_app.config["JOBS_BACKEND"] == "rq":
        from ..jobs.rq_backend import reachable

        ok, workers, waiting = reachable()
        body.update(workers=workers, queued=waiting)
        if not ok:
            body.update(status="error", jobs="unreachable")
    return jsonify(body), 200 if body["status"] == "ok" else 503
