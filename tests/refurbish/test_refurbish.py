"""Refurbishment orders: from an RMA or the client's own stock, units graded and costed,
the order's progress; bad input and tenancy."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.refurbish import services
from portal.refurbish.models import RefurbOrder
from portal.rma.workflow import apply
from tests.rma.conftest import D, file_rma, sign_in


def test_an_order_from_the_received_units_of_an_rma(db, world):
    rma = file_rma(world)
    apply(rma, "approve", world.staff)
    apply(rma, "ship", world.acme_user, carrier="SF", tracking="1")
    apply(rma, "receive", world.staff, serials=["A-1"])
    order = services.create_order(world.acme.id, rma_number=rma.number, output="refurbished_stock", user=world.staff)
    assert order.number.startswith("RF-") and [u.serial for u in order.units] == ["A-1"] and order.source == "rma"
    services.record_unit(order.units[0], inspection="scratches", grade="B", parts_replaced="MB-100",
                         repackaged=True, cost="35.5")
    assert order.status == "done" and order.progress == 100 and order.units[0].cost == D("35.50")


def test_an_order_for_the_clients_own_stock_shows_progress(db, world):
    order = services.create_order(world.acme.id, serials=["A-1", "A-2", "A-3"], user=world.acme_user)
    services.record_unit(order.units[0], inspection="", grade="A", parts_replaced="", repackaged=True, cost="0")
    assert (order.status, order.done_count, order.progress) == ("in_progress", 1, 33)


@pytest.mark.parametrize("kwargs,field", [
    (dict(serials=["A-1", "O-1"]), "serials"),
    (dict(serials=["A-1", "A-1"]), "serials"),
    (dict(serials=[]), "serials"),
    (dict(rma_number="RMA-999999"), "rma"),
    (dict(serials=["A-1"], output="moon"), "output"),
])
def test_bad_orders_write_nothing(db, world, kwargs, field):
    before = db.session.scalar(select(func.count(RefurbOrder.id)))
    with pytest.raises(services.RefurbInvalid) as caught:
        services.create_order(world.acme.id, **kwargs)
    assert field in caught.value.errors
    assert db.session.scalar(select(func.count(RefurbOrder.id))) == before


def test_a_bad_grade_or_cost_changes_nothing(db, world):
    order = services.create_order(world.acme.id, serials=["A-1"])
    with pytest.raises(services.RefurbInvalid) as caught:
        services.record_unit(order.units[0], inspection="", grade="Z", parts_replaced="", repackaged=False, cost="-3")
    assert set(caught.value.errors) == {"grade", "cost"}
    assert order.units[0].grade is None and order.status == "open"


def test_pages_and_tenancy(client, db, world):
    sign_in(client, world.acme_user)
    bad = client.post("/refurbish/new", data={"serials": "A-1 O-1", "output": "client"})
    assert bad.status_code == 422 and "unknown serial number O-1" in bad.get_data(as_text=True)
    assert client.post("/refurbish/new", data={"serials": "A-1 A-2", "output": "client"}).status_code == 302
    order = db.session.scalars(select(RefurbOrder).order_by(RefurbOrder.id.desc())).first()
    page = client.get(f"/refurbish/{order.id}").get_data(as_text=True)
    assert "0 of 2 units done" in page
    assert client.post(f"/refurbish/{order.id}/units/{order.units[0].id}", data={}).status_code == 403
    sign_in(client, world.staff)
    unit = order.units[0]
    bad = client.post(f"/refurbish/{order.id}/units/{unit.id}", data={f"u{unit.id}-grade": "A", f"u{unit.id}-cost": "x"})
    assert bad.status_code == 422 and "Enter the cost" in bad.get_data(as_text=True)
    ok = client.post(f"/refurbish/{order.id}/units/{unit.id}", data={f"u{unit.id}-grade": "A", f"u{unit.id}-cost": "12"})
    assert ok.status_code == 302
    assert "1 of 2 units done" in client.get(f"/refurbish/{order.id}").get_data(as_text=True)
    sign_in(client, world.other_user)
    assert client.get(f"/refurbish/{order.id}").status_code == 404
    assert order.number not in client.get("/refurbish/").get_data(as_text=True)
