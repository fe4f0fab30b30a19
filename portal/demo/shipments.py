"""Demo shipments: twelve months to each client (ending this month), a few return lines,
the discontinued KTV-32H's last deliveries before that, and a serial number for every unit.

The plan is pure Python from a seeded random generator and month offsets, so the same
shipments, quantities and serial numbers come out whatever the date; only the dates move.
A serial reads HX 55A 04 000123: client, model, batch number, unit number.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import insert

from ..extensions import db
from ..shipments.models import Serial, Shipment, ShipmentLine
from .catalogue import MODELS, MODELS_BY_CODE, DemoModel, batch_code, on_day

SEED = 20260101
MONTHS = 12  # regular shipments: this month and the eleven before it
SERIAL_CHUNK = 5000

# Per client: serial prefix, volume factor, and the unit price of each model it buys, in its currency.
RANGES = {
    "HUAXIA": ("HX", Decimal("1.6"), {"KTV-55A": "1850.00", "KTV-43B": "1199.90", "KTV-65U": "3280.00",
                                      "KM-24F": "560.00", "KTV-32H": "699.00"}),
    "PEARL": ("PL", Decimal("0.9"), {"KTV-55A": "249.99", "KTV-43B": "168.50", "KTV-65U": "455.00",
                                     "KM-27Q": "162.00", "KM-24F": "79.90", "KTV-32H": "98.00"}),
    "LUMIERE": ("LM", Decimal("0.8"), {"KTV-55A": "239.00", "KTV-43B": "155.00", "KTV-65U": "419.00",
                                       "KM-27Q": "149.00"}),
    "VISTAMAR": ("VM", Decimal("0.6"), {"KTV-55A": "255.00", "KTV-43B": "172.00", "KM-24F": "82.50"}),
}
# Typical units per shipment line, before the client's volume factor.
LINE_SIZE = {"KTV-55A": 120, "KTV-43B": 150, "KTV-65U": 60, "KM-27Q": 100, "KM-24F": 160, "KTV-32H": 150}
# The discontinued model's last deliveries (months before the twelve), from stock.
LEGACY = {"model": "KTV-32H", "clients": ("HUAXIA", "PEARL"), "months": range(-16, -12)}
# Returned goods: (client, month offset, model, quantity); a negative line, no serials.
RETURNS = [
    ("HUAXIA", -8, "KTV-55A", -20),
    ("HUAXIA", -5, "KTV-32H", -6),
    ("PEARL", -6, "KM-27Q", -5),
    ("LUMIERE", -4, "KTV-43B", -8),
    ("VISTAMAR", -2, "KM-24F", -4),
]

# A unit of each client's (shipped in the twelve months) and of the discontinued model
# (whole unit already out of warranty, panel and main board still in). tests/demo checks them.
DEMO_SERIAL_EXAMPLES = {
    "HUAXIA": "HX55A04002123",  # KTV-55A, batch 04, shipped four months ago
    "PEARL": "PL65U02000200",  # KTV-65U, batch 02
    "LUMIERE": "LM27Q03000420",  # KM-27Q, batch 03
    "VISTAMAR": "VM43B05001000",  # KTV-43B, batch 05
}
DEMO_LEGACY_SERIALS = {"HUAXIA": "HX32H05000600", "PEARL": "PL32H05000300"}  # KTV-32H, 14 months ago


@dataclass
class PlannedLine:
    model: str
    quantity: int
    unit_price: Decimal
    batch_no: int | None = None  # None on returns
    first_unit: int = 0  # serials first_unit + 1 .. first_unit + quantity


@dataclass
class PlannedShipment:
    client: str
    number: str
    offset: int
    day: int
    lines: list[PlannedLine] = field(default_factory=list)


def latest_batch(model: DemoModel, offset: int) -> int | None:
    """The number of the newest batch produced in a month before `offset` (goods ship from stock)."""
    numbers = [n for n, (batch_offset, *_rest) in enumerate(model.batches, start=1) if batch_offset < offset]
    return numbers[-1] if numbers else None


def serial(prefix: str, model: DemoModel, batch_no: int, unit: int) -> str:
    return f"{prefix}{model.serial_tag}{batch_no:02d}{unit:06d}"


def plan_shipments(today: date) -> list[PlannedShipment]:
    """Every demo shipment, in date order per client; only the date (YYMM in the number) uses `today`."""
    plan: list[PlannedShipment] = []
    for client, (prefix, factor, prices) in RANGES.items():
        rng = random.Random(f"{SEED}-{client}")
        units: dict[str, int] = {}
        sequence = 0

        def new_shipment(offset: int, day: int) -> PlannedShipment:
            nonlocal sequence
            sequence += 1
            yymm = on_day(today, offset, 1).strftime("%y%m")
            shipment = PlannedShipment(client, f"DN{yymm}-{prefix}{sequence:03d}", offset, day)
            plan.append(shipment)
            return shipment

        def add_line(shipment: PlannedShipment, code: str, quantity: int) -> None:
            model = MODELS_BY_CODE[code]
            batch_no = latest_batch(model, shipment.offset)
            shipment.lines.append(PlannedLine(code, quantity, Decimal(prices[code]), batch_no, units.get(code, 0)))
            units[code] = units.get(code, 0) + quantity

        def size(code: str) -> int:
            quantity = LINE_SIZE[code] * factor * Decimal(rng.uniform(0.6, 1.4))
            return max(10, int(quantity / 10) * 10)  # whole cartons of ten

        if client in LEGACY["clients"]:
            for offset in LEGACY["months"]:
                add_line(new_shipment(offset, rng.randint(5, 20)), LEGACY["model"], size(LEGACY["model"]))

        for offset in range(1 - MONTHS, 1):
            available = [m.code for m in MODELS if m.code in prices and m.end_of_production is None
                         and m.launch[0] <= offset and latest_batch(m, offset)]
            for first_day, last_day in ((3, 12), (16, 27)):
                shipment = new_shipment(offset, rng.randint(first_day, last_day))
                for code in sorted(rng.sample(available, min(len(available), rng.choice((2, 3))))):
                    add_line(shipment, code, size(code))
            for who, month, code, quantity in RETURNS:
                if who == client and month == offset:
                    plan[-1].lines.append(PlannedLine(code, quantity, Decimal(prices[code])))
    return plan


def shipped_per_batch(plan: list[PlannedShipment]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for shipment in plan:
        for line in shipment.lines:
            if line.batch_no:
                code = batch_code(MODELS_BY_CODE[line.model], line.batch_no)
                totals[code] = totals.get(code, 0) + line.quantity
    return totals


def create_shipments(today: date, plan: list[PlannedShipment], clients: dict, models: dict, batches: dict) -> int:
    """Write the planned shipments; serials go in by Core bulk inserts. Returns the serial count."""
    db.session.flush()  # clients, models and batches get their ids
    written = []
    for planned in plan:
        client = clients[planned.client]
        shipment = Shipment(number=planned.number, client=client, ship_date=on_day(today, planned.offset, planned.day))
        for spec in planned.lines:
            model = MODELS_BY_CODE[spec.model]
            batch = batches[batch_code(model, spec.batch_no)] if spec.batch_no else None
            line = ShipmentLine(client_id=client.id, model=models[spec.model], batch=batch, quantity=spec.quantity,
                                unit_price=spec.unit_price, currency=client.currency)
            shipment.lines.append(line)
            written.append((line, spec, RANGES[planned.client][0], model))
        db.session.add(shipment)
    db.session.flush()

    rows: list[dict] = []
    count = 0
    for line, spec, prefix, model in written:
        if spec.quantity <= 0:  # returned goods carry no serials
            continue
        for unit in range(spec.first_unit + 1, spec.first_unit + spec.quantity + 1):
            rows.append({"serial": serial(prefix, model, spec.batch_no, unit), "line_id": line.id,
                         "client_id": line.client_id})
            if len(rows) == SERIAL_CHUNK:
                db.session.execute(insert(Serial.__table__), rows)
                count, rows = count + len(rows), []
    if rows:
        db.session.execute(insert(Serial.__table__), rows)
        count += len(rows)
    return count
