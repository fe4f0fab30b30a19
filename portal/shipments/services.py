"""Shipments: creating one from validated input, and the queries pages, the API and other
capabilities use (other capabilities read shipments through these functions, not the tables).

Writers do not commit: they work inside a SAVEPOINT, so a failure leaves nothing behind, and
the caller (a view, the API, a command) commits its transaction.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import ARRAY, Select, String, any_, bindparam, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ..catalogue.models import Batch, ProductModel
from ..clients.models import Client
from ..db import money
from ..extensions import db
from .models import Serial, Shipment, ShipmentLine
from .validation import ClientRef, Errors, LineInput, Lookups, check_header, check_line

CREATOR_ROLES = ("staff", "admin")  # who may create and import shipments
LOOKUP_CHUNK = 2000  # values per IN (...) when checking serials and numbers in bulk


@dataclass
class ShipmentInput:
    """A shipment as typed (form) or sent (API); None where a value is missing or unparsed."""

    number: str | None
    client_code: str | None
    ship_date: date | None
    lines: list[LineInput] = field(default_factory=list)


class ShipmentInvalid(Exception):
    """`errors`: {"number": [...], "client_code": [...], "ship_date": [...],
    "lines": {index: {"model_code": [...], ...}} or ["..."] when there is no line}."""

    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


# --- bulk uniqueness checks (global: serials and numbers are unique across all clients) ------

def _chunks(values: Iterable[str], size: int = LOOKUP_CHUNK):
    chunk: list[str] = []
    for value in values:
        chunk.append(value)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _one_of(conn, column, values: list[str]):
    """`column IN (values)`; on PostgreSQL `= ANY(array)`: one parameter, so the statement
    stays small and the driver does not re-parse thousands of placeholders per chunk."""
    if conn.dialect.name == "postgresql":
        return column == any_(bindparam("values", values, type_=ARRAY(String)))
    return column.in_(values)


def recorded_serials(serials: Iterable[str]) -> dict[str, str]:
    """Which of `serials` are already recorded: serial → number of the shipment that has it.
    Runs on the connection, below the tenancy hook: uniqueness is global, whoever asks."""
    s, line, shipment = Serial.__table__.c, ShipmentLine.__table__.c, Shipment.__table__.c
    conn = db.session.connection()
    found: dict[str, str] = {}
    for chunk in _chunks(serials):
        rows = conn.execute(
            select(s.serial, shipment.number)
            .join_from(Serial.__table__, ShipmentLine.__table__, s.line_id == line.id)
            .join(Shipment.__table__, line.shipment_id == shipment.id)
            .where(_one_of(conn, s.serial, chunk))
        )
        found.update((serial, number) for serial, number in rows)
    return found


def existing_numbers(numbers: Iterable[str]) -> set[str]:
    """Which of `numbers` are already shipment numbers (global, like `recorded_serials`)."""
    c = Shipment.__table__.c
    conn = db.session.connection()
    found: set[str] = set()
    for chunk in _chunks(numbers):
        found.update(conn.execute(select(c.number).where(_one_of(conn, c.number, chunk))).scalars())
    return found


# --- creating one shipment ----------------------------------------------------------------

def validate_shipment(spec: ShipmentInput, lookups: Lookups | None = None):
    """Every rule of DOMAIN.md for one shipment. Returns (errors, client, checked lines)."""
    lookups = lookups or Lookups(db.session)
    errors = Errors()
    client = check_header(lookups, spec.number, spec.client_code, errors)
    number = (spec.number or "").strip()
    if "number" not in errors and number in existing_numbers([number]):
        errors.add("number", _("Shipment %(number)s already exists.", number=number))
    if spec.ship_date is None and "ship_date" not in errors:
        errors.add("ship_date", _("The ship date is missing."))

    line_errors: dict[int, Errors] = {}
    checked = []
    first_line: dict[str, int] = {}
    for index, line in enumerate(spec.lines):
        found = Errors()
        checked.append(check_line(lookups, client, line, found))
        for serial in line.serials:
            if serial in first_line:
                found.add("serials", _("Serial '%(serial)s' appears twice in this shipment (first on line %(line)s).",
                                       serial=serial, line=first_line[serial] + 1))
            else:
                first_line[serial] = index
        if found:
            line_errors[index] = found
    for serial, other in recorded_serials(first_line).items():
        line_errors.setdefault(first_line[serial], Errors()).add(
            "serials", _("Serial '%(serial)s' is already recorded (shipment %(number)s).", serial=serial, number=other))
    if not spec.lines:
        errors["lines"] = [_("Enter at least one line.")]
    elif line_errors:
        errors["lines"] = {i: dict(e) for i, e in sorted(line_errors.items())}
    return dict(errors), client, checked


def create_shipment(spec: ShipmentInput) -> Shipment:
    """Validate and write one shipment with its lines and serials, or raise ShipmentInvalid
    (nothing written). The caller commits."""
    errors, client, checked = validate_shipment(spec)
    if errors:
        raise ShipmentInvalid(errors)
    assert isinstance(client, ClientRef)
    session = db.session
    try:
        with session.begin_nested():
            shipment = Shipment(number=spec.number.strip(), client_id=client.id, ship_date=spec.ship_date)
            session.add(shipment)
            lines = []
            for line, ok in zip(spec.lines, checked):
                row = ShipmentLine(client_id=client.id, model_id=ok.model_id, batch_id=ok.batch_id,
                                   quantity=line.quantity, unit_price=line.unit_price,
                                   currency=(line.currency or client.currency).strip().upper())
                shipment.lines.append(row)
                lines.append(row)
            session.flush()
            rows = [{"serial": s, "line_id": row.id, "client_id": client.id}
                    for line, row in zip(spec.lines, lines) for s in line.serials]
            for start in range(0, len(rows), LOOKUP_CHUNK):
                session.connection().execute(insert(Serial.__table__), rows[start:start + LOOKUP_CHUNK])
    except IntegrityError:
        # Another request recorded the same number or serial since we checked.
        errors, _client, _checked = validate_shipment(spec)
        raise ShipmentInvalid(errors or {"number": [_("Shipment %(number)s already exists.", number=spec.number)]}) from None
    return shipment


# --- reading ------------------------------------------------------------------------------

@dataclass
class ShipmentFilters:
    client_id: int | None = None
    model_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    number: str | None = None


@dataclass(frozen=True)
class Totals:
    lines: int
    quantity: int
    value: Decimal
    currency: str


def shipments_query(filters: ShipmentFilters | None = None) -> Select:
    """Shipments, newest first, with their client loaded (tenancy confines client users)."""
    f = filters or ShipmentFilters()
    stmt = select(Shipment).options(joinedload(Shipment.client)).order_by(Shipment.ship_date.desc(), Shipment.id.desc())
    if f.client_id:
        stmt = stmt.where(Shipment.client_id == f.client_id)
    if f.date_from:
        stmt = stmt.where(Shipment.ship_date >= f.date_from)
    if f.date_to:
        stmt = stmt.where(Shipment.ship_date <= f.date_to)
    if f.number:
        stmt = stmt.where(Shipment.number.icontains(f.number.strip(), autoescape=True))
    if f.model_id:
        stmt = stmt.where(
            select(ShipmentLine.id)
            .where(ShipmentLine.shipment_id == Shipment.id, ShipmentLine.model_id == f.model_id)
            .exists()
        )
    return stmt


def totals_for(shipment_ids: Iterable[int]) -> dict[int, Totals]:
    """Lines, quantity and value of each shipment, in one aggregate query."""
    ids = list(shipment_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(
            ShipmentLine.shipment_id,
            func.count(ShipmentLine.id),
            func.sum(ShipmentLine.quantity),
            func.sum(ShipmentLine.quantity * ShipmentLine.unit_price),
            func.min(ShipmentLine.currency),
        )
        .where(ShipmentLine.shipment_id.in_(ids))
        .group_by(ShipmentLine.shipment_id)
    )
    return {sid: Totals(n, int(qty or 0), money(value or 0).quantize(Decimal("0.01")), currency)
            for sid, n, qty, value, currency in rows}


def get_shipment(shipment_id: int) -> Shipment:
    """One shipment with lines, models and batches, or 404 (also for another client's)."""
    stmt = (
        select(Shipment)
        .where(Shipment.id == shipment_id)
        .options(joinedload(Shipment.client),
                 joinedload(Shipment.lines).joinedload(ShipmentLine.model),
                 joinedload(Shipment.lines).joinedload(ShipmentLine.batch))
    )
    shipment = db.session.scalars(stmt).unique().one_or_none()
    if shipment is None:
        abort(404)
    return shipment


def serial_counts(line_ids: Iterable[int]) -> dict[int, int]:
    ids = list(line_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Serial.line_id, func.count(Serial.id)).where(Serial.line_id.in_(ids)).group_by(Serial.line_id)
    )
    return {line_id: n for line_id, n in rows}


