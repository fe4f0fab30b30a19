"""KPI arithmetic on hand-computed examples (DOMAIN.md "Complaint KPIs")."""
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal as D

import pytest

from portal.claims.models import Claim
from portal.complaints.models import Complaint
from portal.dashboard.kpis import Scope, claim_acceptance, complaint_kpis, dashboard, pareto, rma_turnaround, status
from portal.network.models import ClientStation
from portal.rma.models import Rma, RmaEvent

SEPT = Scope(date(2025, 9, 1), date(2025, 9, 30))
NOW = datetime(2025, 11, 1, tzinfo=timezone.utc)


def at(d: date, hour=12) -> datetime:
    return datetime.combine(d, time(hour), tzinfo=timezone.utc)


def complaint(db, client, opened, due, closed=None, score=None, cause=None, model=None):
    c = Complaint(client_id=client.id, title="t", description="d", level="normal", status="closed" if closed else "open",
                  opened_on=opened, due_at=due, closed_at=closed, satisfaction=score, fault_cause=cause,
                  model_id=model.id if model else None)
    db.session.add(c)
    db.session.flush()
    return c


@pytest.fixture
def september(db, make, world):
    """acme in September 2025: 20 shipments delivered (and 5 in August); 3 complaints opened; 4 due,
    3 of them closed by the deadline; follow-up scores 80, 65, 90. The other client adds noise."""
    for day in range(1, 21):
        make.shipment(client=world.acme, ship_date=date(2025, 9, day),
                      lines=[dict(model=world.model, quantity=100, unit_price=D("10"))])
    for day in range(1, 6):
        make.shipment(client=world.acme, ship_date=date(2025, 8, day),
                      lines=[dict(model=world.model, quantity=100, unit_price=D("10"))])
    make.shipment(client=world.other, ship_date=date(2025, 9, 2), lines=[dict(model=world.model, quantity=1,
                                                                                unit_price=D("10"))])
    a = world.acme
    # opened in August, due in September
    complaint(db, a, date(2025, 8, 28), at(date(2025, 9, 4)), closed=at(date(2025, 9, 3)), score=80)
    complaint(db, a, date(2025, 8, 29), at(date(2025, 9, 5)), closed=at(date(2025, 9, 6)), score=65)  # late
    # opened in September
    complaint(db, a, date(2025, 9, 10), at(date(2025, 9, 17)), closed=at(date(2025, 9, 12)), score=90,
              cause="normal_failure", model=world.model)
    complaint(db, a, date(2025, 9, 20), at(date(2025, 9, 27)), closed=at(date(2025, 9, 21)),
              cause="normal_failure", model=world.model)  # closed, no score yet
    complaint(db, a, date(2025, 9, 28), at(date(2025, 10, 5)), cause="panel_impact")  # due in October
    # another client's complaints never count for acme
    for day in (3, 4, 5):
        complaint(db, world.other, date(2025, 9, day), at(date(2025, 9, day + 2)), closed=at(date(2025, 9, 29)),
                  score=10)
    return world


def test_complaint_kpis_for_one_client(db, september):
    k = complaint_kpis(Scope(SEPT.start, SEPT.end, september.acme.id), now=NOW)
    assert (k["opened"], k["shipments"]) == (3, 20)
    assert k["complaint_rate"] == D("15.0")            # 3 ÷ 20 shipments delivered
    assert (k["on_time"], k["due"]) == (3, 4)
    assert k["resolution_rate"] == D("75.0")           # 3 ÷ 4
    assert k["scored"] == 3 and k["satisfaction"] == D("78.3")  # (80 + 65 + 90) ÷ 3
    assert k["status"] == {"complaint_rate": "red", "resolution_rate": "red", "satisfaction": "green"}


def test_complaint_kpis_for_all_clients(db, september):
    k = complaint_kpis(SEPT, now=NOW)
    assert (k["opened"], k["shipments"]) == (6, 21)
    assert (k["on_time"], k["due"]) == (3, 7)          # the other client's three were all late
    assert k["satisfaction"] == D("44.2")              # (80 + 65 + 90 + 3 × 10) ÷ 6 = 44.17


def test_only_deadlines_already_passed_are_due(db, september):
    k = complaint_kpis(Scope(SEPT.start, SEPT.end, september.acme.id), now=at(date(2025, 9, 10)))
    assert (k["on_time"], k["due"]) == (1, 2)


@pytest.mark.parametrize("name, value, expected", [
    ("complaint_rate", D("10.0"), "green"), ("complaint_rate", D("10.1"), "red"),
    ("resolution_rate", D("90.0"), "green"), ("resolution_rate", D("89.9"), "red"),
    ("satisfaction", D("70.0"), "green"), ("satisfaction", D("69.9"), "red"), ("satisfaction", None, "none"),
])
def test_thresholds(name, value, expected):
    assert status(name, value) == expected


