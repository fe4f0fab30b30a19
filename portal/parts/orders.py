"""Spare-part orders: lines by part number or "for model X / batch Y, the main board"
(resolved from the batch's material list), priced by the client's scheme, shipped from
after-sales stock; what is short stays on backorder with a shortage record."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from contracts.domain import PART_CATEGORIES

from .. import audit
from ..catalogue.models import Batch, BatchMaterial, Part, ProductModel
from ..extensions import db
from . import ledger
from .models import PartOrder, PartOrderLine, Shortage, StockBalance, StockLocation
from .stock import MoveRequest, StockError, move
from .substitutes import propose_substitute

MAX_LINES = 50
MAX_QUANTITY = 10_000


@dataclass
class LineSpec:
    """One requested line: ``part_number``, or ``batch_code`` (or ``model_code``) + ``category``."""

    quantity: object
    part_number: str = ""
    model_code: str = ""
    batch_code: str = ""
    category: str = ""


@dataclass
class OrderInvalid(ValueError):
    errors: dict[int, list[str]] = field(default_factory=dict)  # line index -> messages
    message: str = ""

    def __str__(self) -> str:
        return self.message or "; ".join(f"{i + 1}: {' '.join(m)}" for i, m in self.errors.items())


def _model_for_part(part: Part) -> ProductModel | None:
    """The one model whose batches used ``part``; None when there are none or several."""
    ids = db.session.scalars(select(Batch.model_id).join(BatchMaterial, BatchMaterial.batch_id == Batch.id)
                             .where(BatchMaterial.part_id == part.id).distinct()).all()
    return db.session.get(ProductModel, ids[0]) if len(ids) == 1 else None


def resolve(spec: LineSpec) -> tuple[Part, ProductModel, Batch | None]:
    """The part, model and batch a line means; raises ValueError with a translated message."""
    number, model_code, batch_code = (spec.part_number or "").strip(), (spec.model_code or "").strip(), \
        (spec.batch_code or "").strip()
    model = batch = None
    if model_code:
        model = db.session.scalar(select(ProductModel).where(ProductModel.code == model_code))
        if model is None:
            raise ValueError(_("Unknown model %(code)s.", code=model_code))
    if batch_code:
        batch = db.session.scalar(select(Batch).options(selectinload(Batch.materials))
                                  .where(Batch.code == batch_code))
        if batch is None:
            raise ValueError(_("Unknown batch %(code)s.", code=batch_code))
        if model is not None and batch.model_id != model.id:
            raise ValueError(_("Batch %(batch)s is not a batch of model %(model)s.", batch=batch_code, model=model_code))
        model = batch.model
    if number:
        part = db.session.scalar(select(Part).where(Part.number == number))
        if part is None:
            raise ValueError(_("Unknown part number %(number)s.", number=number))
        if model is None:
            model = _model_for_part(part)
            if model is None:
                raise ValueError(_("Name the model part %(number)s is for.", number=number))
        return part, model, batch
    if spec.category not in PART_CATEGORIES:
        raise ValueError(_("Give a part number, or a batch and a part category."))
    if batch is None:
        raise ValueError(_("Name the batch: its material list says which part the model used."))
    material = next((m for m in batch.materials if m.category == spec.category), None)
    if material is None:
        raise ValueError(_("The material list of batch %(batch)s names no part of this category.", batch=batch.code))
    return material.part, model, batch


def _quantity(value) -> int:
    try:
        quantity = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValueError(_("The quantity must be a whole number.")) from None
    if not 0 < quantity <= MAX_QUANTITY:
        raise ValueError(_("The quantity must be between 1 and %(max)s.", max=MAX_QUANTITY))
    return quantity


def create_order(client_id: int, specs: list[LineSpec], user=None, note: str = "", on: date | None = None) -> PartOrder:
    """Validate every line (errors by line), price them, and add the order. Nothing is written
    when any line is refused."""
    if not specs:
        raise OrderInvalid(message=_("An order needs at least one line."))
    if len(specs) > MAX_LINES:
        raise OrderInvalid(message=_("An order has at most %(n)s lines.", n=MAX_LINES))
    resolved, errors = [], {}
    for index, spec in enumerate(specs):
        try:
            quantity = _quantity(spec.quantity)
            part, model, batch = resolve(spec)
            resolved.append((part, model, batch, quantity))
        except ValueError as error:
            errors[index] = [str(error)]
    if errors:
        raise OrderInvalid(errors)
    on = on or date.today()
    scheme, currency, pricing = ledger.price_lines(client_id, [(p, m, q) for p, m, _b, q in resolved], on)
    order = PartOrder(client_id=client_id, number="", scheme_key=scheme, currency=currency, note=(note or "")[:500],
                      created_by_id=getattr(user, "id", None))
    for (part, model, batch, quantity), price in zip(resolved, pricing):
        order.lines.append(PartOrderLine(client_id=client_id, part=part, model=model, batch=batch, quantity=quantity,
                                         free_quantity=price.free, unit_price=price.unit_price))
    with db.session.begin_nested():
        db.session.add(order)
        db.session.flush()
        order.number = f"SPO-{order.id:06d}"
        audit.record("parts.order", order, user=user, lines=len(order.lines))
    return order


def _available(location_id: int, part_ids) -> dict[int, int]:
    rows = db.session.execute(select(StockBalance.part_id, StockBalance.quantity).where(
        StockBalance.location_id == location_id, StockBalance.part_id.in_(list(part_ids))))
    return dict(rows.all())


def ship_order(order: PartOrder, location_id: int, user=None, day: date | None = None) -> dict[str, int]:
    """Issue what the location holds for each open line; keep the rest on backorder, each
    short line with a shortage record proposing a substitute when one exists."""
    if order.status in ("shipped", "cancelled"):
        raise StockError(_("This order is already closed."))
    location = db.session.get(StockLocation, location_id)
    if location is None or not location.after_sales:
        raise StockError(_("Spare parts are issued from after-sales stock only."))
    open_lines = [line for line in order.lines if line.backordered]
    available = _available(location_id, {line.part_id for line in open_lines})
    shipped = short = 0
    existing = {s.line_id for s in db.session.scalars(select(Shortage).where(
        Shortage.line_id.in_([line.id for line in open_lines])))}
    for line in open_lines:
        quantity = min(line.backordered, available.get(line.part_id, 0))
        if quantity:
            try:
                move(MoveRequest("issue", line.part_id, quantity, _("Spare-part order %(number)s", number=order.number),
                                 from_location_id=location_id, client_id=order.client_id, model_id=line.model_id,
                                 order_line_id=line.id, day=day), user=user)
            except StockError:
                quantity = 0  # taken by a concurrent issue since we read the balance
            available[line.part_id] = available.get(line.part_id, 0) - quantity
            line.shipped += quantity
            shipped += quantity
        if line.backordered:
            short += line.backordered
            if line.id not in existing:
                substitute = propose_substitute(line.part_id)
                db.session.add(Shortage(client_id=order.client_id, line=line,
                                        substitute_id=substitute.id if substitute else None))
    order.status = "shipped" if all(not line.backordered for line in order.lines) else (
        "partly_shipped" if any(line.shipped for line in order.lines) else "open")
    db.session.flush()
    return {"shipped": shipped, "backordered": short}


def orders_query(status: str | None = None, client_id: int | None = None):
    query = select(PartOrder).options(selectinload(PartOrder.client)).order_by(PartOrder.id.desc())
    if status:
        query = query.where(PartOrder.status == status)
    if client_id:
        query = query.where(PartOrder.client_id == client_id)
    return query


def line_counts(order_ids) -> dict[int, tuple[int, int]]:
    """order id -> (quantity, backordered), one GROUP BY."""
    ids = list(order_ids)
    if not ids:
        return {}
    rows = db.session.execute(select(PartOrderLine.order_id, func.sum(PartOrderLine.quantity),
                                     func.sum(PartOrderLine.quantity - PartOrderLine.shipped))
                              .where(PartOrderLine.order_id.in_(ids)).group_by(PartOrderLine.order_id))
    return {order_id: (int(q or 0), int(b or 0)) for order_id, q, b in rows}


def get_order(order_id: int) -> PartOrder:
    return db.first_or_404(select(PartOrder).options(selectinload(PartOrder.lines)).where(PartOrder.id == order_id))
