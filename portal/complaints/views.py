"""Pages of complaints (clients: their own; the team: all) under /complaints."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..auth.access import roles_required
from ..auth.models import User
from ..clients.models import Client
from ..extensions import db
from . import states
from .forms import AnalysisForm, CloseForm, CompensateForm, ComplaintForm, EscalateForm, ReopenForm
from .models import Complaint
from .services import ComplaintError, ComplaintInput, apply, open_complaint

bp = Blueprint("complaints", __name__, url_prefix="/complaints", template_folder="templates")
READERS = ("client_admin", "client_user", "staff", "quality", "admin")
TEAM = ("staff", "quality", "admin")
FORMS = {"analyse": AnalysisForm, "escalate": EscalateForm, "compensate": CompensateForm, "close": CloseForm,
         "reopen": ReopenForm, "resolve": AnalysisForm}


def _assignees():
    return [(u.id, f"{u.name} ({u.role})") for u in db.session.scalars(
        select(User).where(User.client_id.is_(None), User.active.is_(True),
                           User.role.in_(("quality", "staff", "admin")))
        .order_by(User.name))]


def _action_forms(complaint):
    forms = {}
    for action in states.allowed_actions(complaint.status):
        form = FORMS[action](prefix=action)
        if action == "escalate":
            form.assignee.choices = _assignees()
        if action in ("analyse", "resolve") and request.method == "GET":
            for name in ("emergency_fix", "root_cause", "improvement_plan", "responsibility", "department"):
                getattr(form, name).data = getattr(complaint, name) or ""
        forms[action] = form
    return forms


@bp.get("/")
@roles_required(*READERS)
def index():
    query = select(Complaint).options(joinedload(Complaint.client)).order_by(Complaint.id.desc())
    status = request.args.get("status", "")
    if status in states.STATES:
        query = query.where(Complaint.status == status)
    page = db.paginate(query, per_page=current_app.config["PAGE_SIZE"])
    return render_template("complaints/index.html", page=page, status=status, states=states.STATES)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*READERS)
def new():
    form = ComplaintForm()
    if current_user.is_client:
        del form.client
    else:
        form.client.choices = [(c.id, f"{c.code} {c.name}") for c in db.session.scalars(
            select(Client).where(Client.active.is_(True)).order_by(Client.code))]
    if form.validate_on_submit():
        client = current_user.client if current_user.is_client else db.session.get(Client, form.client.data)
        if client is None:
            form.client.errors.append(_("Choose a client."))
        else:
            data = ComplaintInput(title=form.title.data, description=form.description.data, level=form.level.data,
                                  models_text=form.models_text.data or "", batches_text=form.batches_text.data or "",
                                  serials_text=form.serials_text.data or "", category=form.category.data or None,
                                  fault_cause=form.fault_cause.data or None)
            try:
                complaint = open_complaint(client, data, user=current_user)
            except ComplaintError as exc:
                form.models_text.errors.append(str(exc))
            else:
                db.session.commit()
                flash(_("Complaint %(label)s opened.", label=complaint.label), "success")
                return redirect(url_for("complaints.detail", complaint_id=complaint.id))
    return render_template("complaints/new.html", form=form), 200 if request.method == "GET" else 422


@bp.get("/<int:complaint_id>")
@roles_required(*READERS)
def detail(complaint_id: int):
    complaint = db.get_or_404(Complaint, complaint_id)
    forms = _action_forms(complaint) if current_user.role in TEAM else {}
    return render_template("complaints/detail.html", c=complaint, forms=forms, labels=states.ACTION_LABELS)


@bp.post("/<int:complaint_id>/<action>")
@roles_required(*TEAM)
def act(complaint_id: int, action: str):
    complaint = db.get_or_404(Complaint, complaint_id)
    if action not in FORMS:
        abort(404)
    forms = _action_forms(complaint)
    form = forms.get(action) or FORMS[action](prefix=action)
    if action == "escalate":
        form.assignee.choices = _assignees()
    error = None
    if form.validate_on_submit():
        values = {k: v for k, v in form.data.items() if k not in ("csrf_token",)}
        if action == "escalate":
            values["assignee"] = db.session.get(User, values["assignee"])
        try:
            apply(complaint, action, user=current_user, **values)
        except ComplaintError as exc:
            db.session.rollback()
            error = str(exc)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("complaints.detail", complaint_id=complaint.id))
    else:
        error = _("Please correct the marked fields.")
    complaint = db.get_or_404(Complaint, complaint_id)
    forms[action] = form
    return render_template("complaints/detail.html", c=complaint, forms=forms, labels=states.ACTION_LABELS,
                           error=error, failed=action), 422