def test_no_shipments_means_no_rate(db, world):
    k = complaint_kpis(Scope(date(2030, 1, 1), date(2030, 1, 31), world.acme.id), now=NOW)
    assert k["complaint_rate"] is None and k["status"]["complaint_rate"] == "none"


def test_claim_acceptance_and_rma_turnaround(db, world):
    station = ClientStation(client_id=world.acme.id, code="ST1", name="Station", city="Foshan", region="south")
    db.session.add(station)
    db.session.flush()
    for status_, decided in (("accepted", 3), ("accepted", 5), ("accepted", 9), ("rejected", 9), ("review", None),
                             ("accepted", None)):
        db.session.add(Claim(client_id=world.acme.id, serial="X", station_id=station.id, repair_date=date(2025, 8, 1),
                             submitted_on=date(2025, 9, 1), fault_cause="normal_failure", repair_level="L1",
                             repaired_category="main_board", claimed_labour=D("1"), claimed_parts=D("0"),
                             claimed_handling=D("0"), currency="CNY", status=status_,
                             decided_on=date(2025, 9, decided) if decided else None))
    for received, back in ((date(2025, 8, 20), date(2025, 9, 2)), (date(2025, 9, 1), date(2025, 9, 6))):
        rma = Rma(client_id=world.acme.id, kind="unit", destination="unit_repair", fault_description="x",
                  currency="CNY", status="shipped_back")
        db.session.add(rma)
        db.session.flush()
        db.session.add_all([RmaEvent(client_id=world.acme.id, rma_id=rma.id, action="receive", to_status="received",
                                     at=at(received)),
                            RmaEvent(client_id=world.acme.id, rma_id=rma.id, action="ship_back",
                                     to_status="shipped_back", at=at(back))])
    db.session.flush()
    scope = Scope(SEPT.start, SEPT.end, world.acme.id)
    assert claim_acceptance(scope) == {"accepted": 3, "rejected": 1, "rate": D("75.0")}
    assert rma_turnaround(scope) == {"count": 2, "mean_days": D("9.0")}  # (13 + 5) ÷ 2


def test_pareto_and_failure_rate(db, september):
    rows = [(1, None, "normal_failure", date(2025, 9, 1), 6), (1, 4, "panel_impact", date(2025, 9, 2), 3),
            (2, None, "normal_failure", date(2025, 9, 3), 1)]
    assert pareto(rows) == [{"cause": "normal_failure", "count": 7, "cumulative": D("70.0")},
                            {"cause": "panel_impact", "count": 3, "cumulative": D("100.0")}]
    data = dashboard(Scope(date(2025, 8, 1), SEPT.end, september.acme.id))
    trend = data["trend"]
    assert trend["months"] == ["2025-08", "2025-09"]
    # CPX-55: 2 complaints with the model in September; installed 500 (Aug) then 2,500 units → 0.08 %
    assert trend["series"] == [{"label": "CPX-55", "data": [0.0, 0.08]}]
    assert data["batch_trend"]["series"] == []  # no failure is known by batch yet


def test_failure_rate_by_batch_follows_the_serials(db, make, world):
    """Two RMA lines on serials of batch CPX-B1 (300 units shipped in August): 2 ÷ 300 = 0.67 %."""
    make.shipment(client=world.acme, ship_date=date(2025, 8, 1), lines=[dict(
        model=world.model, batch=world.batch, quantity=300, unit_price=D("10"), serials=["S-1", "S-2"])])
    from portal.rma.models import RmaLine
    rma = Rma(client_id=world.acme.id, kind="unit", destination="unit_repair", fault_description="x",
              currency="CNY", status="received", created_at=at(date(2025, 9, 5)))
    db.session.add(rma)
    db.session.flush()
    for n, serial in enumerate(("S-1", "S-2"), 1):
        db.session.add(RmaLine(client_id=world.acme.id, rma_id=rma.id, position=n, serial=serial, category="unit",
                               model_id=world.model.id, fault_cause="normal_failure"))
    db.session.flush()
    data = dashboard(Scope(date(2025, 8, 1), SEPT.end, world.acme.id))
    assert data["batch_trend"]["series"] == [{"label": "CPX-B1", "data": [0.0, 0.67]}]
    assert data["pareto"] == [{"cause": "normal_failure", "count": 2, "cumulative": D("100.0")}]


def test_the_dashboard_is_a_fixed_handful_of_queries(db, september):
    from sqlalchemy import event

    statements = []

    def count(*args):
        statements.append(args[2])

    engine = db.session.get_bind().engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        dashboard(Scope(date(2025, 8, 1), SEPT.end))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) <= 11
