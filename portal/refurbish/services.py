"""Refurbishment orders: created from an RMA's received units or from serials of the client's
own stock (checked like an RMA's: unknown, another client's and duplicate serials are
refused, nothing written); each unit is inspected, graded, given parts, repackaged and
costed; the order is done when every unit is."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from contracts.domain import round_money

from .. import audit
from ..clients.models import Client
from ..db import utcnow
from ..extensions import db
from ..rma.models import Rma
from ..rma.requests import _rows as shipped_serials
from .models import GRADES, OUTPUTS, RefurbOrder, RefurbUnit

MAX_UNITS = 1000


class RefurbInvalid(ValueError):
    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(m for ms in errors.values() for m in ms))


def create_order(client_id: int, *, serials: list[str] | None = None, rma_number: str | None = None,
                 output: str = "client", note: str = "", user=None) -> RefurbOrder:
    errors: dict[str, list[str]] = {}
    client = db.session.get(Client, client_id)
    if client is None:
        raise RefurbInvalid({"client": [_("Choose the client.")]})
    if output not in OUTPUTS:
        errors["output"] = [_("Choose where the refurbished units go.")]
    units: list[tuple[str, int | None]] = []
    rma = None
    if rma_number:
        rma = db.session.scalar(select(Rma).where(Rma.number == rma_number.strip(), Rma.client_id == client_id)
                                .options(selectinload(Rma.lines)))
        if rma is None:
            errors["rma"] = [_("Unknown RMA number %(number)s.", number=rma_number)]
        else:
            units = [(ln.serial, ln.model_id) for ln in rma.lines if ln.receipt == "received"]
            if not units:
                errors["rma"] = [_("%(number)s has no received units.", number=rma.number)]
    else:
        given = [s.strip() for s in serials or [] if s and s.strip()]
        problems = []
        if not given:
            problems.append(_("Enter at least one serial number."))
        elif len(given) > MAX_UNITS:
            problems.append(_("At most %(n)s units in one order.", n=MAX_UNITS))
        else:
            rows = shipped_serials(list(dict.fromkeys(given)), client_id)
            seen = set()
            for n, serial in enumerate(given, start=1):
                if serial in seen:
                    problems.append(_("Entry %(n)s: %(serial)s is given twice.", n=n, serial=serial))
                elif serial not in rows:
                    problems.append(_("Entry %(n)s: unknown serial number %(serial)s.", n=n, serial=serial))
                seen.add(serial)
            units = [(s, rows[s].model_id) for s in dict.fromkeys(given) if s in rows]
        if problems:
            errors["serials"] = problems
    if len(note) > 1000:
        errors["note"] = [_("At most %(n)s characters.", n=1000)]
    if errors:
        raise RefurbInvalid(errors)
    order = RefurbOrder(client_id=client_id, source="rma" if rma else "client_stock", rma_id=rma.id if rma else None,
                        output=output, currency=rma.currency if rma else client.currency, note=note.strip(),
                        unit_count=len(units), created_by_id=getattr(user, "id", None))
    for serial, model_id in units:
        order.units.append(RefurbUnit(client_id=client_id, serial=serial, model_id=model_id))
    db.session.add(order)
    db.session.flush()
    order.number = f"RF-{order.id:06d}"
    audit.record("refurbish.create", order, number=order.number, units=len(units))
    db.session.flush()
    return order


def record_unit(unit: RefurbUnit, *, inspection: str, grade: str | None, parts_replaced: str, repackaged: bool,
                cost: str | Decimal | None) -> RefurbUnit:
    """Record what was done to one unit; a grade finishes it. Raises RefurbInvalid (nothing changed)."""
    errors: dict[str, list[str]] = {}
    if grade and grade not in GRADES:
        errors["grade"] = [_("Choose a grade.")]
    try:
        amount = Decimal(str(cost).strip() or "0") if cost is not None else Decimal("0")
        if amount < 0 or not amount.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["cost"] = [_("Enter the cost as a number of 0 or more.")]
        amount = Decimal("0")
    if len(parts_replaced or "") > 500:
        errors["parts_replaced"] = [_("At most %(n)s characters.", n=500)]
    if errors:
        raise RefurbInvalid(errors)
    order = unit.order
    unit.inspection = (inspection or "").strip()[:5000]
    unit.grade = grade or None
    unit.parts_replaced = (parts_replaced or "").strip()
    unit.repackaged = bool(repackaged)
    unit.cost = round_money(amount, order.currency)
    unit.done_at = utcnow() if unit.grade else None
    order.done_count = sum(1 for u in order.units if u.done_at is not None)
    order.status = "done" if order.done_count == order.unit_count else "in_progress"
    order.completed_at = utcnow() if order.status == "done" else None
    audit.record("refurbish.unit", order, number=order.number, serial=unit.serial, grade=unit.grade)
    db.session.flush()
    return unit


def orders_query(status: str | None = None):
    query = select(RefurbOrder).options(joinedload(RefurbOrder.client)).order_by(RefurbOrder.id.desc())
    return query.where(RefurbOrder.status == status) if status else query


def get_order(order_id: int) -> RefurbOrder:
    return db.one_or_404(select(RefurbOrder).where(RefurbOrder.id == order_id)
                         .options(joinedload(RefurbOrder.client), selectinload(RefurbOrder.units)))


def total_cost(order: RefurbOrder) -> Decimal:
    return sum((u.cost for u in order.units), Decimal("0"))
