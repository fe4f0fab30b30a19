from __future__ import annotations

from flask import Blueprint, jsonify, render_template
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
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as exc:  # the database is down or unreachable
        return jsonify(status="error", database=str(exc.__class__.__name__)), 503
    return jsonify(status="ok")
