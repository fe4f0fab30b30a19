"""On-site service: requests, scheduling conflicts (also under concurrency), results,
confirmation, and the technician's week."""
from __future__ import annotations

import threading
import uuid
from datetime import date, datetime, time, timedelta, timezone

import pytest
from sqlalchemy import delete, func, select

from portal.auth.models import User
from portal.clients.models import Client
from portal.extensions import db as _db
from portal.network.errors import NetworkError, SchedulingConflict
from portal.network.onsite import schedule_visit, technician_week, to_utc
from portal.network.onsite_models import OnsiteVisit, Technician

SOON = date.today() + timedelta(days=30)


def test_client_requests_a_visit_and_bad_input_is_refused(client, make, db):
    user = make.user(role="client_user")
    client.login(user.email)
    good = dict(address="深圳市南山区 88 号", fault="No picture", serials="SN1, SN2\nSN1", contact_name="",
                contact_phone="", preferred_times="mornings", preferred_date=SOON.isoformat())
    response = client.post("/network/onsite/new", data=good)
    assert response.status_code == 302
    visit = db.session.scalar(select(OnsiteVisit).where(OnsiteVisit.client_id == user.client_id))
    assert visit.status == "requested" and visit.serial_list == ["SN1", "SN2"] and visit.requested_by_id == user.id
    for field, value, message in (("address", "", "Enter the address"), ("fault", " ", "Describe the fault"),
                                  ("preferred_date", "2001-01-01", "cannot be in the past"),
                                  ("preferred_date", "31/12/2030", "YYYY-MM-DD")):
        page = client.post("/network/onsite/new", data={**good, field: value, "preferred_times": "kept text"})
        text = page.get_data(as_text=True)
        assert message in text and "kept text" in text, field
    assert db.session.scalar(select(func.count()).select_from(OnsiteVisit).where(
        OnsiteVisit.client_id == user.client_id)) == 1


def test_staff_cannot_request_for_itself(client, make):
    client.login(make.user(role="staff").email)
    assert client.get("/network/onsite/new").status_code == 403


def test_overlapping_slot_is_refused_with_nothing_saved(net, make, db, app):
    tech = net.technician()
    owner = make.client()
    first, second = net.visit(owner), net.visit(owner)
    with app.test_request_context():
        schedule_visit(first, tech.id, SOON, time(9, 0), 120)
        version = tech.schedule_version
        with pytest.raises(SchedulingConflict, match="already has a visit"):
            schedule_visit(second, tech.id, SOON, time(10, 30), 60)
    db.session.refresh(second)
    db.session.refresh(tech)
    assert second.status == "requested" and second.technician_id is None and second.starts_at is None
    assert tech.schedule_version == version
    with app.test_request_context():
        schedule_visit(second, tech.id, SOON, time(11, 0), 60)  # touching the end is not overlapping
    assert second.status == "scheduled"


def test_cancelled_visits_free_the_slot_and_other_technicians_are_independent(net, make, db, app):
    tech, other = net.technician(), net.technician()
    owner = make.client()
    a, b, c = net.visit(owner), net.visit(owner), net.visit(owner)
    with app.test_request_context():
        schedule_visit(a, tech.id, SOON, time(9, 0), 120)
        schedule_visit(b, other.id, SOON, time(9, 0), 120)
        a.status = "cancelled"
        db.session.flush()
        schedule_visit(c, tech.id, SOON, time(9, 30), 30)
    assert c.technician_id == tech.id


@pytest.mark.parametrize("kwargs, message", [
    (dict(minutes=5), "between 15 minutes"),
    (dict(minutes=13 * 60), "between 15 minutes"),
    (dict(day=date(2020, 1, 1)), "in the future"),
    (dict(technician_id=0), "active technician"),
])
def test_bad_schedules(net, make, app, kwargs, message):
    tech = net.technician()
    visit = net.visit(make.client())
    args = dict(technician_id=tech.id, day=SOON, start=time(9, 0), minutes=60)
    args.update(kwargs)
    with app.test_request_context(), pytest.raises(NetworkError, match=message):
        schedule_visit(visit, **args)


