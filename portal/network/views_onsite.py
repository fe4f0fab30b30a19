"""On-site service pages: a client requests a visit; the team schedules a technician and a
slot (never two overlapping visits for one technician), records the result; the client
confirms. Each technician's week is a Monday-to-Sunday grid."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..auth.access import ANY_ROLE, roles_required
from ..auth.models import User
from ..catalogue.models import ProductModel
from ..catalogue.services import bought_model_ids
from ..extensions import db
from ..labels import choices
from ..audit import record
from ._actions import run_action, submit_form
from .errors import NetworkError
from .forms import CompleteVisitForm, ConfirmVisitForm, OnsiteRequestForm, ScheduleVisitForm, TechnicianForm
from .onsite import (
    DAY_END, DAY_START, add_technician, cancel_visit, complete_visit, confirm_visit, local, monday_of, request_visit,
    schedule_visit, technician_week, technicians, visit_query,
)
from .onsite_models import VISIT_STATUSES, OnsiteVisit, Technician
from .views import CLIENT_ROLES, EDITORS, NETWORK_STAFF, bp, per_page, today


def _bought_models():
    return db.session.execute(select(ProductModel.id, ProductModel.code).where(
        ProductModel.id.in_(bought_model_ids())).order_by(ProductModel.code)).all()


@bp.get("/onsite")
@roles_required(*ANY_ROLE)
def onsite():
    status = request.args.get("status", "")
    status = status if status in VISIT_STATUSES else ""
    page = db.paginate(visit_query(status), per_page=per_page())
    return render_template("network/onsite.html", page=page, status=status, statuses=VISIT_STATUSES, local=local)


@bp.route("/onsite/new", methods=["GET", "POST"])
@roles_required(*CLIENT_ROLES)
def onsite_new():
    form = OnsiteRequestForm()
    form.model_id.choices = [(None, _("Not sure / several"))] + [(i, code) for i, code in _bought_models()]

    def act():
        if form.model_id.data and form.model_id.data not in {i for i, _c in _bought_models()}:
            raise NetworkError(_("Choose one of your models."), "model_id")
        return request_visit(current_user.client_id, current_user.id, form.values(), today())

    return (submit_form(form, act, lambda visit: (_("Visit requested. The team will propose a slot."),
                                                  _visit_url(visit.id)))
            or render_template("network/onsite_new.html", form=form))


def _visit_url(visit_id: int) -> str:
    return url_for("network.onsite_visit", visit_id=visit_id)


def _visit_action(form, act, message: Callable[[], str], visit_id: int):
    """A form posted on a visit's page: a refusal about the visit's state (not a field) is
    flashed on that page."""
    page = _visit_url(visit_id)
    return submit_form(form, act, lambda _result: (message(), page), refused_url=page)


def _detail(visit: OnsiteVisit, status: int = 200, schedule_form=None, complete_form=None, confirm_form=None):
    if current_user.role in EDITORS:
        if schedule_form is None:
            schedule_form = ScheduleVisitForm(formdata=None, technician_id=visit.technician_id,
                                              day=local(visit.starts_at).date() if visit.starts_at else visit.preferred_date,
                                              start=local(visit.starts_at).time() if visit.starts_at else None)
        schedule_form.technician_id.choices = [(None, _("Choose a technician"))] + [(t.id, t.name) for t in technicians()]
        complete_form = complete_form or CompleteVisitForm(formdata=None)
        complete_form.outcome.choices = choices("onsite_outcome")
    if current_user.is_client:
        confirm_form = confirm_form or ConfirmVisitForm(formdata=None)
    return render_template("network/onsite_visit.html", visit=visit, local=local, schedule_form=schedule_form,
                           complete_form=complete_form, confirm_form=confirm_form,
                           can_edit=current_user.role in EDITORS), status


@bp.get("/onsite/<int:visit_id>")
@roles_required(*ANY_ROLE)
def onsite_visit(visit_id: int):
    return _detail(db.get_or_404(OnsiteVisit, visit_id))


@bp.post("/onsite/<int:visit_id>/schedule")
@roles_required(*EDITORS)
def onsite_schedule(visit_id: int):
    visit = db.get_or_404(OnsiteVisit, visit_id)
    form = ScheduleVisitForm()
    form.technician_id.choices = []

    def act():
        schedule_visit(visit, form.technician_id.data or 0, form.day.data, form.start.data, form.minutes.data)
        record("network.onsite.schedule", visit, technician_id=visit.technician_id,
               starts_at=visit.starts_at.isoformat())

    def scheduled() -> str:
        return _("Visit scheduled for %(when)s.", when=local(visit.starts_at).strftime("%Y-%m-%d %H:%M"))

    return (_visit_action(form, act, scheduled, visit_id)
            or _detail(db.get_or_404(OnsiteVisit, visit_id), 422, schedule_form=form))


@bp.post("/onsite/<int:visit_id>/complete")
@roles_required(*EDITORS)
def onsite_complete(visit_id: int):
    visit = db.get_or_404(OnsiteVisit, visit_id)
    form = CompleteVisitForm()

    def act():
        complete_visit(visit, form.outcome.data, form.parts_used.data or "", form.follow_up_rma.data,
                       form.notes.data or "")
        record("network.onsite.complete", visit, outcome=visit.outcome, follow_up_rma=visit.follow_up_rma)

    return (_visit_action(form, act, lambda: _("Result recorded; the client is asked to confirm."), visit_id)
            or _detail(db.get_or_404(OnsiteVisit, visit_id), 422, complete_form=form))


@bp.post("/onsite/<int:visit_id>/confirm")
@roles_required(*CLIENT_ROLES)
def onsite_confirm(visit_id: int):
    visit = db.get_or_404(OnsiteVisit, visit_id)
    form = ConfirmVisitForm()

    def act():
        confirm_visit(visit, form.feedback.data or "")
        record("network.onsite.confirm", visit)

    return (_visit_action(form, act, lambda: _("Thank you: the visit is confirmed."), visit_id)
            or _detail(db.get_or_404(OnsiteVisit, visit_id), 422, confirm_form=form))


@bp.post("/onsite/<int:visit_id>/cancel")
@roles_required(*CLIENT_ROLES, *EDITORS)
def onsite_cancel(visit_id: int):
    visit = db.get_or_404(OnsiteVisit, visit_id)

    def act():
        cancel_visit(visit)
        record("network.onsite.cancel", visit)

    page = _visit_url(visit.id)
    return run_action(act, lambda _result: (_("Visit cancelled."), page), refused_url=page)


# --- technicians' weeks ---------------------------------------------------------------------

@bp.get("/calendar")
@roles_required(*NETWORK_STAFF)
def calendar():
    team = technicians()
    tech_id = request.args.get("technician", type=int)
    tech = next((t for t in team if t.id == tech_id), team[0] if team else None)
    try:
        day = date.fromisoformat(request.args["week"]) if request.args.get("week") else today()
    except ValueError:
        abort(404)
    grid = technician_week(tech.id, day) if tech else None
    form = None
    if current_user.role in EDITORS:
        form = TechnicianForm(formdata=None)
        taken = {t.user_id for t in team}
        form.user_id.choices = [(None, _("Choose a staff member"))] + [
            (u.id, u.name) for u in db.session.scalars(select(User).where(User.role == "staff", User.active.is_(True))
                                                       .order_by(User.name)) if u.id not in taken]
    return render_template("network/calendar.html", team=team, tech=tech, grid=grid, local=local,
                           this_monday=monday_of(today()), today=today(), form=form,
                           day_start=DAY_START, day_end=DAY_END)


@bp.post("/technicians")
@roles_required(*EDITORS)
def technician_add():
    form = TechnicianForm()
    form.user_id.choices = []
    if not form.validate_on_submit():
        return redirect(url_for("network.calendar"))
    # No form to show again on the calendar: every refusal is flashed there.
    return run_action(lambda: add_technician(form.user_id.data or 0, form.skills.data or ""),
                      lambda tech: (_("%(name)s is a technician.", name=tech.name),
                                    url_for("network.calendar", technician=tech.id)),
                      refused_url=url_for("network.calendar"))


@bp.post("/technicians/<int:technician_id>/retire")
@roles_required(*EDITORS)
def technician_retire(technician_id: int):
    tech = db.get_or_404(Technician, technician_id)
    tech.active = False
    db.session.commit()
    flash(_("%(name)s is no longer listed as a technician.", name=tech.name), "success")
    return redirect(url_for("network.calendar"))
