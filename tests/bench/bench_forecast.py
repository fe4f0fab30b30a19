"""Spare-part demand forecast and last-time buy for 5,000 parts.

A fresh database built by the migrations: SQLite in a temporary directory, or the PostgreSQL
database named by DATABASE_URL (its schema `public` is DROPPED and recreated: give it a
database of its own). 50 models with batches and shipments, 5,000 parts (100 per model, each
in one batch's material list), 36 months of intermittent issue history (about 60,000 issue
moves, loaded with Core bulk inserts) and stock for each part; then `forecast_parts` over all
of them (history, installed base, SBA, backtest, Poisson quantile, review) and its commit.
Environment: BENCH_PARTS (default 5,000).
"""
from __future__ import annotations

import os
import random
import tempfile
import time
from datetime import date
from decimal import Decimal

PARTS = int(os.environ.get("BENCH_PARTS", 5000))
MODELS = 50
TODAY = date(2026, 1, 15)


def run() -> list[tuple[str, str]]:
    url = os.environ.get("DATABASE_URL")
    with tempfile.TemporaryDirectory(prefix="bench-forecast-") as tmp:
        return _run(url or f"sqlite:///{tmp}/bench.db")


def _run(url: str) -> list[tuple[str, str]]:
    import flask_migrate
    from sqlalchemy import text

    from portal import create_app
    from portal.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})
    figures: list[tuple[str, str]] = []
    with app.app_context(), app.test_request_context():
        dialect = db.engine.dialect.name
        figures.append(("database", dialect))
        if dialect == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        flask_migrate.upgrade(revision="heads")
        started = time.perf_counter()
        part_ids, moves = _load(db)
        figures.append((f"load {len(part_ids):,} parts, {moves:,} issue moves", f"{time.perf_counter() - started:.2f} s"))
        from portal.parts.forecast import forecast_parts

        timings = []
        for _ in range(3):
            started = time.perf_counter()
            results = forecast_parts(part_ids, today=TODAY)
            db.session.commit()
            timings.append(time.perf_counter() - started)
        best = min(timings)
        figures.append((f"forecast {len(part_ids):,} parts (best of 3)", f"{best:.2f} s"))
        figures.append(("per part", f"{best / len(part_ids) * 1000:.2f} ms"))
        figures.append(("parts under / over what the forecast needs",
                        f"{sum(r.verdict == 'under' for r in results):,} / {sum(r.verdict == 'over' for r in results):,}"))
        figures.append(("total last-time buy (units)", f"{sum(r.last_time_buy for r in results):,}"))
        db.engine.dispose()
    return figures


def _load(db) -> tuple[list[int], int]:
    from portal.catalogue.models import Batch, BatchMaterial, Part, ProductModel
    from portal.clients.models import Client
    from portal.parts.models import StockBalance, StockLocation, StockMove
    from portal.shipments.models import Shipment, ShipmentLine

    rnd = random.Random(8)
    session = db.session
    client = Client(code="BENCH", name="Bench", market="domestic", locale="zh_Hans", currency="CNY")
    location = StockLocation(code="AS-BENCH", name="Bench after-sales", kind="after_sales")
    models = [ProductModel(code=f"BM-{i}", kind="tv", size_inches=Decimal(50), launch_date=date(2022, 1, 1),
                           end_of_production=date(2025, 6, 30), service_years=3 + i % 3) for i in range(MODELS)]
    session.add_all([client, location, *models])
    session.flush()
    for model in models:
        shipment = Shipment(number=f"S-{model.code}", client_id=client.id, ship_date=date(2024, 1, 1))
        shipment.lines.append(ShipmentLine(client_id=client.id, model_id=model.id, quantity=rnd.randint(500, 5000),
                                           unit_price=Decimal("1000.00"), currency="CNY"))
        session.add(shipment)
    session.flush()
    per_model = PARTS // MODELS
    parts = [{"number": f"BP-{i:05d}", "category": "main_board", "description": f"Bench part {i}",
              "cost_price": Decimal("100.00")} for i in range(PARTS)]
    session.execute(Part.__table__.insert(), parts)
    part_ids = list(session.scalars(Part.__table__.select().with_only_columns(Part.__table__.c.id)
                                    .where(Part.__table__.c.number.like("BP-%")).order_by(Part.__table__.c.id)))
    batches = [{"code": f"BB-{i}", "model_id": models[i // per_model].id, "produced_on": date(2023, 1, 1),
                "quantity": 100} for i in range(len(part_ids))]
    session.execute(Batch.__table__.insert(), batches)
    batch_ids = list(session.scalars(Batch.__table__.select().with_only_columns(Batch.__table__.c.id)
                                     .where(Batch.__table__.c.code.like("BB-%")).order_by(Batch.__table__.c.id)))
    session.execute(BatchMaterial.__table__.insert(), [{"batch_id": b, "category": "main_board", "part_id": p}
                                                       for b, p in zip(batch_ids, part_ids)])
    session.execute(StockBalance.__table__.insert(), [{"location_id": location.id, "part_id": p,
                                                       "quantity": rnd.randint(0, 40)} for p in part_ids])
    from portal.db import utcnow

    now, moves = utcnow(), []
    for index, part_id in enumerate(part_ids):
        model_id = models[index // per_model].id
        rate = rnd.choice((0.1, 0.3, 0.6))
        for month in range(36):
            if rnd.random() < rate:
                day = date(2023 + month // 12, month % 12 + 1, 10)
                moves.append({"at": now, "day": day, "kind": "issue", "part_id": part_id,
                              "quantity": rnd.randint(1, 4), "from_location_id": location.id, "reason": "bench",
                              "client_id": client.id, "model_id": model_id})
    for start in range(0, len(moves), 20000):
        session.execute(StockMove.__table__.insert(), moves[start:start + 20000])
    session.commit()
    return part_ids, len(moves)
