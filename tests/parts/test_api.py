"""The spare-parts API: orders for clients (their own only), stock look-up internal only."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from portal.parts.models import PartOrder
from portal.parts.orders import LineSpec, create_order

from .conftest import receive


def test_client_places_and_reads_its_orders(api, world, db):
    response = api.post("/api/v1/parts/orders", world.acme_user, json={
        "note": "for repairs", "lines": [{"batch_code": "B55-1", "category": "main_board", "quantity": 2},
                                         {"part_number": "PW-55A-01", "quantity": 1}]})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["client_id"] == world.acme.id and [l["part_number"] for l in body["lines"]] == ["MB-55A-01",
                                                                                                 "PW-55A-01"]
    assert body["lines"][0]["backordered"] == 2
    other = create_order(world.globex.id, [LineSpec(1, part_number="MB-55A-01")], on=date(2025, 3, 1))
    listed = api.get("/api/v1/parts/orders", world.acme_user).get_json()
    assert [o["id"] for o in listed] == [body["id"]]
    assert api.get(f"/api/v1/parts/orders/{other.id}", world.acme_user).status_code == 404
    assert api.get(f"/api/v1/parts/orders/{other.id}", world.staff).status_code == 200


def test_bad_orders_get_errors_by_line_and_nothing_is_written(api, world, db):
    response = api.post("/api/v1/parts/orders", world.acme_user, json={
        "lines": [{"part_number": "MB-55A-01", "quantity": 1}, {"part_number": "NOPE", "quantity": 1}]})
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"]["lines"]["1"] == ["Unknown part number NOPE."]
    response = api.post("/api/v1/parts/orders", world.acme_user, json={"lines": [{"part_number": "X", "quantity": 0}]})
    assert response.status_code == 422
    response = api.post("/api/v1/parts/orders", world.staff, json={"lines": [{"part_number": "MB-55A-01",
                                                                              "quantity": 1}]})
    assert response.status_code == 422 and "client_id" in response.get_json()["errors"]["json"]
    assert db.session.scalar(select(func.count()).select_from(PartOrder)) == 0


def test_stock_look_up_is_internal(api, world, db):
    receive(world, world.board, 4)
    assert api.get("/api/v1/parts/stock", world.acme_user).status_code == 403
    assert api.get("/api/v1/parts/stock", None).status_code == 401
    rows = api.get("/api/v1/parts/stock?part_number=MB-55A", world.quality).get_json()
    assert rows == [{"part_number": "MB-55A-01", "description": "Main board 55A", "location_code": "AS-SZ",
                     "location_kind": "after_sales", "quantity": 4}]
