"""Refurbishment pages: orders with their progress, a new order, an order's units."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, SelectField, StringField, SubmitField, TextAreaField

from ..auth.access import ANY_ROLE, roles_required
from ..clients.models import Client
from ..extensions import db
from ..labels import label
from ..rma.workflow import STAFF_ROLES
from ..warranty.services import split_serials
from . import services
from .models import GRADES, ORDER_STATES, OUTPUTS

bp = Blueprint("refurbish", __name__, template_folder="templates", url_prefix="/refurbish")
REQUESTERS = ("client_admin", "client_user") + STAFF_ROLES


class OrderForm(FlaskForm):
    client = SelectField(_l("Client"), choices=[], validate_choice=False)
    rma = StringField(_l("From the received units of RMA"), description=_l("An RMA number, e.g. RMA-000123."))
    serials = TextAreaField(_l("Or serial numbers of your own stock"), render_kw={"rows": 4, "spellcheck": "false"})
    output = SelectField(_l("Refurbished units go"), choices=[])
    note = TextAreaField(_l("Note"), render_kw={"rows": 2})
    submit = SubmitField(_l("Create the order"))


class UnitForm(FlaskForm):
    inspection = TextAreaField(_l("Inspection"), render_kw={"rows": 2})
    grade = SelectField(_l("Grade"), choices=[])
    parts_replaced = StringField(_l("Parts replaced"))
    repackaged = BooleanField(_l("Repackaged"))
    cost = StringField(_l("Cost"))
    submit = SubmitField(_l("Save"))


@bp.get("/")
@roles_required(*ANY_ROLE)
def index():
    status = request.args.get("status") if request.args.get("status") in ORDER_STATES else None
    page = db.paginate(services.orders_query(status), per_page=current_app.config["PAGE_SIZE"])
    return render_template("refurbish/index.html", page=page, status=status, statuses=ORDER_STATES,
                           internal=not current_user.is_client, can_create=current_user.role in REQUESTERS)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*REQUESTERS)
def new():
    form = OrderForm()
    internal = not current_user.is_client
    clients = db.session.scalars(select(Client).where(Client.active).order_by(Client.code)).all() if internal else []
    form.client.choices = [(str(c.id), f"{c.code} · {c.name}") for c in clients]
    form.output.choices = [(o, label("refurb_output", o)) for o in OUTPUTS]
    if form.validate_on_submit():
        client_id = int(form.client.data) if internal and (form.client.data or "").isdigit() else current_user.client_id
        try:
            order = services.create_order(client_id, serials=split_serials(form.serials.data),
                                          rma_number=(form.rma.data or "").strip() or None, output=form.output.data,
                                          note=form.note.data or "", user=current_user)
        except services.RefurbInvalid as exc:
            db.session.rollback()
            for name, messages in exc.errors.items():
                getattr(form, name).errors = list(messages)
        else:
            db.session.commit()
            flash(_("Refurbishment order %(number)s has been created.", number=order.number), "success")
            return redirect(url_for("refurbish.detail", order_id=order.id))
    return render_template("refurbish/new.html", form=form, internal=internal), 422 if form.errors else 200


def _unit_form(unit, formdata=None):
    form = UnitForm(formdata=formdata, prefix=f"u{unit.id}", inspection=unit.inspection, grade=unit.grade or "",
                    parts_replaced=unit.parts_replaced, repackaged=unit.repackaged, cost=str(unit.cost))
    form.grade.choices = [("", _("Not graded yet"))] + [(g, label("refurb_grade", g)) for g in GRADES]
    return form


@bp.get("/<int:order_id>")
@roles_required(*ANY_ROLE)
def detail(order_id: int, failed=None):
    order = services.get_order(order_id)
    staff = current_user.role in STAFF_ROLES
    forms = {u.id: (failed if failed is not None and failed.unit_id == u.id else _unit_form(u)) for u in order.units} if staff else {}
    return render_template("refurbish/detail.html", order=order, forms=forms, staff=staff,
                           total=services.total_cost(order)), 422 if failed is not None else 200


@bp.post("/<int:order_id>/units/<int:unit_id>")
@roles_required(*STAFF_ROLES)
def record(order_id: int, unit_id: int):
    order = services.get_order(order_id)
    unit = next((u for u in order.units if u.id == unit_id), None)
    if unit is None:
        abort(404)
    form = _unit_form(unit, formdata=request.form)
    if form.validate_on_submit():
        try:
            services.record_unit(unit, inspection=form.inspection.data, grade=form.grade.data or None,
                                 parts_replaced=form.parts_replaced.data, repackaged=form.repackaged.data,
                                 cost=form.cost.data)
        except services.RefurbInvalid as exc:
            db.session.rollback()
            for name, messages in exc.errors.items():
                getattr(form, name).errors = list(messages)
        else:
            db.session.commit()
            flash(_("%(serial)s saved.", serial=unit.serial), "success")
            return redirect(url_for("refurbish.detail", order_id=order_id))
    form.unit_id = unit_id
    return detail(order_id, failed=form)
