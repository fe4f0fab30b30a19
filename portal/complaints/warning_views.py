"""Early warnings for quality under /early-warnings: the list, the evidence, acknowledge /
note an action / close, and running the detection now."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import audit
from ..auth.access import roles_required
from ..db import utcnow
from ..extensions import db
from ..jobs import enqueue
from .forms import WarningActionForm
from .models import EarlyWarning

bp = Blueprint("warnings", __name__, url_prefix="/early-warnings", template_folder="templates")
QUALITY = ("quality", "staff", "admin")
# action -> (allowed sources, target)
ACTIONS = {"acknowledge": (("open",), "acknowledged"), "note": (("open", "acknowledged"), None),
           "close": (("open", "acknowledged"), "closed")}


@bp.get("/")
@roles_required(*QUALITY)
def index():
    status = request.args.get("status", "active")
    query = select(EarlyWarning).options(joinedload(EarlyWarning.model), joinedload(EarlyWarning.batch))
    if status == "active":
        query = query.where(EarlyWarning.status.in_(("open", "acknowledged")))
    elif status in ("open", "acknowledged", "closed"):
        query = query.where(EarlyWarning.status == status)
    page = db.paginate(query.order_by(EarlyWarning.id.desc()), per_page=current_app.config["PAGE_SIZE"])
    return render_template("complaints/warnings.html", page=page, status=status)


@bp.get("/<int:warning_id>")
@roles_required(*QUALITY)
def detail(warning_id: int):
    warning = db.get_or_404(EarlyWarning, warning_id)
    return render_template("complaints/warning.html", w=warning, form=WarningActionForm())


@bp.post("/<int:warning_id>/<action>")
@roles_required(*QUALITY)
def act(warning_id: int, action: str):
    warning = db.get_or_404(EarlyWarning, warning_id)
    if action not in ACTIONS:
        abort(404)
    sources, target = ACTIONS[action]
    form = WarningActionForm()
    note = (form.note.data or "").strip() if form.validate_on_submit() else ""
    if warning.status not in sources:
        flash(_("This warning is %(status)s; that action is not possible.", status=_(warning.status)), "danger")
        return redirect(url_for("warnings.detail", warning_id=warning.id)), 303
    if action in ("note", "close") and not note:
        flash(_("Write the action taken."), "danger")
        return render_template("complaints/warning.html", w=warning, form=form), 422
    if note:
        stamp = utcnow().strftime("%Y-%m-%d %H:%M")
        warning.action_note = (warning.action_note + "\n" if warning.action_note else "") + \
            f"[{stamp} {current_user.name}] {note}"
    if action == "acknowledge":
        warning.acknowledged_at, warning.acknowledged_by_id = utcnow(), current_user.id
    if action == "close":
        warning.closed_at = utcnow()
    if target:
        warning.status = target
    audit.record(f"warning.{action}", warning, note=note[:500])
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for("warnings.detail", warning_id=warning.id))


@bp.post("/run")
@roles_required(*QUALITY)
def run():
    job = enqueue("complaints.detect_warnings")
    db.session.commit()
    return redirect(url_for("jobs.show", job_id=job.id))
