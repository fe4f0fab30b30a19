"""Spare-part pages (internal): stock, moves, substitutes, labels. Orders, the ledger and
shortages are in views_orders.py; the forecast in views_forecast.py (same blueprint)."""
from __future__ import annotations

import io

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..auth.access import STAFF, roles_required
from ..catalogue.models import Part
from ..clients.models import Client
from ..extensions import db
from .forms import BinForm, LabelForm, MoveForm, SubstituteForm
from .labels import render_sheet
from .models import StockBalance, StockLocation
from .stock import MoveRequest, StockError, balances_query, move, moves_query, set_bin
from .substitutes import add_substitute, instruction_link, substitutes_query

bp = Blueprint("parts", __name__, template_folder="templates", url_prefix="/parts")

WRITERS = ("staff", "admin")


def _locations():
    return db.session.scalars(select(StockLocation).order_by(StockLocation.kind, StockLocation.code)).all()


def _int(value):
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        return None


@bp.get("/stock")
@roles_required(*STAFF)
def stock():
    number = (request.args.get("q") or "").strip()
    location_id = _int(request.args.get("location"))
    page = db.paginate(balances_query(number, location_id), per_page=current_app.config["PAGE_SIZE"])
    return render_template("parts/stock.html", page=page, q=number, location_id=location_id,
                           locations=_locations(), can_move=current_user.role in WRITERS)


@bp.get("/stock/moves")
@roles_required(*STAFF)
def moves():
    part = None
    number = (request.args.get("part") or "").strip()
    if number:
        part = db.session.scalar(select(Part).where(Part.number == number))
    page = db.paginate(moves_query(part.id if part else (-1 if number else None)),
                       per_page=current_app.config["PAGE_SIZE"])
    return render_template("parts/moves.html", page=page, part_number=number)


@bp.route("/stock/move", methods=["GET", "POST"])
@roles_required(*WRITERS)
def new_move():
    form = MoveForm()
    options = [("", "—")] + [(str(loc.id), f"{loc.code} · {loc.name}") for loc in _locations()]
    form.from_location.choices = form.to_location.choices = options
    if form.validate_on_submit():
        part = db.session.scalar(select(Part).where(Part.number == form.part_number.data.strip()))
        if part is None:
            form.part_number.errors.append(_("Unknown part number %(number)s.", number=form.part_number.data))
        else:
            try:
                db.session.commit()  # end the reading transaction: the move starts with its write
                move(MoveRequest(form.kind.data, part.id, form.quantity.data, form.reason.data,
                                 from_location_id=_int(form.from_location.data),
                                 to_location_id=_int(form.to_location.data)), user=current_user)
                db.session.commit()
                flash(_("The move is recorded."), "success")
                return redirect(url_for("parts.moves", part=part.number))
            except StockError as error:
                db.session.rollback()
                form.form_errors.append(str(error))
    return render_template("parts/move.html", form=form), (422 if form.errors else 200)


@bp.route("/stock/<int:location_id>/<int:part_id>/bin", methods=["GET", "POST"])
@roles_required(*WRITERS)
def edit_bin(location_id: int, part_id: int):
    balance = db.get_or_404(StockBalance, (location_id, part_id))
    form = BinForm(obj=balance)
    if form.validate_on_submit():
        if set_bin(balance, form.bin.data, user=current_user):
            db.session.commit()
            flash(_("The bin is saved."), "success")
        return redirect(url_for("parts.stock", q=balance.part.number, location=location_id))
    return render_template("parts/bin.html", form=form, balance=balance), (422 if form.errors else 200)


@bp.route("/substitutes", methods=["GET", "POST"])
@roles_required(*STAFF)
def substitutes():
    form = SubstituteForm()
    if request.method == "POST" and current_user.role not in WRITERS:
        abort(403)
    if form.validate_on_submit():
        try:
            add_substitute(form.part_number.data, form.substitute_number.data, both_ways=form.both_ways.data,
                           instruction=form.instruction.data or "", instruction_url=form.instruction_url.data or "",
                           document_id=form.document_id.data, user=current_user)
            db.session.commit()
            flash(_("The substitute is recorded."), "success")
            return redirect(url_for("parts.substitutes"))
        except ValueError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
    page = db.paginate(substitutes_query(), per_page=current_app.config["PAGE_SIZE"])
    return render_template("parts/substitutes.html", form=form, page=page, link=instruction_link,
                           can_write=current_user.role in WRITERS), (422 if form.errors else 200)


@bp.route("/labels", methods=["GET", "POST"])
@roles_required(*STAFF)
def labels():
    form = LabelForm()
    clients = db.session.scalars(select(Client).order_by(Client.code)).all()
    form.client.choices = [("", _("No client (ODM numbers, English)"))] + [(str(c.id), f"{c.code} · {c.name}")
                                                                            for c in clients]
    if form.validate_on_submit():
        numbers = [n.strip() for n in form.part_numbers.data.splitlines() if n.strip()]
        parts = {p.number: p for p in db.session.scalars(select(Part).where(Part.number.in_(numbers)))}
        unknown = [n for n in numbers if n not in parts]
        if unknown:
            form.part_numbers.errors.append(_("Unknown part numbers: %(numbers)s", numbers=", ".join(unknown[:20])))
        else:
            client = db.session.get(Client, _int(form.client.data)) if form.client.data else None
            pdf = render_sheet([parts[n].id for n in numbers], layout=form.layout.data, code=form.code.data,
                               client=client, copies=form.copies.data)
            return send_file(io.BytesIO(pdf), mimetype="application/pdf", as_attachment=False,
                             download_name="part-labels.pdf")
    return render_template("parts/labels.html", form=form), (422 if form.errors else 200)


from . import views_forecast, views_numbers, views_orders  # noqa: E402,F401  (routes on the same blueprint)
