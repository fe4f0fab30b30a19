"""The Hong Kong service point page: weekly schedule, what waits for the next visit, visits."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..auth.access import roles_required
from ..auth.models import STAFF_ROLES, User
from ..catalogue.services import model_choices
from ..clients.services import client_choices
from ..extensions import db
from ..labels import choices
from . import sources
from ..audit import record
from .errors import NetworkError
from .forms import ScheduleForm, ServicePointItemForm, ServicePointVisitForm
from .service_point import (next_visit_day, receive_at_service_point, record_visit, schedule_of, set_schedule,
                            visit_query, waiting_items)
from .stations import hk_service_point
from .views import EDITORS, NETWORK_STAFF, bp, per_page, show_error, today

WEEKDAYS = (_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"), _l("Saturday"), _l("Sunday"))


def _point():
    point = hk_service_point()
    if point is None:
        abort(404)
    return point


def _forms(point, schedule_form=None, item_form=None, visit_form=None):
    schedule = schedule_of(point)
    if schedule_form is None:
        schedule_form = ScheduleForm(formdata=None, obj=schedule)
    schedule_form.weekday.choices = [(i, str(name)) for i, name in enumerate(WEEKDAYS)]
    if item_form is None:
        item_form = ServicePointItemForm(formdata=None, received_on=today())
    item_form.client_id.choices = [(None, _("Choose a client"))] + client_choices()
    item_form.kind.choices = choices("item_kind")
    item_form.model_id.choices = [(None, "—")] + [(i, text) for i, text in model_choices()]
    waiting = waiting_items(point)
    if visit_form is None:
        visit_form = ServicePointVisitForm(formdata=None, visit_date=today())
    visit_form.visitor_id.choices = [(None, _("Choose who went"))] + [
        (u.id, u.name) for u in db.session.scalars(select(User).where(User.role.in_(STAFF_ROLES), User.active.is_(True))
                                                   .order_by(User.name))]
    visit_form.item_ids.choices = [(i.id, f"{i.serial or i.description}") for i in waiting]
    return schedule, schedule_form, item_form, visit_form, waiting


def _page(point, status=200, **forms):
    schedule, schedule_form, item_form, visit_form, waiting = _forms(point, **forms)
    page = db.paginate(visit_query(point), per_page=per_page())
    client_names = dict(client_choices())
    return render_template(
        "network/service_point.html", point=point, schedule=schedule, next_visit=next_visit_day(schedule, today()),
        weekdays=WEEKDAYS, schedule_form=schedule_form, item_form=item_form, visit_form=visit_form,
        waiting=waiting, rma_waiting=sources.rma_waiting_at_service_point(), page=page,
        client_names=client_names, can_edit=_can_edit()), status


def _can_edit() -> bool:
    from flask_login import current_user

    return current_user.role in EDITORS


@bp.get("/hk")
@roles_required(*NETWORK_STAFF)
def service_point():
    return _page(_point())


@bp.post("/hk/schedule")
@roles_required(*EDITORS)
def service_point_schedule():
    point = _point()
    form = ScheduleForm()
    form.weekday.choices = [(i, str(name)) for i, name in enumerate(WEEKDAYS)]
    if form.validate_on_submit():
        try:
            set_schedule(point, form.weekday.data if form.weekday.data is not None else -1, form.visit_time.data,
                         form.note.data or "")
        except NetworkError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Visit schedule saved."), "success")
            return redirect(url_for("network.service_point"))
    return _page(point, 422, schedule_form=form)


@bp.post("/hk/items")
@roles_required(*EDITORS)
def service_point_item():
    point = _point()
    form = ServicePointItemForm()
    if form.validate_on_submit():
        try:
            if not form.client_id.data or dict(client_choices()).get(form.client_id.data) is None:
                raise NetworkError(_("Choose a client."), "client_id")
            item = receive_at_service_point(form.client_id.data, form.kind.data, form.received_on.data,
                                            serial=form.serial.data or "", model_id=form.model_id.data,
                                            description=form.description.data or "", rma_ref=form.rma_ref.data or "",
                                            station=point)
        except NetworkError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("%(item)s recorded at the service point.", item=item.serial or item.description), "success")
            return redirect(url_for("network.service_point"))
    return _page(point, 422, item_form=form)


@bp.post("/hk/visits")
@roles_required(*EDITORS)
def service_point_visit():
    point = _point()
    form = ServicePointVisitForm()
    _forms(point, visit_form=form)  # choices, so the form can be shown again
    if form.validate_on_submit():
        try:
            visit = record_visit(point, form.visit_date.data, form.visitor_id.data or 0, form.item_ids.data or [],
                                 form.notes.data or "", today())
            record("network.service_point.visit", visit, items=len(form.item_ids.data or []))
        except NetworkError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Visit of %(day)s recorded: %(n)d items collected.", day=visit.visit_date.isoformat(),
                    n=len(form.item_ids.data or [])), "success")
            return redirect(url_for("network.service_point"))
    return _page(point, 422, visit_form=form)


@bp.get("/hk/visits/<int:visit_id>")
@roles_required(*NETWORK_STAFF)
def service_point_visit_detail(visit_id: int):
    from .service_point_models import ServicePointVisit

    visit = db.get_or_404(ServicePointVisit, visit_id)
    return render_template("network/service_point_visit.html", visit=visit, client_names=dict(client_choices()))
