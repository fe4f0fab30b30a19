"""Station performance: the pure metrics, on-site first-time fix from this package's visits,
claims and RMA read through `sources`, the page and its chart data."""
from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from portal.network import sources
from portal.network.performance import (first_time_fix_rate, rejection_rate, repeat_count, repeat_rate,
                                        station_performance, turnaround_days)


def test_turnaround_is_the_mean_of_returned_repairs():
    d = date(2026, 3, 1)
    assert turnaround_days([(d, d + timedelta(days=3)), (d, d + timedelta(days=4)), (d, None)]) == Decimal("3.5")
    assert turnaround_days([(d, None)]) is None


def test_repeat_repairs_within_30_days():
    d = date(2026, 3, 1)
    repairs = [("A", d), ("A", d + timedelta(days=30)), ("A", d + timedelta(days=61)), ("B", d), ("B", d + timedelta(days=12))]
    assert repeat_count(repairs) == 2  # A on day 30 (inclusive) and B on day 12; A on day 61 is 31 days later
    assert repeat_rate(repairs) == Decimal("40.0")
    assert repeat_rate([]) is None


def test_rejection_rate_counts_decided_claims_only():
    assert rejection_rate(["accepted", "rejected", "rejected", "review"]) == Decimal("66.7")
    assert rejection_rate(["review"]) is None


def test_first_time_fix_needs_fixed_and_no_follow_up():
    visits = [("fixed", False), ("fixed", True), ("not_fixed", False), ("fixed", False)]
    assert first_time_fix_rate(visits) == Decimal("50.0")


def test_report_uses_onsite_visits_and_the_sources(net, make, db, app, monkeypatch):
    tech = net.technician(name="Chen Wei")
    owner = make.client()
    station = net.station(code="AS-PERF")
    client_station = net.client_station(owner, code="CS-PERF")
    start, end = date(2026, 3, 1), date(2026, 3, 31)
    at = datetime(2026, 3, 10, 2, 0, tzinfo=timezone.utc)
    for outcome, follow in (("fixed", False), ("fixed", True), ("not_fixed", False)):
        net.visit(owner, technician_id=tech.id, starts_at=at, ends_at=at + timedelta(hours=1), status="completed",
                  outcome=outcome, follow_up_rma=follow)
    net.visit(owner, technician_id=tech.id, starts_at=at + timedelta(days=40), ends_at=at + timedelta(days=40, hours=1),
              status="completed", outcome="fixed")  # outside the period
    monkeypatch.setattr(sources, "rma_repair_facts", lambda s, e: [
        sources.RepairFact(station.id, "S1", date(2026, 3, 2), date(2026, 3, 6)),
        sources.RepairFact(station.id, "S1", date(2026, 3, 20), None)])
    monkeypatch.setattr(sources, "claim_facts", lambda s, e: [
        sources.ClaimFact(client_station.id, "X", date(2026, 3, 3), date(2026, 3, 5), "accepted"),
        sources.ClaimFact(client_station.id, "Y", date(2026, 3, 3), date(2026, 3, 5), "rejected")])
    with app.test_request_context():
        report = station_performance(start, end)
    rows = {r.code: r for r in report.rows}
    assert (rows["AS-PERF"].repairs, rows["AS-PERF"].turnaround, rows["AS-PERF"].repeats) == (2, Decimal("4.0"), 1)
    assert (rows["CS-PERF"].claims, rows["CS-PERF"].rejection_rate) == (2, Decimal("50.0"))
    tech_row = next(r for r in report.rows if r.kind == "technician" and r.name == "Chen Wei")
    assert (tech_row.visits, tech_row.first_time_fix) == (3, Decimal("33.3"))


def test_missing_sources_say_not_available(net, app, monkeypatch):
    monkeypatch.setattr(sources, "rma_repair_facts", lambda s, e: None)
    monkeypatch.setattr(sources, "claim_facts", lambda s, e: None)
    net.station(code="AS-NONE")
    with app.test_request_context():
        report = station_performance(date(2026, 1, 1), date(2026, 1, 31))
    assert not report.rma_available and not report.claims_available
    assert next(r for r in report.rows if r.code == "AS-NONE").turnaround is None


def test_performance_page_with_chart_and_bad_periods(client, make, net):
    net.station(code="AS-PAGE")
    client.login(make.user(role="finance").email)
    assert "AS-PAGE" not in client.get("/network/performance?start=2026-01-01&end=2026-03-31").get_data(as_text=True)
    page = client.get("/network/performance?start=2026-01-01&end=2026-03-31&all=1")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "AS-PAGE" in text and 'id="performance-chart"' in text
    chart = json.loads(re.search(r'data-chart="([^"]+)"', text).group(1).replace("&#34;", '"').replace("&quot;", '"'))
    assert len(chart["datasets"]) == 3
    assert "network.js" in text and "<script>" not in text
    for query, message in (("start=2026-05-01&end=2026-01-01", "after its end"), ("start=junk", "YYYY-MM-DD"),
                           ("start=2000-01-01&end=2026-01-01", "at most three years")):
        bad = client.get(f"/network/performance?{query}")
        assert bad.status_code == 422 and message in bad.get_data(as_text=True)
    client.post("/logout")
    client.login(make.user(role="client_admin").email)
    assert client.get("/network/performance").status_code == 403


def test_sources_read_rma_and_claims(net, make, db):
    from portal.claims.models import Claim
    from portal.rma.models import Rma, RmaEvent, RmaLine

    owner = make.client()
    station = net.station(code="AS-SRC")
    rma = Rma(client_id=owner.id, number="RMA-SRC-1", kind="unit", destination="station", station_id=station.id,
              fault_description="dead", status="shipped_back", currency="CNY", line_count=1)
    db.session.add(rma)
    db.session.flush()
    db.session.add(RmaLine(client_id=owner.id, rma_id=rma.id, position=1, serial="SRC-1", category="unit"))
    for status, day in (("received", 3), ("shipped_back", 8)):
        db.session.add(RmaEvent(client_id=owner.id, rma_id=rma.id, action=status, to_status=status,
                                at=datetime(2026, 3, day, 4, 0, tzinfo=timezone.utc)))
    client_station = net.client_station(owner, code="CS-SRC")
    model = make.model()
    db.session.add(Claim(client_id=owner.id, serial="C-1", model_id=model.id, station_id=client_station.id,
                         repair_date=date(2026, 3, 4), submitted_on=date(2026, 3, 6), fault_cause="normal_failure",
                         repair_level="L1", repaired_category="main_board", claimed_labour=Decimal("10"),
                         claimed_parts=Decimal("0"), claimed_handling=Decimal("0"), currency="CNY", status="rejected"))
    db.session.flush()
    repairs = sources.rma_repair_facts(date(2026, 3, 1), date(2026, 3, 31))
    assert sources.RepairFact(station.id, "SRC-1", date(2026, 3, 3), date(2026, 3, 8)) in repairs
    assert sources.rma_repair_facts(date(2026, 4, 1), date(2026, 4, 30)) == [] or all(
        f.serial != "SRC-1" for f in sources.rma_repair_facts(date(2026, 4, 1), date(2026, 4, 30)))
    claims = [c for c in sources.claim_facts(date(2026, 3, 1), date(2026, 3, 31)) if c.station_id == client_station.id]
    assert [(c.serial, c.status) for c in claims] == [("C-1", "rejected")]