def test_schedule_page_shows_the_conflict_and_keeps_the_input(client, make, net, db, app):
    tech = net.technician(name="Chen Wei")
    owner = make.client()
    taken, wanted = net.visit(owner), net.visit(owner)
    with app.test_request_context():
        schedule_visit(taken, tech.id, SOON, time(14, 0), 120)
    client.login(make.user(role="staff").email)
    response = client.post(f"/network/onsite/{wanted.id}/schedule",
                           data=dict(technician_id=tech.id, day=SOON.isoformat(), start="15:00", minutes="45"))
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Chen Wei already has a visit from" in text and 'value="15:00"' in text and 'value="45"' in text
    db.session.expire_all()
    assert db.session.get(OnsiteVisit, wanted.id).status == "requested"
    ok = client.post(f"/network/onsite/{wanted.id}/schedule",
                     data=dict(technician_id=tech.id, day=SOON.isoformat(), start="16:00", minutes="45"))
    assert ok.status_code == 302


def test_result_then_client_confirmation(client, make, net, db, app):
    user = make.user(role="client_admin")
    tech = net.technician()
    visit = net.visit(user.client)
    with app.test_request_context():
        schedule_visit(visit, tech.id, SOON, time(9, 0), 60)
    staff = make.user(role="staff")
    client.login(user.email)
    early = client.post(f"/network/onsite/{visit.id}/confirm", data={"feedback": "?"}, follow_redirects=True)
    assert "Only a completed visit" in early.get_data(as_text=True)
    client.post("/logout")
    client.login(staff.email)
    bad = client.post(f"/network/onsite/{visit.id}/complete", data={"outcome": "maybe"})
    assert "Say whether the fault was fixed" in bad.get_data(as_text=True)
    done = client.post(f"/network/onsite/{visit.id}/complete",
                       data={"outcome": "fixed", "parts_used": "MB x1", "follow_up_rma": "y", "notes": "ok"})
    assert done.status_code == 302
    client.post("/logout")
    client.login(user.email)
    assert client.post(f"/network/onsite/{visit.id}/confirm", data={"feedback": "Thanks"}).status_code == 302
    db.session.expire_all()
    found = db.session.get(OnsiteVisit, visit.id)
    assert found.status == "confirmed" and found.follow_up_rma and not found.first_time_fix
    assert found.client_feedback == "Thanks"


def test_week_grid_places_visits_by_local_day_and_hour(net, make, db, app):
    tech = net.technician()
    owner = make.client()
    monday = SOON - timedelta(days=SOON.weekday())
    with app.test_request_context():
        wednesday = net.visit(owner)
        schedule_visit(wednesday, tech.id, monday + timedelta(days=2), time(14, 30), 60)
        sunday_evening = net.visit(owner)
        schedule_visit(sunday_evening, tech.id, monday + timedelta(days=6), time(21, 0), 60)
        next_week = net.visit(owner)
        schedule_visit(next_week, tech.id, monday + timedelta(days=7), time(9, 0), 60)
        grid = technician_week(tech.id, monday + timedelta(days=3))
    assert grid.monday == monday and len(grid.days) == 7 and grid.days[-1].weekday() == 6
    assert grid.cells == {(2, 14): [wednesday]}
    assert grid.spans == {(2, 14): 2} and grid.covered == {(2, 15)}  # 14:30-15:30 runs into the 15:00 row
    assert grid.early_late == {6: [sunday_evening]}
    assert grid.previous == monday - timedelta(days=7) and grid.next == monday + timedelta(days=7)


