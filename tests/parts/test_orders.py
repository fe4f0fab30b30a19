"""Orders: resolution by batch, errors by line, pricing under the parts-ratio scheme,
shipping with backorders and shortages, and the settlement end to end (DOMAIN example)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from portal.parts.ledger import client_ledger, part_issue_facts
from portal.parts.models import PartOrder, Shortage
from portal.parts.orders import LineSpec, OrderInvalid, create_order, resolve, ship_order
from portal.parts.substitutes import add_substitute
from portal.settlements.engine import compute_draft
from portal.settlements.facts import fact_providers

from .conftest import receive

D = Decimal
ON = date(2025, 3, 20)


def ship_units(make, world, quantity=250, day=date(2025, 3, 1)):
    make.shipment(client=world.acme, ship_date=day,
                  lines=[{"model": world.tv55, "quantity": quantity, "unit_price": D("1850.00")}])


def test_main_board_resolved_from_the_batch_material_list(world):
    part, model, batch = resolve(LineSpec(1, batch_code="B55-1", category="main_board"))
    assert (part, model, batch) == (world.board, world.tv55, world.batch)
    part, model, _ = resolve(LineSpec(1, part_number="PW-55A-01"))  # the one model that used it
    assert (part, model) == (world.power, world.tv55)


@pytest.mark.parametrize("spec, message", [
    (LineSpec(1, part_number="NOPE"), "Unknown part number NOPE"),
    (LineSpec(1, batch_code="B-NONE", category="main_board"), "Unknown batch B-NONE"),
    (LineSpec(1, batch_code="B55-1", category="panel"), "names no part of this category"),
    (LineSpec(1, model_code="KTV-55A", category="main_board"), "Name the batch"),
    (LineSpec(1, category="main_board"), "Name the batch"),
    (LineSpec(1), "Give a part number"),
])
def test_unresolvable_lines_are_refused(world, spec, message):
    with pytest.raises(ValueError, match=message):
        resolve(spec)


def test_errors_by_line_and_nothing_written(world, db):
    with pytest.raises(OrderInvalid) as caught:
        create_order(world.acme.id, [LineSpec(1, part_number="MB-55A-01"), LineSpec("two", part_number="MB-55A-01"),
                                     LineSpec(1, part_number="NOPE")], on=ON)
    assert set(caught.value.errors) == {1, 2}
    assert "whole number" in caught.value.errors[1][0]
    assert db.session.scalar(select(func.count()).select_from(PartOrder)) == 0
    with pytest.raises(OrderInvalid, match="at least one line"):
        create_order(world.acme.id, [], on=ON)


def test_ratio_pricing_free_while_entitlement_remains(world, make):
    ship_units(make, world)  # 250 units → floor(2.5) = 2 free main boards
    order = create_order(world.acme.id, [LineSpec(3, batch_code="B55-1", category="main_board")], on=ON)
    line = order.lines[0]
    assert order.scheme_key == "parts_ratio" and order.currency == "CNY"
    assert (line.free_quantity, line.charged_quantity, line.unit_price) == (2, 1, D("310.00"))


def test_other_schemes_price_on_request_or_agreed(world, make):
    order = create_order(world.globex.id, [LineSpec(2, part_number="MB-55A-01")], on=ON)
    assert (order.lines[0].free_quantity, order.lines[0].unit_price, order.currency) == (0, None, "USD")


def test_shipping_issues_stock_and_backorders_the_rest(world, make, db):
    receive(world, world.board, 2)
    alt = make.part(number="MB-55A-02", category="main_board", description="Main board 55A rev. B")
    receive(world, alt, 5)
    add_substitute("MB-55A-01", "MB-55A-02", instruction="Move the panel cable to CN3; flash firmware 2.1.")
    order = create_order(world.acme.id, [LineSpec(3, part_number="MB-55A-01"),
                                         LineSpec(1, part_number="PW-55A-01")], on=ON)
    result = ship_order(order, world.factory.id, user=world.staff, day=ON)
    assert result == {"shipped": 2, "backordered": 2}
    assert order.status == "partly_shipped"
    assert [(l.shipped, l.backordered) for l in order.lines] == [(2, 1), (0, 1)]
    shortages = {s.line.part.number: s for s in db.session.scalars(select(Shortage))}
    assert shortages["MB-55A-01"].substitute.substitute.number == "MB-55A-02"
    assert shortages["MB-55A-01"].next_step == "substitute"
    assert shortages["PW-55A-01"].substitute is None
    receive(world, world.board, 1)
    receive(world, world.power, 1)
    assert ship_order(order, world.factory.id, day=ON) == {"shipped": 2, "backordered": 0}
    assert order.status == "shipped"
    assert db.session.scalar(select(func.count()).select_from(Shortage)) == 2  # kept, not duplicated


def test_production_location_cannot_ship_orders(world):
    order = create_order(world.acme.id, [LineSpec(1, part_number="MB-55A-01")], on=ON)
    from portal.parts.stock import StockError

    with pytest.raises(StockError, match="after-sales stock only"):
        ship_order(order, world.line.id)


def test_order_issue_settle_end_to_end_domain_example(world, make, db):
    """250 units shipped, ratio 1 %, three main boards at 310.00 → the third is charged 310.00; ledger 2/2/0."""
    assert "part_issues" in fact_providers()
    ship_units(make, world)
    receive(world, world.board, 3)
    order = create_order(world.acme.id, [LineSpec(3, batch_code="B55-1", category="main_board")], on=ON)
    ship_order(order, world.factory.id, user=world.staff, day=ON)
    draft = compute_draft(world.acme.id, date(2025, 3, 1))
    assert draft.total == D("-310.00")
    charged = [line for line in draft.lines if line.section == "parts_charged"]
    assert [(line.amount, line.quantity) for line in charged] == [(D("310.00"), 1)]
    rows = {(r["model_code"], r["category"]): r for r in draft.ledger}
    assert (rows[("KTV-55A", "main_board")]["accrued"], rows[("KTV-55A", "main_board")]["used"],
            rows[("KTV-55A", "main_board")]["remaining"]) == (2, 2, 0)
    _contract, ledger = client_ledger(world.acme.id, on=ON)
    assert [(r.accrued, r.used, r.remaining) for r in ledger if r.category == "main_board"] == [(2, 2, 0)]


def test_free_parts_issued_before_the_period_carry_over(world, make, db):
    ship_units(make, world, day=date(2025, 2, 1))
    receive(world, world.board, 3)
    order = create_order(world.acme.id, [LineSpec(2, part_number="MB-55A-01")], on=date(2025, 2, 10))
    ship_order(order, world.factory.id, day=date(2025, 2, 10))
    order = create_order(world.acme.id, [LineSpec(1, part_number="MB-55A-01")], on=date(2025, 3, 5))
    assert order.lines[0].free_quantity == 0
    ship_order(order, world.factory.id, day=date(2025, 3, 5))
    draft = compute_draft(world.acme.id, date(2025, 3, 1))
    assert draft.total == D("-310.00")
    from portal.settlements.facts import FactQuery
    from contracts.types import Period

    facts = part_issue_facts(FactQuery(world.acme.id, "ACME", "CNY", date(2025, 1, 1),
                                       Period(date(2025, 3, 1), date(2025, 3, 31))))
    assert facts["free_issued_before"] == {("KTV-55A", "main_board"): 2}
    assert [issue.quantity for issue in facts["part_issues"]] == [1]
