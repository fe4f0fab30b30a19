"""Demo spare parts, made through the parts capability's own services (so the stock ledger,
the balances and the audit log agree): a year of after-sales stock at the factory with bins,
monthly issues to HUAXIA, PEARL and VISTAMAR (the forecast's history), a transfer to the Hong Kong service
point and a stock-count adjustment; the KTV-43B power board's substitute (with the demo's
substitute instruction); HUAXIA's spare-part orders (one shipped, one partly shipped with a
shortage already past its first step) and LUMIERE's open one; LUMIERE's own part numbers;
and the stored forecast of every part, as if the periodic review had run today.

Deterministic: a seeded random generator for the monthly quantities, dates counted back from
today. The old KTV-43B power board is kept low on purpose: the review lists it "under"."""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select

from ..auth.models import User
from ..catalogue.models import Part, ProductModel
from ..documents.models import Document
from ..extensions import db
from ..parts.forecast import forecast_parts
from ..parts.models import Shortage, StockBalance, StockLocation
from ..parts.orders import LineSpec, create_order, ship_order
from ..parts.shortages import record_step
from ..parts.stock import MoveRequest, move, set_bin
from ..parts.substitutes import add_substitute
from ..parts.numbers import save_client_number
from .catalogue import on_day
from .shipments import RANGES

SEED = 20260301
FACTORY, HONG_KONG = "AS-FACTORY", "AS-HK"  # the after-sales locations the migration creates
STAFF = "service@odm.example.com"
# LUMIERE's first spare-part order is still open: nothing was issued to it before (so a
# contract given to it later starts from an empty entitlement ledger).
FIRST_ORDER_OPEN = ("LUMIERE",)

# (part number, month offset received, quantity left after the year's moves and before the orders, bin)
RECEIPTS = [
    ("MB.MT9602.55A-01", -13, 6, "A-01-03"),
    ("MB.MT9602.55A-02", -7, 40, "A-01-04"),
    ("MB.MS6683.43B-01", -13, 30, "A-01-07"),
    ("MB.MT9611.65U-02", -3, 12, "A-02-02"),
    ("MB.RTD2556.27Q-01", -13, 18, "A-03-01"),
    ("MB.MS3663.32H-01", -13, 22, "A-04-01"),
    ("PB.L55S150-02", -4, 45, "B-01-02"),
    ("PB.L43S090-01", -13, 2, "B-02-01"),  # the old board, running out: its substitute is rev. 2
    ("PB.L43S090-02", -2, 35, "B-02-02"),
    ("PB.M27I045-02", -8, 25, "B-03-02"),
    ("PNL.ST5461D12-2", -10, 4, "C-01-01"),
    ("RC.IR-A55", -13, 160, "D-01-01"),
    ("RC.IR-B43", -13, 120, "D-01-02"),
    ("RC.BT-V65", -9, 40, "D-01-03"),
]
# (part number, model it is issued for, first month offset of issues, a month's possible quantities)
DEMAND = [
    ("MB.MT9602.55A-01", "KTV-55A", -12, (1, 2, 3, 3, 4)),
    ("MB.MT9602.55A-02", "KTV-55A", -6, (0, 1, 1, 2)),
    ("MB.MS6683.43B-01", "KTV-43B", -12, (1, 2, 2, 3)),
    ("MB.MS3663.32H-01", "KTV-32H", -12, (0, 1, 2, 2)),
    ("MB.RTD2556.27Q-01", "KM-27Q", -12, (0, 1, 1, 2)),
    ("PB.L43S090-01", "KTV-43B", -12, (0, 1, 1, 2)),
    ("PNL.ST5461D12-2", "KTV-55A", -9, (0, 0, 0, 1)),
    ("RC.IR-A55", "KTV-55A", -12, (3, 4, 6, 8)),
    ("RC.IR-B43", "KTV-43B", -12, (2, 3, 4, 5)),
]
TRANSFERS = [("RC.IR-A55", 30, "HK-R2-01"), ("PB.L55S150-02", 6, "HK-R1-04")]  # to Hong Kong, two months ago
SCRAPPED = ("PNL.ST5461D12-2", 1, "Stock count: panel cracked in storage, scrapped")
SUBSTITUTE = ("PB.L43S090-01", "PB.L43S090-02",
              "Rev. 2 fits the same screw holes and connectors; move the mains lead to CN1 and check the "
              "LED driver voltage (see the instruction).")
# LUMIERE's own numbers, printed on its labels: (part number, client number, description)
CLIENT_NUMBERS = [
    ("MB.RTD2556.27Q-01", "LUM-27Q-CM01", "Carte mère (scaler) écran 27\" QHD 165 Hz"),
    ("PB.M27I045-02", "LUM-27Q-AL02", "Carte d'alimentation interne 45 W, écran 27\""),
    ("MB.MT9602.55A-02", "LUM-55A-CM02", "Carte mère TV 55\" 4K, Wi-Fi 5 (rév. B)"),
    ("RC.IR-A55", "LUM-55A-TC01", "Télécommande IR, touches Netflix et YouTube"),
]


def plan_issues(today: date) -> list[tuple[date, str, str, str, int]]:
    """(day, part number, model code, client code, quantity) of each month's issues, oldest first."""
    rng = random.Random(SEED)
    buyers = {model: sorted(code for code, (_p, _f, prices) in RANGES.items()
                            if model in prices and code not in FIRST_ORDER_OPEN)
              for _n, model, _m, _q in DEMAND}
    issues = []
    for offset in range(-12, 0):
        for number, model, first, quantities in DEMAND:
            quantity, client, day = rng.choice(quantities), rng.choice(buyers[model]), 3 + rng.randrange(23)
            if offset >= first and quantity:
                issues.append((on_day(today, offset, day), number, model, client, quantity))
    return sorted(issues)