def test_calendar_page_navigates_weeks(client, make, net, app):
    tech = net.technician(name="Zhao Jun")
    visit = net.visit(make.client(), address="Visit in the grid")
    with app.test_request_context():
        schedule_visit(visit, tech.id, SOON, time(10, 0), 60)
    client.login(make.user(role="staff").email)
    monday = SOON - timedelta(days=SOON.weekday())
    page = client.get(f"/network/calendar?technician={tech.id}&week={SOON.isoformat()}").get_data(as_text=True)
    assert "Visit in the grid" in page and f"week={(monday + timedelta(days=7)).isoformat()}" in page
    empty = client.get(f"/network/calendar?technician={tech.id}&week={(monday + timedelta(days=7)).isoformat()}")
    assert "Visit in the grid" not in empty.get_data(as_text=True)
    assert client.get("/network/calendar?week=not-a-date").status_code == 404


def test_only_active_staff_become_technicians(client, make, db):
    admin = make.user(role="admin")
    finance = make.user(role="finance")
    staff = make.user(role="staff")
    client.login(admin.email)
    client.post("/network/technicians", data={"user_id": finance.id})
    assert db.session.scalar(select(Technician).where(Technician.user_id == finance.id)) is None
    client.post("/network/technicians", data={"user_id": staff.id, "skills": "boards"})
    assert db.session.scalar(select(Technician.skills).where(Technician.user_id == staff.id)) == "boards"


# --- two schedulers at once, with real commits ------------------------------------------------

def _setup_race(code):
    owner = Client(code=code, name=f"Race {code}", market="domestic", locale="en", currency="CNY")
    user = User(email=f"{code.lower()}@race.example.com", name=f"Race {code}", role="staff", password_hash="x")
    _db.session.add_all([owner, user])
    _db.session.flush()
    tech = Technician(user_id=user.id)
    visits = [OnsiteVisit(client_id=owner.id, address="A", fault="F") for _ in range(2)]
    _db.session.add_all([tech, *visits])
    _db.session.commit()
    return owner.id, user.id, tech.id, [v.id for v in visits]


def _cleanup_race(owner_id, user_id, tech_id):
    _db.session.remove()
    with _db.engine.begin() as conn:
        conn.execute(delete(OnsiteVisit.__table__).where(OnsiteVisit.__table__.c.client_id == owner_id))
        conn.execute(delete(Technician.__table__).where(Technician.__table__.c.id == tech_id))
        conn.execute(delete(User.__table__).where(User.__table__.c.id == user_id))
        conn.execute(delete(Client.__table__).where(Client.__table__.c.id == owner_id))


def test_two_concurrent_schedulers_cannot_double_book(app):
    code = "R" + uuid.uuid4().hex[:8].upper()
    with app.app_context():
        owner_id, user_id, tech_id, visit_ids = _setup_race(code)
    barrier = threading.Barrier(2)
    results = {}

    def scheduler(visit_id, start):
        with app.test_request_context():
            visit = _db.session.get(OnsiteVisit, visit_id)
            barrier.wait()
            try:
                schedule_visit(visit, tech_id, SOON, start, 120)
                _db.session.commit()
                results[visit_id] = "ok"
            except SchedulingConflict as error:
                _db.session.rollback()
                results[visit_id] = str(error)
            finally:
                _db.session.remove()

    try:
        threads = [threading.Thread(target=scheduler, args=(vid, time(9 + i, 0))) for i, vid in enumerate(visit_ids)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert sorted(results.values(), key=lambda r: r != "ok")[0] == "ok"
        assert list(results.values()).count("ok") == 1, results
        with app.app_context():
            booked = _db.session.scalar(select(func.count()).select_from(OnsiteVisit).where(
                OnsiteVisit.technician_id == tech_id, OnsiteVisit.status == "scheduled"))
            assert booked == 1
    finally:
        with app.app_context():
            _cleanup_race(owner_id, user_id, tech_id)


def test_times_are_stored_in_utc(app):
    with app.app_context():
        assert to_utc(date(2026, 1, 5), time(9, 0)) == datetime(2026, 1, 5, 1, 0, tzinfo=timezone.utc)
