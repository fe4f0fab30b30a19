"""Pages: who sees what (clients their own orders and ledger; stock, shortages, labels and
forecasts internal only), forms that refuse bad input and keep what was typed."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from portal.parts.models import PartOrder, PartSubstitute, Shortage, StockMove
from portal.parts.orders import LineSpec, create_order, ship_order

from .conftest import receive

INTERNAL_ONLY = ["/parts/stock", "/parts/client-numbers", "/parts/stock/moves", "/parts/stock/move", "/parts/substitutes", "/parts/labels",
                 "/parts/shortages", "/parts/forecast"]


@pytest.fixture
def orders(world, db):
    acme = create_order(world.acme.id, [LineSpec(1, part_number="MB-55A-01")], on=date(2025, 3, 2))
    globex = create_order(world.globex.id, [LineSpec(2, part_number="MB-55A-01")], on=date(2025, 3, 2))
    ship_order(globex, world.factory.id)  # nothing in stock → a shortage for Globex
    db.session.flush()
    return acme, globex


@pytest.mark.parametrize("path", INTERNAL_ONLY)
def test_internal_pages_forbidden_to_clients(client, world, path):
    client.login(world.acme_user.email)
    assert client.get(path).status_code == 403


def test_forecast_of_a_part_forbidden_to_clients(client, world):
    client.login(world.acme_user.email)
    assert client.get(f"/parts/forecast/{world.board.id}").status_code == 403
    assert client.get(f"/parts/forecast/{world.board.id}/chart.json").status_code == 403


def test_client_sees_only_its_own_orders(client, world, orders):
    acme, globex = orders
    client.login(world.acme_user.email)
    page = client.get("/parts/orders").get_data(as_text=True)
    assert acme.number in page and globex.number not in page
    assert client.get(f"/parts/orders/{acme.id}").status_code == 200
    assert client.get(f"/parts/orders/{globex.id}").status_code == 404
    assert client.post(f"/parts/orders/{acme.id}/ship", data={"location": world.factory.id}).status_code == 403


def test_client_ledger_shows_its_own_entitlement(client, world, make):
    make.shipment(client=world.acme, ship_date=date(2025, 3, 1),
                  lines=[{"model": world.tv55, "quantity": 250, "unit_price": Decimal("1850.00")}])
    client.login(world.acme_user.email)
    page = client.get(f"/parts/ledger?client={world.globex.id}").get_data(as_text=True)
    assert "KTV-55A" in page and "Main board" in page  # its own, whatever the query says


def test_client_places_an_order_by_batch(client, world, db):
    client.login(world.acme_user.email)
    response = client.post("/parts/orders/new", data={
        "note": "urgent", "lines-0-batch_code": "B55-1", "lines-0-category": "main_board", "lines-0-quantity": "2"})
    assert response.status_code == 302
    order = db.session.scalar(select(PartOrder))
    assert order.client_id == world.acme.id and order.lines[0].part_id == world.board.id


def test_bad_order_keeps_what_was_typed(client, world, db):
    client.login(world.acme_user.email)
    response = client.post("/parts/orders/new", data={
        "lines-0-part_number": "NOPE-1", "lines-0-quantity": "2", "lines-1-part_number": "MB-55A-01",
        "lines-1-quantity": "zero"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Line 1: Unknown part number NOPE-1." in page and "Line 2: The quantity must be a whole number." in page
    assert 'value="NOPE-1"' in page and 'value="zero"' in page
    assert db.session.scalar(select(func.count()).select_from(PartOrder)) == 0


def test_staff_ships_and_works_a_shortage(client, world, orders, db):
    acme, globex = orders
    client.login(world.staff.email)
    receive(world, world.board, 5)
    assert client.post(f"/parts/orders/{acme.id}/ship", data={"location": world.factory.id}).status_code == 302
    db.session.expire_all()
    assert db.session.get(PartOrder, acme.id).status == "shipped"
    shortage = db.session.scalar(select(Shortage))
    listing = client.get("/parts/shortages").get_data(as_text=True)
    assert globex.number in listing and "Offer a substitute part" in listing
    response = client.post(f"/parts/shortages/{shortage.id}", data={"outcome": "not_possible", "day": "2025-03-03",
                                                                    "note": "no substitute"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Shortage, shortage.id).next_step == "purchase"
    response = client.post(f"/parts/shortages/{shortage.id}", data={"outcome": "resolved", "day": "2025-03-01"})
    assert response.status_code == 422 and "before the previous one" in response.get_data(as_text=True)


def test_stock_move_form_refuses_and_keeps_input(client, world, db):
    client.login(world.staff.email)
    response = client.post("/parts/stock/move", data={"kind": "consumption", "part_number": "MB-55A-01",
                                                      "from_location": world.factory.id, "quantity": "1",
                                                      "reason": "line short"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Production cannot consume" in page and 'value="line short"' in page
    response = client.post("/parts/stock/move", data={"kind": "receipt", "part_number": "MB-55A-01",
                                                      "to_location": world.hk.id, "quantity": "4", "reason": "buy"})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(StockMove)) == 1
    page = client.get("/parts/stock").get_data(as_text=True)
    assert "HK-SP" in page and "MB-55A-01" in page


def test_quality_may_look_but_not_move(client, world):
    client.login(world.quality.email)
    assert client.get("/parts/stock").status_code == 200
    assert client.get("/parts/stock/move").status_code == 403


def test_substitutes_page_adds_and_refuses(client, world, db):
    client.login(world.staff.email)
    response = client.post("/parts/substitutes", data={"part_number": "MB-55A-01", "substitute_number": "MB-55A-01",
                                                       "instruction": "x"})
    assert response.status_code == 422 and "cannot substitute for itself" in response.get_data(as_text=True)
    response = client.post("/parts/substitutes", data={"part_number": "MB-55A-01", "substitute_number": "PW-55A-01"})
    assert response.status_code == 422 and "repair instruction" in response.get_data(as_text=True)
    response = client.post("/parts/substitutes", data={"part_number": "MB-55A-01", "substitute_number": "PW-55A-01",
                                                       "both_ways": "y", "instruction_url": "https://docs.example/si/1"})
    assert response.status_code == 302
    assert db.session.scalar(select(PartSubstitute)).both_ways


def test_labels_page_returns_a_pdf_and_names_unknown_parts(client, world):
    client.login(world.staff.email)
    response = client.post("/parts/labels", data={"part_numbers": "MB-55A-01\nXX-1", "layout": "a4_3x8",
                                                  "code": "code128", "copies": "1"})
    assert response.status_code == 422 and "XX-1" in response.get_data(as_text=True)
    response = client.post("/parts/labels", data={"part_numbers": "MB-55A-01", "layout": "single_100x50",
                                                  "code": "qr", "copies": "1", "client": str(world.acme.id)})
    assert response.status_code == 200 and response.mimetype == "application/pdf"


def test_forecast_pages(client, world, db):
    client.login(world.staff.email)
    assert client.post("/parts/forecast/run", data={"method": "sba", "service_level": "1.5"}).status_code == 422
    response = client.post("/parts/forecast/run", data={"method": "sba", "service_level": "0.95"})
    assert response.status_code == 302 and "/jobs/" in response.headers["Location"]
    page = client.get("/parts/forecast").get_data(as_text=True)
    assert "MB-55A-01" in page
    assert "forecast-chart" in client.get(f"/parts/forecast/{world.board.id}").get_data(as_text=True)
    chart = client.get(f"/parts/forecast/{world.board.id}/chart.json").get_json()
    assert len(chart["labels"]) == len(chart["history"]) + len(chart["forecast"])


def test_menu_entries(client, world):
    client.login(world.acme_user.email)
    assert 'href="/parts/orders"' in client.get("/").get_data(as_text=True)
    staff = client.application.test_client()
    staff.login(world.staff.email)
    assert 'href="/parts/stock"' in staff.get("/").get_data(as_text=True)


def test_client_part_numbers_page(client, world, db):
    from portal.parts.models import ClientPartNumber

    client.login(world.staff.email)
    response = client.post("/parts/client-numbers", data={"client": world.acme.id, "part_number": "NOPE",
                                                          "number": "A-1"})
    assert response.status_code == 422 and "Unknown part number NOPE" in response.get_data(as_text=True)
    for number in ("A-1", "A-2"):  # the second replaces the first
        response = client.post("/parts/client-numbers", data={"client": world.acme.id, "part_number": "MB-55A-01",
                                                              "number": number, "description": "主板"})
        assert response.status_code == 302
    rows = db.session.scalars(select(ClientPartNumber)).all()
    assert [(r.client_id, r.number, r.description) for r in rows] == [(world.acme.id, "A-2", "主板")]
    assert "A-2" in client.get("/parts/client-numbers").get_data(as_text=True)


def test_staff_orders_for_a_client_who_must_be_chosen(client, world, db):
    client.login(world.staff.email)
    data = {"lines-0-part_number": "MB-55A-01", "lines-0-quantity": "1"}
    response = client.post("/parts/orders/new", data=data)
    assert response.status_code == 422 and "Choose a client." in response.get_data(as_text=True)
    assert client.post("/parts/orders/new", data={**data, "client": world.globex.id}).status_code == 302
    assert db.session.scalar(select(PartOrder)).client_id == world.globex.id
    assert "No orders yet." in client.get(f"/parts/orders?client={world.acme.id}").get_data(as_text=True)