def create_parts(today: date, clients: dict) -> None:
    db.session.flush()
    staff = db.session.scalar(select(User).where(User.email == STAFF))
    parts = {p.number: p for p in db.session.scalars(select(Part))}
    locations = {loc.code: loc for loc in db.session.scalars(select(StockLocation))}
    factory, hong_kong = locations[FACTORY], locations[HONG_KONG]
    issues = plan_issues(today)
    _receive(today, parts, factory, issues, staff)
    _issue_history(issues, parts, clients, factory, staff)
    _transfer_and_count(today, parts, factory, hong_kong, staff)
    _substitute(staff)
    _orders(today, clients, factory, staff)
    for number, client_number, description in CLIENT_NUMBERS:
        save_client_number(clients["LUMIERE"].id, number, client_number, description, user=staff)
    forecast_parts(sorted(p.id for p in parts.values()), today=today)
    db.session.flush()
    # Balances change by SQL UPDATEs (stock.move): reload them when next read in this session.
    for balance in [obj for obj in db.session.identity_map.values() if isinstance(obj, StockBalance)]:
        db.session.expire(balance)


def _model_ids() -> dict[str, int]:
    return dict(db.session.execute(select(ProductModel.code, ProductModel.id)).all())


def _receive(today: date, parts: dict, factory: StockLocation, issues: list, staff) -> None:
    """Each part's purchase: what the year's issues took plus what is left today, in its bin."""
    issued = {}
    for _day, number, _model, _client, quantity in issues:
        issued[number] = issued.get(number, 0) + quantity
    extra = {number: quantity for number, quantity, _bin in TRANSFERS}
    extra[SCRAPPED[0]] = extra.get(SCRAPPED[0], 0) + SCRAPPED[1]
    for number, offset, left, bin_code in RECEIPTS:
        quantity = issued.get(number, 0) + extra.get(number, 0) + left
        move(MoveRequest("receipt", parts[number].id, quantity, f"Purchase order PO-{abs(offset):02d}-{number}",
                         to_location_id=factory.id, day=on_day(today, offset, 15)), user=staff)
        set_bin(db.session.get(StockBalance, (factory.id, parts[number].id)), bin_code, user=staff)


def _issue_history(issues: list, parts: dict, clients: dict, factory: StockLocation, staff) -> None:
    model_ids = _model_ids()
    for day, number, model, client, quantity in issues:
        move(MoveRequest("issue", parts[number].id, quantity, f"Warranty replacements for {client}",
                         from_location_id=factory.id, client_id=clients[client].id, model_id=model_ids[model],
                         day=day), user=staff)


def _transfer_and_count(today: date, parts: dict, factory: StockLocation, hong_kong: StockLocation, staff) -> None:
    for number, quantity, bin_code in TRANSFERS:
        move(MoveRequest("transfer", parts[number].id, quantity, "Stock for the Hong Kong service point",
                         from_location_id=factory.id, to_location_id=hong_kong.id, day=on_day(today, -2, 5)),
             user=staff)
        set_bin(db.session.get(StockBalance, (hong_kong.id, parts[number].id)), bin_code, user=staff)
    number, quantity, reason = SCRAPPED
    move(MoveRequest("adjustment", parts[number].id, quantity, reason, from_location_id=factory.id,
                     day=on_day(today, -3, 20)), user=staff)


def _substitute(staff) -> None:
    """The old KTV-43B power board is replaced by rev. 2, following the demo's substitute instruction."""
    old, new, instruction = SUBSTITUTE
    document_id = db.session.scalar(select(Document.id).where(Document.doc_type == "substitute_instruction")
                                    .order_by(Document.id).limit(1))
    add_substitute(old, new, instruction=instruction, document_id=document_id, user=staff)


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9, 30), tzinfo=timezone.utc)


def _orders(today: date, clients: dict, factory: StockLocation, staff) -> None:
    users = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(
        ["user@huaxia.example.cn", "admin@lumiere.example.fr"])))}
    huaxia, lumiere = users["user@huaxia.example.cn"], users["admin@lumiere.example.fr"]
    placed = today - timedelta(days=24)
    shipped = create_order(clients["HUAXIA"].id, [LineSpec(3, batch_code="KTV-55A-B05", category="main_board"),
                                                   LineSpec(20, part_number="RC.IR-A55")],
                           user=huaxia, note="门店维修备件", on=placed)
    shipped.created_at = _at(placed)
    ship_order(shipped, factory.id, user=staff, day=placed + timedelta(days=2))
    placed = today - timedelta(days=12)
    short = create_order(clients["HUAXIA"].id, [LineSpec(6, part_number="PNL.ST5461D12-2"),
                                                LineSpec(4, part_number="PB.L55S150-02")],
                         user=huaxia, note="售后中心补货", on=placed)
    short.created_at = _at(placed)
    ship_order(short, factory.id, user=staff, day=placed + timedelta(days=1))
    shortage = db.session.scalar(select(Shortage).where(Shortage.line_id == short.lines[0].id))
    record_step(shortage, "substitute", "not_possible", day=placed + timedelta(days=2), user=staff,
                note="No approved substitute for this panel; purchasing asks CSOT for a quote.")
    placed = today - timedelta(days=3)
    open_order = create_order(clients["LUMIERE"].id, [LineSpec(2, batch_code="KM-27Q-B03", category="main_board"),
                                                      LineSpec(3, part_number="PB.M27I045-02")],
                              user=lumiere, note="Stock SAV Paris", on=placed)
    open_order.created_at = _at(placed)
