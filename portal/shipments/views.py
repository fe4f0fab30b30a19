"""Shipment pages: list, detail (serials paginated per line), new shipment, import."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..auth.access import ANY_ROLE, roles_required
from ..catalogue.models import ProductModel
from ..clients.models import Client
from ..extensions import db
from ..listing import date_filter, paginated
from ..tabular import spreadsheet_response
from .forms import MAX_LINES, FilterForm, ImportForm, ShipmentForm
from .importer import COLUMNS, EXAMPLE_ROW
from .jobs import start_import
from .models import ShipmentLine
from .services import (
    CREATOR_ROLES,
    ShipmentFilters,
    ShipmentInvalid,
    create_shipment,
    get_shipment,
    line_serials_query,
    serial_counts,
    shipments_query,
    totals_for,
    validate_shipment,
)

bp = Blueprint("shipments", __name__, template_folder="templates", url_prefix="/shipments")

SERIALS_PER_PAGE = 200


def _int(value) -> int | None:
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        return None


def _models():
    return db.session.scalars(select(ProductModel).order_by(ProductModel.code)).all()


def _clients():
    return db.session.scalars(select(Client).where(Client.active).order_by(Client.code)).all()


@bp.get("/")
@roles_required(*ANY_ROLE)
def index():
    internal = not current_user.is_client
    form = FilterForm(request.args)
    form.model.choices = [("", _("All models"))] + [(str(m.id), m.code) for m in _models()]
    if internal:
        clients = db.session.scalars(select(Client).order_by(Client.code)).all()
        form.client.choices = [("", _("All clients"))] + [(str(c.id), f"{c.code} · {c.name}") for c in clients]
    form.validate()  # marks an unreadable date; the other filters still apply
    filters = ShipmentFilters(
        client_id=_int(form.client.data) if internal else None,
        model_id=_int(form.model.data),
        date_from=date_filter(form.date_from),
        date_to=date_filter(form.date_to),
        number=(form.q.data or "").strip() or None,
    )
    page = paginated(shipments_query(filters))
    return render_template(
        "shipments/index.html", form=form, page=page, totals=totals_for(s.id for s in page.items),
        internal=internal, can_create=current_user.role in CREATOR_ROLES,
    )


@bp.get("/<int:shipment_id>")
@roles_required(*ANY_ROLE)
def detail(shipment_id: int):
    shipment = get_shipment(shipment_id)
    counts = serial_counts(line.id for line in shipment.lines)
    total = sum((line.quantity * line.unit_price for line in shipment.lines), 0)
    currency = shipment.lines[0].currency if shipment.lines else shipment.client.currency
    return render_template("shipments/detail.html", shipment=shipment, counts=counts, total=total, currency=currency)


@bp.get("/<int:shipment_id>/lines/<int:line_id>/serials")
@roles_required(*ANY_ROLE)
def line_serials(shipment_id: int, line_id: int):
    """A page of one line's serials: a fragment for htmx, a whole page otherwise."""
    line = db.one_or_404(
        select(ShipmentLine)
        .where(ShipmentLine.id == line_id, ShipmentLine.shipment_id == shipment_id)
        .options(joinedload(ShipmentLine.shipment), joinedload(ShipmentLine.model))
    )
    page = db.paginate(line_serials_query(line.id), per_page=SERIALS_PER_PAGE, max_per_page=SERIALS_PER_PAGE)
    fragment = request.headers.get("HX-Request") == "true"
    template = "shipments/_serials.html" if fragment else "shipments/serials.html"
    return render_template(template, line=line, page=page)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*CREATOR_ROLES)
def new():
    form = ShipmentForm()
    form.pad_lines()
    clients, models = _clients(), _models()
    if form.is_submitted() and form.add_line.data:
        form.pad_lines(len(form.lines) + 1)
        form.set_choices(clients, models)
        return render_template("shipments/new.html", form=form, max_lines=MAX_LINES)
    form.set_choices(clients, models)
    if form.validate_on_submit():
        client = next((c for c in clients if c.code == form.client_code.data), None)
        spec, rows = form.to_input(client.currency if client else None)
        if form.errors:  # text that could not be read: show every other error with it
            errors = validate_shipment(spec)[0]
        else:
            try:
                shipment = create_shipment(spec)
            except ShipmentInvalid as exc:
                errors = exc.errors
            else:
                db.session.commit()
                flash(_("Shipment %(number)s has been created.", number=shipment.number), "success")
                return redirect(url_for("shipments.detail", shipment_id=shipment.id))
        db.session.rollback()
        form.show_errors(errors, rows)
    return render_template("shipments/new.html", form=form, max_lines=MAX_LINES), 422 if form.errors else 200


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*CREATOR_ROLES)
def import_file():
    """Check the file cheaply here, then import it in the background (portal/shipments/jobs.py)
    and show the job's page, which ends with the outcome."""
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        filename = upload.filename or ""
        job_id, form.file.errors = start_import(upload.stream, filename)
        if job_id is not None:
            db.session.commit()
            return redirect(url_for("jobs.show", job_id=job_id))
    return render_template("shipments/import.html", form=form), 422 if form.errors else 200


@bp.get("/import/template.<any(csv, xlsx):fmt>")
@roles_required(*CREATOR_ROLES)
def import_template(fmt: str):
    return spreadsheet_response(list(COLUMNS), [EXAMPLE_ROW], "shipments-import-template", fmt)
