"""Early warnings on made data where the answer is known."""
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from portal.complaints.models import EarlyWarning
from portal.complaints.warnings import poisson_tail, run_detection
from portal.jobs import enqueue
from portal.rma.models import Rma, RmaLine

TODAY = date(2025, 9, 30)


@pytest.fixture
def plant(make, db, world):
    """Model CPX-55 in two batches (B1 with main board MB-777, B2 with MB-888), 200 serials each."""
    other_board = make.part(category="main_board", number="MB-888", description="Main board T.888")
    b2 = make.batch(model=world.model, code="CPX-B2", materials=[other_board])
    for batch, prefix in ((world.batch, "B1"), (b2, "B2")):
        make.shipment(client=world.acme, ship_date=date(2024, 12, 1), lines=[dict(
            model=world.model, batch=batch, quantity=200, unit_price=D("1000"),
            serials=[f"{prefix}-{i:03d}" for i in range(200)])])
    counter = iter(range(1000))

    def fail(prefix, day, category="main_board", cause="normal_failure"):
        n = next(counter)
        rma = Rma(client_id=world.acme.id, kind="main_board", destination="board_repair", fault_description="dead",
                  currency="CNY", status="received", number=f"RMA-T{n:04d}",
                  created_at=datetime.combine(day, time(10), tzinfo=timezone.utc))
        db.session.add(rma)
        db.session.flush()
        db.session.add(RmaLine(client_id=world.acme.id, rma_id=rma.id, position=1, serial=f"{prefix}-{n % 200:03d}",
                               category=category, model_id=world.model.id, fault_cause=cause))
    return fail, b2


def stable_series(fail):
    """One failure a month in each batch for seven months: the window looks like the baseline."""
    for months_back in range(7):
        day = TODAY - timedelta(days=30 * months_back + 5)
        fail("B1", day)
        fail("B2", day)


def test_poisson_tail():
    assert poisson_tail(0, 3.0) == 1.0
    assert abs(poisson_tail(1, 2.0) - (1 - 2.718281828 ** -2)) < 1e-6
    assert poisson_tail(9, 1.0) < 1e-5 < poisson_tail(3, 1.0)


def test_a_stable_series_raises_nothing(db, world, plant):
    fail, _b2 = plant
    stable_series(fail)
    assert run_detection(TODAY) == {"created": 0, "refreshed": 0, "patterns": 0}
    assert db.session.scalars(select(EarlyWarning)).all() == []


def test_a_spike_in_one_batchs_main_board_raises_exactly_that_warning(db, world, plant):
    fail, _b2 = plant
    stable_series(fail)
    for i in range(8):
        fail("B1", TODAY - timedelta(days=i * 3))
    result = run_detection(TODAY)
    assert result["created"] == 1
    [warning] = db.session.scalars(select(EarlyWarning)).all()
    assert (warning.kind, warning.batch_id, warning.category) == ("batch_category", world.batch.id, "main_board")
    assert warning.window_count == 9 and warning.baseline_count == 6
    assert warning.expected == D("1.000") and warning.p_value < 0.001
    evidence = warning.evidence
    assert evidence["batches"] == [{"batch": "CPX-B1", "count": 9}]
    assert [p["part"] for p in evidence["parts"]] == ["MB-777"]
    assert evidence["sources"] == {"rma": 9, "claims": 0, "complaints": 0}
    assert evidence["causes"] == {"normal_failure": 9}


def test_running_twice_does_not_duplicate_and_a_closed_warning_can_come_back(db, world, plant):
    fail, _b2 = plant
    for i in range(6):
        fail("B1", TODAY - timedelta(days=i))
    assert run_detection(TODAY)["created"] == 1
    fail("B1", TODAY)
    assert run_detection(TODAY) == {"created": 0, "refreshed": 1, "patterns": 1}
    [warning] = db.session.scalars(select(EarlyWarning)).all()
    assert warning.window_count == 7
    warning.status = "closed"
    db.session.flush()
    assert run_detection(TODAY)["created"] == 1
    assert len(db.session.scalars(select(EarlyWarning)).all()) == 2


def test_few_failures_are_not_a_trend(db, world, plant):
    fail, _b2 = plant
    for i in range(4):  # never seen before, but below the minimum count
        fail("B2", TODAY - timedelta(days=i))
    assert run_detection(TODAY)["created"] == 0


def test_the_job_runs_the_detection(db, world, plant):
    fail, _b2 = plant
    for i in range(6):
        fail("B1", TODAY - timedelta(days=i))
    job = enqueue("complaints.detect_warnings", today=TODAY.isoformat())
    assert job.status == "done" and job.result["created"] == 1


def test_the_cli_command_detects_once(db, world, plant, app):
    fail, _b2 = plant
    for i in range(6):
        fail("B1", TODAY - timedelta(days=i))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["detect-warnings", "--today", TODAY.isoformat()])
    assert result.exit_code == 0 and "1 new, 0 refreshed" in result.output
    result = runner.invoke(args=["detect-warnings", "--today", TODAY.isoformat()])
    assert "0 new, 1 refreshed" in result.output
    bad = runner.invoke(args=["detect-warnings", "--today", "yesterday"])
    assert bad.exit_code != 0 and "YYYY-MM-DD" in bad.output
