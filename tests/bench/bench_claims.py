"""Claims: adjudicate 50,000 pending claims in one batch (history loaded in a few queries).

A fresh database is built by the migrations: the PostgreSQL database named by DATABASE_URL
(its schema `public` is DROPPED and recreated: give it a database of its own), or SQLite in
a temporary directory when DATABASE_URL is unset. One client under the DOMAIN compensation
terms, 8 stations, 60,000 shipped serials, BENCH_CLAIMS pending claims (default 50,000; each
with one part; some repeats, some unknown serials, some excluded causes) and 5,000 earlier
accepted claims, all loaded with Core bulk inserts. Figure: `adjudicate_pending` (load the
claims, their parts, the history and the signal statistics, call the scheme per claim, one
executemany UPDATE), and the number of SQL statements it ran.
"""
from __future__ import annotations

import os
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal

CLAIMS = int(os.environ.get("BENCH_CLAIMS", 50_000))
SERIALS = 60_000
EARLIER = 5_000
TODAY = date(2025, 3, 31)
TERMS = {"labour_fees": {"L1": "40.00", "L2": "80.00", "L3": "120.00"}, "handling_fee": "5.00",
         "category_prices": {"main_board": "310.00", "power_board": "120.00"}, "cap_per_claim": "300.00"}


def run() -> list[tuple[str, str]]:
    url = os.environ.get("DATABASE_URL")
    with tempfile.TemporaryDirectory(prefix="bench-claims-") as tmp:
        figures = [] if url else [("note", "DATABASE_URL is unset: running on SQLite, not PostgreSQL")]
        return figures + _run(url or f"sqlite:///{tmp}/bench.db")


def _run(url: str) -> list[tuple[str, str]]:
    import flask_migrate
    from sqlalchemy import event, func, select, text

    from portal import create_app
    from portal.claims.adjudication import adjudicate_pending
    from portal.claims.models import Claim
    from portal.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})
    figures: list[tuple[str, str]] = []
    with app.app_context():
        dialect = db.engine.dialect.name
        figures.append(("database", dialect))
        if dialect == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        flask_migrate.upgrade(revision="heads")
        started = time.perf_counter()
        _load(db)
        figures.append((f"load {CLAIMS:,} claims, {SERIALS:,} serials", f"{time.perf_counter() - started:.1f} s"))
        with db.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    with app.test_request_context():
        statements = [0]

        def count(*_args, **_kwargs):
            statements[0] += 1

        event.listen(db.engine, "before_cursor_execute", count)
        started = time.perf_counter()
        outcome = adjudicate_pending(TODAY)
        db.session.commit()
        elapsed = time.perf_counter() - started
        event.remove(db.engine, "before_cursor_execute", count)
        figures.append((f"adjudicate_pending: {len(outcome.ids):,} claims", f"{elapsed:.2f} s "
                        f"({elapsed / max(1, len(outcome.ids)) * 1e6:.0f} µs a claim)"))
        figures.append(("SQL statements run", str(statements[0])))
        figures.append(("outcome", f"{outcome.accepted:,} accepted, {outcome.rejected:,} rejected, "
                                   f"{outcome.review:,} in review"))
        left = db.session.scalar(select(func.count()).select_from(Claim).where(Claim.status == "pending"))
        figures.append(("still pending", str(left)))
        db.engine.dispose()
    return figures


def _load(db) -> None:
    from sqlalchemy import insert

    from portal.catalogue.models import Part, ProductModel
    from portal.claims.models import Claim, ClaimPart
    from portal.clients.models import Client
    from portal.network.models import ClientStation
    from portal.schemes.models import Contract
    from portal.shipments.models import Serial, Shipment, ShipmentLine

    session = db.session
    client = Client(code="BENCH-C", name="Bench claims client", market="domestic", locale="en", currency="CNY")
    model = ProductModel(code="KTV-BC", kind="tv", size_inches=Decimal(55), launch_date=date(2024, 1, 1))
    parts = [Part(number="MB-BC", category="main_board", description="board", cost_price=Decimal(1)),
             Part(number="PB-BC", category="power_board", description="power", cost_price=Decimal(1))]
    session.add_all([client, model, *parts])
    session.flush()
    session.add(Contract(client_id=client.id, scheme_key="repair_compensation", terms=TERMS, currency="CNY",
                         period_kind="month", starts_on=date(2025, 1, 1)))
    stations = [ClientStation(client_id=client.id, code=f"BS-{n}", name=f"Station {n}", city="X", region="south")
                for n in range(8)]
    session.add_all(stations)
    session.flush()
    shipment = Shipment(number="SH-BENCH-C", client_id=client.id, ship_date=date(2024, 12, 1))
    session.add(shipment)
    session.flush()
    line = ShipmentLine(shipment_id=shipment.id, client_id=client.id, model_id=model.id, quantity=SERIALS,
                        unit_price=Decimal("1000.00"), currency="CNY")
    session.add(line)
    session.flush()
    conn = session.connection()
    conn.execute(insert(Serial.__table__), [{"serial": f"BC{n:07d}", "line_id": line.id, "client_id": client.id}
                                            for n in range(SERIALS)])
    causes = ("normal_failure",) * 18 + ("lightning", "panel_impact")

    def claim_row(n: int, status: str, day: date) -> dict:
        serial = f"BC{n % (SERIALS + 500):07d}"  # a few serials were never shipped to the client
        return {"client_id": client.id, "serial": serial, "model_id": None, "station_id": stations[n % 8].id,
                "repair_date": day, "submitted_on": TODAY, "fault_cause": causes[n % 20], "repair_level": "L2",
                "repaired_category": "main_board", "claimed_labour": Decimal("80.00"),
                "claimed_parts": Decimal("310.00"), "claimed_handling": Decimal("5.00"), "currency": "CNY",
                "description": "", "status": status, "reasons": [], "signals": [], "staff_comment": "", "answer": "",
                "decided_on": day if status == "accepted" else None}

    table = Claim.__table__
    for start, count, status in ((0, EARLIER, "accepted"), (EARLIER, CLAIMS, "pending")):
        for chunk in range(start, start + count, 10_000):
            rows = [claim_row(n, status, TODAY - timedelta(days=1 + n % 50))
                    for n in range(chunk, min(chunk + 10_000, start + count))]
            ids = conn.execute(insert(table).returning(table.c.id), rows).scalars().all()
            conn.execute(insert(ClaimPart.__table__), [
                {"claim_id": i, "part_id": parts[0].id if i % 7 else parts[1].id, "quantity": 1, "client_id": client.id}
                for i in ids])
    session.commit()
