"""Settlement engine: compute_draft over 200,000 shipment lines against one SQL aggregate.

A fresh database is built by the migrations: the PostgreSQL database named by DATABASE_URL
(its schema `public` is DROPPED and recreated: give it a database of its own), or SQLite in
a temporary directory when DATABASE_URL is unset (said in the output). One client with a
buyout-with-rebate contract gets BENCH_LINES shipment lines (default 200,000) in March 2025,
spread over 40 models, plus BENCH_HISTORY lines (default 20,000) in January and February (the
"shipped before" aggregate). Lines are loaded by COPY on PostgreSQL, Core bulk inserts on
SQLite.

Figures: `compute_draft` (gather facts, call the scheme, validate, write the draft and its
lines, commit), median of BENCH_REPEAT runs (each run recomputes and replaces the draft), and
the floor: ONE SQL query computing the same rebate base
(SELECT model_id, SUM(quantity * unit_price) ... GROUP BY model_id), and their ratio.
The buyout rebate declares the "model_price" shipment grain, so its facts are the lines
summed in SQL per (model, unit price, currency); gather_facts is also timed at the "line"
grain (one fact per line, what a price-discount contract gets) for comparison.
When a fact provider for claims is registered (portal/claims), BENCH_CLAIMS decided claims
(default 20,000; four in five accepted) of the same client are decided in March. The rebate
handles no claims, so its facts carry none; a provider registered with
``provides=("claims",)`` is not even called for it, one that does not declare its fields is
called and its claims dropped (the figure then includes reading them). Without a claims
provider the output says that claims are not included.
"""
from __future__ import annotations

import os
import statistics
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal

LINES = int(os.environ.get("BENCH_LINES", 200_000))
HISTORY = int(os.environ.get("BENCH_HISTORY", 20_000))
CLAIMS = int(os.environ.get("BENCH_CLAIMS", 20_000))
REPEAT = int(os.environ.get("BENCH_REPEAT", 3))
MODELS = 40
LINES_PER_SHIPMENT = 100
INSERT_BATCH = 50_000
MARCH = date(2025, 3, 1)
MARCH_END = date(2025, 3, 31)
RATE = Decimal("1.5")
GRAIN = "model_price"  # what plugins/buyout_rebate.py declares (checked in _measure)


def run() -> list[tuple[str, str]]:
    url = os.environ.get("DATABASE_URL")
    with tempfile.TemporaryDirectory(prefix="bench-settlement-") as tmp:
        figures = [] if url else [("note", "DATABASE_URL is unset: running on SQLite, not PostgreSQL")]
        return figures + _run(url or f"sqlite:///{tmp}/bench.db")


def _run(url: str) -> list[tuple[str, str]]:
    import flask_migrate
    from sqlalchemy import text

    from portal import create_app
    from portal.extensions import db
    from portal.settlements.facts import declared_fields, fact_providers

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})
    figures: list[tuple[str, str]] = []
    with app.app_context():
        dialect = db.engine.dialect.name
        figures.append(("database", f"{dialect} ({db.engine.url.render_as_string(hide_password=True)})"))
        if dialect == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        flask_migrate.upgrade(revision="heads")
        started = time.perf_counter()
        client_id = _load(db)
        figures.append((f"load {LINES:,} + {HISTORY:,} shipment lines", f"{time.perf_counter() - started:.1f} s"))
        if "claims" in fact_providers():
            started = time.perf_counter()
            _load_claims(db, client_id)
            figures.append((f"load {CLAIMS:,} decided claims", f"{time.perf_counter() - started:.1f} s"))
            declared = declared_fields("claims")
            figures.append(("claims provider declares its fields", (
                f"yes {sorted(declared)}: not called for a scheme without claims" if declared else
                "no: called for every scheme, its claims dropped for one without claims")))
        else:
            figures.append(("claims", "not included: no fact provider for claims is registered yet"))
        with db.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    figures += _measure(app, client_id)
    with app.app_context():
        db.engine.dispose()
    return figures


