"""The demo's spare parts: stock on hand at the after-sales warehouse (in bins), a ledger of moves
that adds up to the balances, issue history for the forecast, a substitute, orders at
different steps seen by their own client only, and a load that happens once."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.clients.models import Client
from portal.demo import DEMO_PASSWORD, load_demo
from portal.demo.parts import plan_issues
from portal.parts.models import (ClientPartNumber, PartForecast, PartOrder, PartSubstitute, Shortage, StockBalance,
                                 StockLocation, StockMove)
from portal.parts.stock import on_hand

TABLES = (StockMove, StockBalance, PartOrder, Shortage, PartSubstitute, ClientPartNumber, PartForecast)


@pytest.fixture
def demo(db):
    assert load_demo() is True
    return db


def balances(session) -> dict[tuple[int, int], int]:
    table = StockBalance.__table__.c
    return {(loc, part): qty for loc, part, qty in session.execute(
        select(table.location_id, table.part_id, table.quantity))}


def test_after_sales_warehouse_holds_stock_in_bins(demo):
    factory = demo.session.scalar(select(StockLocation).where(StockLocation.code == "AS-FACTORY"))
    rows = demo.session.scalars(select(StockBalance).where(StockBalance.location_id == factory.id)).all()
    assert sum(row.quantity for row in rows) > 0
    assert rows and all(row.bin for row in rows)
    held = on_hand([row.part_id for row in rows])
    assert sum(held.values()) > 0


def test_the_ledger_of_moves_sums_to_the_balances(demo):
    move = StockMove.__table__.c
    totals: dict[tuple[int, int], int] = {}
    for location_column, sign in ((move.to_location_id, 1), (move.from_location_id, -1)):
        rows = demo.session.execute(select(location_column, move.part_id, func.sum(move.quantity))
                                    .where(location_column.is_not(None)).group_by(location_column, move.part_id))
        for location_id, part_id, quantity in rows:
            totals[(location_id, part_id)] = totals.get((location_id, part_id), 0) + sign * int(quantity)
    assert totals == balances(demo.session)
    kinds = set(demo.session.scalars(select(StockMove.kind).distinct()))
    assert {"receipt", "issue", "transfer", "adjustment"} <= kinds


def test_issues_of_the_last_months_feed_the_forecast(demo):
    months = demo.session.scalars(select(StockMove.day).where(StockMove.kind == "issue")).all()
    assert len({(d.year, d.month) for d in months}) >= 10
    assert all(d <= date.today() for d in months)
    verdicts = set(demo.session.scalars(select(PartForecast.verdict)))
    assert "under" in verdicts  # the old KTV-43B power board runs low


def test_the_issue_plan_is_the_same_whatever_the_date():
    def shape(today):
        return [(number, model, client, quantity) for _day, number, model, client, quantity in plan_issues(today)]

    assert shape(date(2026, 3, 15)) == shape(date(2027, 11, 2))


def test_orders_at_different_steps_with_a_shortage_and_a_substitute(demo):
    orders = demo.session.scalars(select(PartOrder).order_by(PartOrder.id)).all()
    by_client = {(order.client.code, order.status) for order in orders}
    assert by_client == {("HUAXIA", "shipped"), ("HUAXIA", "partly_shipped"), ("LUMIERE", "open")}
    (shortage,) = demo.session.scalars(select(Shortage)).all()
    assert not shortage.closed and shortage.next_step == "purchase"
    (rule,) = demo.session.scalars(select(PartSubstitute)).all()
    assert (rule.part.number, rule.substitute.number) == ("PB.L43S090-01", "PB.L43S090-02")
    assert rule.document_id is not None
    lumiere = demo.session.scalar(select(Client.id).where(Client.code == "LUMIERE"))
    assert not demo.session.scalars(select(StockMove).where(StockMove.client_id == lumiere)).all()  # first order open
    numbers = demo.session.scalars(select(ClientPartNumber)).all()
    assert numbers and {n.client_id for n in numbers} == {lumiere}


@pytest.mark.parametrize("email, own, other", [("admin@lumiere.example.fr", "LUMIERE", "HUAXIA"),
                                                ("user@huaxia.example.cn", "HUAXIA", "LUMIERE")])
def test_each_client_sees_only_its_own_orders(demo, client, email, own, other):
    orders = demo.session.scalars(select(PartOrder).order_by(PartOrder.id)).all()
    mine = [o for o in orders if o.client.code == own]
    theirs = [o for o in orders if o.client.code == other]
    client.login(email, DEMO_PASSWORD)
    listing = client.get("/parts/orders")
    assert listing.status_code == 200
    assert all(o.number in listing.text for o in mine)
    assert not any(o.number in listing.text for o in theirs)
    assert client.get(f"/parts/orders/{mine[0].id}").status_code == 200
    assert client.get(f"/parts/orders/{theirs[0].id}").status_code == 404


def test_staff_see_the_demo_stock(demo, client):
    client.login("service@odm.example.com", DEMO_PASSWORD)
    page = client.get("/parts/stock")
    assert page.status_code == 200 and "AS-FACTORY" in page.text and "A-01-03" in page.text


def test_loading_twice_adds_no_parts_data(db):
    assert load_demo() is True
    first = {table.__name__: db.session.scalar(select(func.count()).select_from(table)) for table in TABLES}
    assert all(first.values())
    stock = balances(db.session)
    assert load_demo() is False
    assert {table.__name__: db.session.scalar(select(func.count()).select_from(table)) for table in TABLES} == first
    assert balances(db.session) == stock