def line_serials_query(line_id: int) -> Select:
    return select(Serial).where(Serial.line_id == line_id).order_by(Serial.id)


def shipment_serials_query(shipment_id: int) -> Select:
    """Serials of a shipment with the line and model code each belongs to, in line order."""
    return (
        select(Serial.serial, Serial.line_id, ProductModel.code)
        .join(ShipmentLine, Serial.line_id == ShipmentLine.id)
        .join(ProductModel, ShipmentLine.model_id == ProductModel.id)
        .where(ShipmentLine.shipment_id == shipment_id)
        .order_by(Serial.line_id, Serial.id)
    )


def paginate_rows(stmt: Select, page: int, per_page: int) -> tuple[list, int]:
    """A page of a column select (Flask-SQLAlchemy's paginate returns entities only)."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    rows = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    return rows, total


# --- for other capabilities (settlements, warranty, parts ratio...) ------------------------

@dataclass(frozen=True)
class ShippedLine:
    line_id: int
    shipment_id: int
    number: str
    ship_date: date
    model_id: int
    model_code: str
    batch_id: int | None
    batch_code: str | None
    quantity: int
    unit_price: Decimal
    currency: str

    @property
    def value(self) -> Decimal:
        return self.quantity * self.unit_price


def shipped_lines(client_id: int, date_from: date, date_to: date) -> list[ShippedLine]:
    """The client's shipment lines shipped between the two dates (inclusive), returns included,
    in ship-date order."""
    rows = db.session.execute(
        select(ShipmentLine.id, Shipment.id, Shipment.number, Shipment.ship_date, ShipmentLine.model_id,
               ProductModel.code, ShipmentLine.batch_id, Batch.code, ShipmentLine.quantity, ShipmentLine.unit_price,
               ShipmentLine.currency)
        .join(ShipmentLine, ShipmentLine.shipment_id == Shipment.id)
        .join(ProductModel, ShipmentLine.model_id == ProductModel.id)
        .outerjoin(Batch, ShipmentLine.batch_id == Batch.id)
        .where(Shipment.client_id == client_id, Shipment.ship_date >= date_from, Shipment.ship_date <= date_to)
        .order_by(Shipment.ship_date, Shipment.id, ShipmentLine.id)
    )
    return [ShippedLine(*row) for row in rows]


def quantity_shipped_by_model(client_id: int, date_from: date | None = None, date_to: date | None = None) -> dict[int, int]:
    """Net quantity (returns deducted) shipped to the client per model id between the dates
    (inclusive; an open end when None)."""
    stmt = (
        select(ShipmentLine.model_id, func.sum(ShipmentLine.quantity))
        .join(Shipment, ShipmentLine.shipment_id == Shipment.id)
        .where(Shipment.client_id == client_id)
        .group_by(ShipmentLine.model_id)
    )
    if date_from:
        stmt = stmt.where(Shipment.ship_date >= date_from)
    if date_to:
        stmt = stmt.where(Shipment.ship_date <= date_to)
    return {model_id: int(qty) for model_id, qty in db.session.execute(stmt)}



def shipped_model_ids() -> Select:
    """The ids of the models on shipment lines, as a subquery for ``IN``: for a signed-in
    client user the tenancy hook confines it to that client's lines (the models it bought)."""
    return select(ShipmentLine.model_id)


