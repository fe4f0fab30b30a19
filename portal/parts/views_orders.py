"""Spare-part orders (clients place them, staff ship them), the client's entitlement ledger,
and shortages with their next step."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..auth.access import ANY_ROLE, STAFF, roles_required
from ..clients.models import Client
from ..extensions import db
from .forms import OrderForm, ShipForm, StepForm
from .ledger import client_ledger
from .models import ORDER_STATES, Shortage
from .orders import LineSpec, OrderInvalid, create_order, get_order, line_counts, orders_query, ship_order
from .shortages import record_step, shortages_query
from .stock import StockError, after_sales_locations, begin_write, on_hand
from .substitutes import instruction_link, replacements
from .views import WRITERS, _int, bp

ORDERERS = ("client_admin", "client_user", "staff", "admin")


@bp.get("/orders")
@roles_required(*ANY_ROLE)
def orders():
    status = request.args.get("status") if request.args.get("status") in ORDER_STATES else None
    client_id = None if current_user.is_client else _int(request.args.get("client"))
    page = db.paginate(orders_query(status, client_id), per_page=current_app.config["PAGE_SIZE"])
    clients = [] if current_user.is_client else db.session.scalars(select(Client).order_by(Client.code)).all()
    return render_template("parts/orders.html", page=page, counts=line_counts(o.id for o in page.items),
                           status=status, client_id=client_id, clients=clients,
                           can_order=current_user.role in ORDERERS)


@bp.route("/orders/new", methods=["GET", "POST"])
@roles_required(*ORDERERS)
def new_order():
    form = OrderForm()
    internal = not current_user.is_client
    if internal:
        form.client.choices = [("", _("Choose a client"))] + [
            (str(c.id), f"{c.code} · {c.name}") for c in db.session.scalars(select(Client).order_by(Client.code))]
    else:
        del form.client
    form.pad_lines()
    if form.validate_on_submit():
        client_id = _int(form.client.data) if internal else current_user.client_id
        if internal and (client_id is None or db.session.get(Client, client_id) is None):
            form.client.errors = [_("Choose a client.")]
        else:
            entries = [e.form for e in form.lines if not e.form.is_blank()]
            specs = [LineSpec(quantity=f.quantity.data, part_number=f.part_number.data or "",
                              model_code=f.model_code.data or "", batch_code=f.batch_code.data or "",
                              category=f.category.data or "") for f in entries]
            try:
                order = create_order(client_id, specs, user=current_user, note=form.note.data)
                db.session.commit()
                flash(_("Order %(number)s is placed.", number=order.number), "success")
                return redirect(url_for("parts.order", order_id=order.id))
            except OrderInvalid as error:
                db.session.rollback()
                if error.message:
                    form.form_errors.append(error.message)
                for index, messages in error.errors.items():
                    entries[index].quantity.errors = list(entries[index].quantity.errors) + messages
                    form.form_errors.append(_("Line %(n)s: %(error)s", n=index + 1, error=" ".join(messages)))
    return render_template("parts/order_new.html", form=form, internal=internal), (422 if form.errors else 200)


@bp.get("/orders/<int:order_id>")
@roles_required(*ANY_ROLE)
def order(order_id: int):
    found = get_order(order_id)
    internal = not current_user.is_client
    ship = None
    if internal and current_user.role in WRITERS and found.status not in ("shipped", "cancelled"):
        ship = ShipForm()
        ship.location.choices = [(str(loc.id), f"{loc.code} · {loc.name}") for loc in after_sales_locations()]
    stock = on_hand(line.part_id for line in found.lines) if internal else {}
    offers = {line.id: replacements(line.part_id) for line in found.lines if line.backordered}
    return render_template("parts/order.html", order=found, ship=ship, stock=stock, offers=offers,
                           link=instruction_link, internal=internal)


@bp.post("/orders/<int:order_id>/ship")
@roles_required(*WRITERS)
def ship(order_id: int):
    db.session.commit()  # end the reading transaction: on SQLite the shipping one starts with its write
    begin_write()
    found = get_order(order_id)
    form = ShipForm()
    form.location.choices = [(str(loc.id), loc.code) for loc in after_sales_locations()]
    try:
        result = ship_order(found, _int(form.location.data) or 0, user=current_user)
        db.session.commit()
        flash(_("%(shipped)s parts issued; %(short)s on backorder.", shipped=result["shipped"],
                short=result["backordered"]), "success" if not result["backordered"] else "warning")
    except StockError as error:
        db.session.rollback()
        flash(str(error), "danger")
    return redirect(url_for("parts.order", order_id=order_id))


@bp.get("/ledger")
@roles_required(*ANY_ROLE)
def ledger():
    client_id = current_user.client_id if current_user.is_client else _int(request.args.get("client"))
    client = db.get_or_404(Client, client_id) if client_id else None
    contract, rows = client_ledger(client.id) if client else (None, ())
    clients = [] if current_user.is_client else db.session.scalars(select(Client).order_by(Client.code)).all()
    return render_template("parts/ledger.html", client=client, contract=contract, rows=rows, clients=clients)


@bp.get("/shortages")
@roles_required(*STAFF)
def shortages():
    open_only = request.args.get("all") != "1"
    page = db.paginate(shortages_query(open_only), per_page=current_app.config["PAGE_SIZE"])
    return render_template("parts/shortages.html", page=page, open_only=open_only, link=instruction_link)


@bp.route("/shortages/<int:shortage_id>", methods=["GET", "POST"])
@roles_required(*STAFF)
def shortage(shortage_id: int):
    found = db.get_or_404(Shortage, shortage_id)
    form = StepForm()
    if request.method == "POST":
        if current_user.role not in WRITERS:
            abort(403)
        if form.validate_on_submit():
            try:
                record_step(found, found.next_step, form.outcome.data, note=form.note.data, day=form.day.data,
                            user=current_user)
                db.session.commit()
                flash(_("The step is recorded."), "success")
                return redirect(url_for("parts.shortage", shortage_id=shortage_id))
            except ValueError as error:
                db.session.rollback()
                found = db.get_or_404(Shortage, shortage_id)
                form.form_errors.append(str(error))
    return render_template("parts/shortage.html", shortage=found, form=form, link=instruction_link,
                           can_write=current_user.role in WRITERS), (422 if form.errors else 200)
