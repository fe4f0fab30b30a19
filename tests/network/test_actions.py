"""The shared POST shape of the network pages (portal/network/_actions.py): where a refusal is
shown, and that a refused action leaves nothing behind."""
from __future__ import annotations

from sqlalchemy import select

from portal.network.onsite_models import OnsiteVisit, Technician


def test_a_refused_technician_is_flashed_on_the_calendar(client, make, db):
    client.login(make.user(role="admin").email)
    finance = make.user(role="finance")
    response = client.post("/network/technicians", data={"user_id": finance.id})
    assert response.status_code == 302 and response.headers["Location"].endswith("/network/calendar")
    page = client.get("/network/calendar").get_data(as_text=True)
    assert "A technician is an active after-sales staff user." in page
    assert db.session.scalar(select(Technician).where(Technician.user_id == finance.id)) is None


def test_a_technician_added_goes_to_its_week(client, make, db):
    client.login(make.user(role="admin").email)
    staff = make.user(role="staff", name="Li Ming")
    response = client.post("/network/technicians", data={"user_id": staff.id}, follow_redirects=True)
    tech = db.session.scalar(select(Technician).where(Technician.user_id == staff.id))
    assert f"technician={tech.id}" in response.request.url
    assert "Li Ming is a technician." in response.get_data(as_text=True)


def test_cancelling_twice_flashes_the_refusal_on_the_visit(client, make, net, db):
    user = make.user(role="client_user")
    visit = net.visit(user.client)
    client.login(user.email)
    first = client.post(f"/network/onsite/{visit.id}/cancel", follow_redirects=True)
    assert "Visit cancelled." in first.get_data(as_text=True)
    again = client.post(f"/network/onsite/{visit.id}/cancel")
    assert again.status_code == 302 and again.headers["Location"].endswith(f"/network/onsite/{visit.id}")
    assert "Only a requested or scheduled visit can be cancelled." in client.get(again.headers["Location"]).get_data(
        as_text=True)
    db.session.expire_all()
    assert db.session.get(OnsiteVisit, visit.id).status == "cancelled"


def test_a_state_refusal_on_a_visit_form_is_flashed_not_rendered(client, make, net, db):
    visit = net.visit(make.client(), status="cancelled")
    client.login(make.user(role="staff").email)
    response = client.post(f"/network/onsite/{visit.id}/complete", data={"outcome": "fixed"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/network/onsite/{visit.id}")
    assert "Only a scheduled visit can be completed." in client.get(response.headers["Location"]).get_data(
        as_text=True)