def _load(db) -> int:
    from sqlalchemy import insert

    from portal.catalogue.models import ProductModel
    from portal.clients.models import Client
    from portal.schemes.models import Contract
    from portal.shipments.models import Shipment, ShipmentLine

    session = db.session
    client = Client(code="BENCH-S", name="Bench settlement client", market="overseas", locale="en", currency="CNY")
    models = [ProductModel(code=f"KTV-B{i:02d}", kind="tv", size_inches=Decimal(32 + i),
                           launch_date=date(2024, 1, 1)) for i in range(MODELS)]
    session.add_all([client, *models])
    session.flush()
    session.add(Contract(client_id=client.id, scheme_key="buyout_rebate", terms={"rebate_rate": str(RATE)},
                         currency="CNY", period_kind="month", starts_on=date(2025, 1, 1)))
    session.commit()

    def shipments(count: int, first_day: date, days: int, prefix: str) -> list[tuple[int, date]]:
        rows = [{"number": f"{prefix}-{n:06d}", "client_id": client.id,
                 "ship_date": first_day + timedelta(days=n % days)} for n in range(count)]
        result = session.execute(insert(Shipment.__table__).returning(Shipment.__table__.c.id), rows)
        return list(result.scalars())

    def lines(shipment_ids: list[int], count: int):
        for n in range(count):
            quantity = -(1 + n % 5) if n % 50 == 49 else 1 + n % 97  # one line in fifty is a return
            price = Decimal(899 + (n * 37) % 1500) + Decimal(n % 100) / 100
            yield (shipment_ids[n // LINES_PER_SHIPMENT], models[n % MODELS].id, quantity, price, "CNY", client.id)

    period_ids = shipments(-(-LINES // LINES_PER_SHIPMENT), MARCH, 31, "SH-M")
    history_ids = shipments(-(-HISTORY // LINES_PER_SHIPMENT), date(2025, 1, 1), 59, "SH-H") if HISTORY else []
    session.commit()
    rows = list(lines(period_ids, LINES)) + list(lines(history_ids, HISTORY))
    columns = ("shipment_id", "model_id", "quantity", "unit_price", "currency", "client_id")
    engine = db.engine
    if engine.dialect.name == "postgresql":
        raw = engine.raw_connection()
        try:
            statement = f"COPY shipment_line ({', '.join(columns)}) FROM STDIN"
            with raw.cursor() as cursor, cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
            raw.commit()
        finally:
            raw.close()
    else:
        with engine.begin() as conn:
            for start in range(0, len(rows), INSERT_BATCH):
                conn.execute(insert(ShipmentLine.__table__),
                             [dict(zip(columns, row)) for row in rows[start:start + INSERT_BATCH]])
    return client.id


def _load_claims(db, client_id: int) -> None:
    """CLAIMS claims of the client decided in March (four in five accepted), one part each."""
    from sqlalchemy import insert, select

    from portal.catalogue.models import Part, ProductModel
    from portal.claims.models import Claim, ClaimPart
    from portal.network.models import ClientStation

    session = db.session
    session.rollback()  # end the session's read snapshot, older than the lines' commit (SQLite refuses it a write)
    station = ClientStation(client_id=client_id, code="BST-1", name="Bench station", city="Lyon", region="EU")
    parts = [Part(number=f"BP-{i}", category="main_board", description="Bench main board",
                  cost_price=Decimal("300.00")) for i in range(5)]
    session.add_all([station, *parts])
    session.flush()
    model_ids = list(session.scalars(select(ProductModel.id).order_by(ProductModel.id)))
    rows = []
    for n in range(CLAIMS):
        accepted = n % 5 != 4
        labour = Decimal(40 + 40 * (n % 3))
        claimed = labour + Decimal("310.00") + Decimal("5.00")
        repaired = date(2025, 2, 1) + timedelta(days=n % 40)
        rows.append({
            "client_id": client_id, "serial": f"BSN{n:08d}", "model_id": model_ids[n % len(model_ids)],
            "station_id": station.id, "repair_date": repaired, "submitted_on": repaired + timedelta(days=2),
            "fault_cause": "normal_failure", "repair_level": ("L1", "L2", "L3")[n % 3],
            "repaired_category": "main_board", "claimed_labour": labour, "claimed_parts": Decimal("310.00"),
            "claimed_handling": Decimal("5.00"), "currency": "CNY",
            "status": "accepted" if accepted else "rejected", "reasons": [] if accepted else ["late_submission"],
            "signals": [], "schedule_amount": claimed, "adjusted_amount": claimed if accepted else Decimal("0.00"),
            "decided_on": MARCH + timedelta(days=n % 31)})
    claim_ids = []
    for start in range(0, len(rows), INSERT_BATCH):
        claim_ids += session.execute(insert(Claim.__table__).returning(Claim.__table__.c.id),
                                     rows[start:start + INSERT_BATCH]).scalars().all()
    part_rows = [{"client_id": client_id, "claim_id": claim_id, "part_id": parts[n % len(parts)].id, "quantity": 1}
                 for n, claim_id in enumerate(claim_ids)]
    for start in range(0, len(part_rows), INSERT_BATCH):
        session.execute(insert(ClaimPart.__table__), part_rows[start:start + INSERT_BATCH])
    session.commit()


def _measure(app, client_id: int) -> list[tuple[str, str]]:
    from sqlalchemy import func, select

    from contracts.domain import round_money
    from portal.extensions import db
    from portal.settlements.engine import compute_draft
    from portal.settlements.facts import gather_facts, paused_gc
    from portal.shipments.models import Shipment, ShipmentLine

    from plugins.buyout_rebate import INFO

    assert INFO.shipment_grain == GRAIN and not INFO.handles_claims, INFO
    line, shipment = ShipmentLine.__table__.c, Shipment.__table__.c
    floor_query = (
        select(line.model_id, func.sum(line.quantity * line.unit_price))
        .select_from(ShipmentLine.__table__).join(Shipment.__table__, shipment.id == line.shipment_id)
        .where(shipment.client_id == client_id, shipment.ship_date >= MARCH, shipment.ship_date <= MARCH_END)
        .group_by(line.model_id)
    )
    figures = []
    with app.test_request_context(headers={"Accept-Language": "en"}):
        def floor():
            rows = db.session.execute(floor_query).all()
            db.session.rollback()
            return rows

        def draft():
            settlement = compute_draft(client_id, MARCH)
            db.session.commit()
            return settlement.total

        def facts(grain="line", claims=True):
            with paused_gc():  # as in the engine
                gathered = gather_facts(client_id, "CNY", date(2025, 1, 1), MARCH, MARCH_END, grain=grain,
                                        claims=claims)
            db.session.rollback()
            return gathered

        def grouped_facts():  # as the engine gathers them for the buyout rebate
            return facts(GRAIN, INFO.handles_claims)

        floor()  # warm caches and the plan
        base = floor()
        expected = sum((round_money(Decimal(total) * RATE / 100, "CNY") for _model, total in base), Decimal(0))
        total = draft()
        assert total == expected, (total, expected)
        floor_time = _median(floor)
        line_facts_time = _median(facts)
        grouped_facts_time = _median(grouped_facts)
        draft_time = _median(draft)
        everything = facts()
        shipments, claims = len(everything.shipments), len(everything.claims)
        grouped = len(grouped_facts().shipments)
    figures.append(("shipment lines in the period", f"{shipments:,}"))
    figures.append(("decided claims in the period", f"{claims:,}"))
    figures.append((f"shipment facts handed to the scheme ({GRAIN} grain)", f"{grouped:,}"))
    figures.append(("draft total (checked against the SQL base)", f"{total:,} CNY"))
    figures.append(("SQL floor: one GROUP BY of the rebate base", f"{floor_time * 1000:.0f} ms (median of {REPEAT})"))
    figures.append((f"gather_facts as the scheme declares ({GRAIN}, no claims)",
                    f"{grouped_facts_time * 1000:.0f} ms (median of {REPEAT})"))
    figures.append(("gather_facts, line grain and claims (for comparison)",
                    f"{line_facts_time * 1000:.0f} ms (median of {REPEAT})"))
    figures.append(("compute_draft (facts, scheme, checks, write, commit)",
                    f"{draft_time * 1000:.0f} ms (median of {REPEAT})"))
    figures.append(("ratio compute_draft / SQL floor", f"{draft_time / floor_time:.2f}x (aim: at most 3x)"))
    return figures


def _median(action) -> float:
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)
