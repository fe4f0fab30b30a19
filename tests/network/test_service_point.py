"""The Hong Kong service point: weekly schedule, arrivals, visits that collect them, the hook
other capabilities call, and what RMA routed there."""
from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import func, select

from portal.network.errors import NetworkError
from portal.network.service_point import (next_visit_day, receive_at_service_point, record_visit, set_schedule,
                                          waiting_items)
from portal.network.service_point_models import ServicePointItem, ServicePointVisit


def test_next_visit_from_the_weekly_schedule(net, app):
    point = net.service_point()
    with app.test_request_context():
        schedule = set_schedule(point, 3, time(10, 0))  # Thursdays
    assert next_visit_day(schedule, date(2026, 11, 24)) == date(2026, 11, 26)  # Tuesday -> Thursday
    assert next_visit_day(schedule, date(2026, 11, 26)) == date(2026, 11, 26)
    assert next_visit_day(schedule, date(2026, 11, 27)) == date(2026, 12, 3)
    with app.test_request_context(), pytest.raises(NetworkError):
        set_schedule(net.station(), 3, time(10, 0))  # an ordinary station has no visits


def test_hook_receives_items_and_a_visit_collects_them(net, make, app, db):
    point = net.service_point()
    owner = make.client()
    staff = make.user(role="staff")
    with app.test_request_context():
        a = receive_at_service_point(owner.id, "board", date(2026, 11, 20), serial="MB-1", rma_ref="RMA-9")
        b = receive_at_service_point(owner.id, "unit", date(2026, 11, 21), description="55 inch, cracked")
        with pytest.raises(NetworkError, match="serial number or a description"):
            receive_at_service_point(owner.id, "unit", date(2026, 11, 21))
        with pytest.raises(NetworkError, match="unit or board"):
            receive_at_service_point(owner.id, "pallet", date(2026, 11, 21), serial="X")
        assert [i.id for i in waiting_items(point)] == [a.id, b.id]
        visit = record_visit(point, date(2026, 11, 26), staff.id, [a.id], "one carton", today=date(2026, 11, 26))
    assert [i.id for i in waiting_items(point)] == [b.id]
    assert visit.items == [a]
    with app.test_request_context(), pytest.raises(NetworkError, match="not waiting"):
        record_visit(point, date(2026, 11, 26), staff.id, [a.id, b.id], "", today=date(2026, 11, 26))
    assert [i.id for i in waiting_items(point)] == [b.id]  # nothing half-written


def test_bad_visits(net, make, app):
    point = net.service_point()
    staff, client_user = make.user(role="staff"), make.user(role="client_user")
    with app.test_request_context():
        with pytest.raises(NetworkError, match="cannot be in the future"):
            record_visit(point, date(2026, 12, 1), staff.id, [], "", today=date(2026, 11, 26))
        with pytest.raises(NetworkError, match="member of staff"):
            record_visit(point, date(2026, 11, 26), client_user.id, [], "", today=date(2026, 11, 26))


def test_service_point_page_and_forms(client, make, net, db):
    point = net.service_point(code="HK-SP")
    owner = make.client(name="Pearl AV")
    staff = make.user(role="staff", name="Li Na")
    client.login(staff.email)
    assert client.post("/network/hk/schedule", data={"weekday": "3", "visit_time": "10:00"}).status_code == 302
    bad = client.post("/network/hk/items", data={"client_id": owner.id, "kind": "unit", "received_on": "yesterday",
                                                 "serial": "KEPT-SERIAL"})
    assert bad.status_code == 422 and "YYYY-MM-DD" in bad.get_data(as_text=True) and "KEPT-SERIAL" in bad.get_data(as_text=True)
    ok = client.post("/network/hk/items", data={"client_id": owner.id, "kind": "board", "serial": "MB-77",
                                                "received_on": date.today().isoformat()})
    assert ok.status_code == 302
    page = client.get("/network/hk").get_data(as_text=True)
    assert "MB-77" in page and "Pearl AV" in page and "Next visit" in page
    item = db.session.scalar(select(ServicePointItem).where(ServicePointItem.serial == "MB-77"))
    visit = client.post("/network/hk/visits", data={"visit_date": date.today().isoformat(), "visitor_id": staff.id,
                                                    "item_ids": [item.id], "notes": "all good"})
    assert visit.status_code == 302
    db.session.expire_all()
    assert db.session.get(ServicePointItem, item.id).collected_visit_id is not None
    assert db.session.scalar(select(func.count()).select_from(ServicePointVisit)) >= 1
    assert point.id


def test_rma_routed_to_the_point_is_listed_as_waiting(client, make, net, db):
    from portal.rma import models as rma_models  # the RMA capability, built alongside
    net.service_point(code="HK-SP")
    owner = make.client(name="Overseas Co")
    rma = rma_models.Rma(client_id=owner.id, number="RMA-HK-1", kind="board", destination="hk_service_point",
                         fault_description="dead", status="shipped", currency="USD", line_count=2)
    db.session.add(rma)
    db.session.flush()
    client.login(make.user(role="staff").email)
    page = client.get("/network/hk").get_data(as_text=True)
    assert "RMA-HK-1" in page and "Overseas Co" in page


def test_clients_have_no_access_to_the_service_point(client, make, net):
    net.service_point()
    client.login(make.user(role="client_admin").email)
    assert client.get("/network/hk").status_code == 403
    assert client.post("/network/hk/items", data={}).status_code == 403