@dataclass(frozen=True)
class SerialOrigin:
    """A serial's shipment, client, model and batch, with the codes and names a page shows."""
    serial: str
    shipment_number: str
    ship_date: date
    client_id: int
    client_code: str
    client_name: str
    model_code: str
    model_name: str
    batch_code: str | None


def serial_origins(serials: list[str], chunk_size: int = LOOKUP_CHUNK) -> dict[str, SerialOrigin]:
    """serial -> its origin, for the serials found (client users find only their own): one
    query per ``chunk_size`` serials."""
    found: dict[str, SerialOrigin] = {}
    for chunk in _chunks(serials, chunk_size):
        rows = db.session.execute(
            select(Serial.serial, Shipment.number, Shipment.ship_date, Shipment.client_id, Client.code, Client.name,
                   ProductModel.code, ProductModel.name, Batch.code)
            .select_from(Serial)
            .join(ShipmentLine, Serial.line_id == ShipmentLine.id)
            .join(Shipment, ShipmentLine.shipment_id == Shipment.id)
            .join(Client, Shipment.client_id == Client.id)
            .join(ProductModel, ShipmentLine.model_id == ProductModel.id)
            .outerjoin(Batch, ShipmentLine.batch_id == Batch.id)
            .where(Serial.serial.in_(chunk))
        )
        found.update((row[0], SerialOrigin(*row)) for row in rows)
    return found
