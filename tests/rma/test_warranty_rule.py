"""An RMA line and the warranty look-up decide the ODM's warranty by the same rule
(portal.warranty.services.warranty_carrier): the contract in force on the unit's ship date."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event

from portal.extensions import db as _db
from portal.schemes.models import Contract
from portal.warranty.services import lookup

from .conftest import D, TODAY, file_rma


def add_client_under(make, db, world, code, scheme, serial, ship_date=date(2025, 3, 1)):
    client = make.client(code=code, name=f"{code} Ltd", currency="CNY")
    db.session.add(Contract(client_id=client.id, scheme_key=scheme, terms={}, currency="CNY", period_kind="month",
                            starts_on=date(2025, 1, 1)))
    make.shipment(client=client, ship_date=ship_date, lines=[
        dict(model=world.tv, quantity=1, unit_price=D("1000"), serials=[serial])])
    return client


@pytest.mark.parametrize("scheme, own_warranty", [
    ("buyout_rebate", True), ("price_discount", True), ("parts_ratio", False), ("repair_compensation", False),
])
def test_rma_line_and_look_up_agree_for_each_scheme(db, world, make, scheme, own_warranty):
    client = add_client_under(make, db, world, "SCH", scheme, "S-1")
    line = file_rma(world, serials=["S-1"], client=client, user=world.staff).lines[0]
    looked_up = lookup(["S-1"], on=TODAY)[0]
    if own_warranty:
        assert (line.in_warranty, line.warranty_ends_on) == (False, None)
        assert looked_up.status == "client_warranty" and looked_up.scheme_key == scheme
    else:
        assert (line.in_warranty, line.warranty_ends_on) == (True, date(2026, 2, 28))
        assert looked_up.status == "in" and looked_up.category("unit").ends_on == line.warranty_ends_on


def test_a_unit_shipped_before_the_buyout_keeps_the_odms_warranty(db, world, make):
    make.shipment(client=world.buyer, ship_date=date(2024, 10, 1), lines=[
        dict(model=world.tv, quantity=1, unit_price=D("200"), serials=["B-EARLY"])])
    rma = file_rma(world, serials=["B-EARLY", "B-1"], client=world.buyer, user=world.buyer_user)
    early, under = rma.lines
    assert early.in_warranty and early.warranty_ends_on == date(2025, 9, 30)  # 12 months from 1 Oct 2024
    assert not under.in_warranty and under.warranty_ends_on is None
    looked_up = {r.serial: r for r in lookup(["B-EARLY", "B-1"], on=TODAY)}
    assert looked_up["B-EARLY"].status == "in" and looked_up["B-EARLY"].scheme_key is None
    assert looked_up["B-1"].status == "client_warranty"


def test_the_clients_contracts_are_read_once_per_rma(db, world, make):
    for day in (date(2024, 10, 1), date(2025, 2, 1), date(2025, 5, 1)):
        make.shipment(client=world.buyer, ship_date=day, lines=[
            dict(model=world.tv, quantity=2, unit_price=D("200"), serials=[f"B-{day}-1", f"B-{day}-2"])])
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(_db.engine, "before_cursor_execute", record)
    try:
        rma = file_rma(world, serials=[f"B-{d}-{i}" for d in ("2024-10-01", "2025-02-01", "2025-05-01")
                                       for i in (1, 2)], client=world.buyer, user=world.buyer_user)
    finally:
        event.remove(_db.engine, "before_cursor_execute", record)
    assert [line.in_warranty for line in rma.lines] == [True, True, False, False, False, False]
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT") and "FROM contract" in s]
    assert len(reads) == 2  # the history for the ship dates, and today's contract for the currency
