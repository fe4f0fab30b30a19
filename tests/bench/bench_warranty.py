"""Warranty look-up over 1,000,000 serials: single and 10,000-serial bulk look-ups.

A fresh database is built by the migrations: SQLite in a temporary directory, or the
PostgreSQL database named by DATABASE_URL (its schema `public` is DROPPED and recreated:
give it a database of its own). Serials are loaded with Core bulk inserts (COPY on
PostgreSQL); the look-ups go through the Flask test client as a signed-in client user,
so the figures include routing, tenancy, rendering and serialisation.
Environment: BENCH_SERIALS (default 1,000,000), BENCH_SINGLE (default 500 look-ups).
"""
from __future__ import annotations

import gc
import json
import os
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal

SERIALS = int(os.environ.get("BENCH_SERIALS", 1_000_000))
SINGLE = int(os.environ.get("BENCH_SINGLE", 500))
BULK = 10_000
BULK_REPEAT = 3
INSERT_BATCH = 50_000
PASSWORD = "bench-password-1"
CLIENTS, MODELS, SHIPMENTS_PER_CLIENT, LINES_PER_SHIPMENT = 3, 4, 20, 2


def run() -> list[tuple[str, str]]:
    url = os.environ.get("DATABASE_URL")
    with tempfile.TemporaryDirectory(prefix="bench-warranty-") as tmp:
        return _run(url or f"sqlite:///{tmp}/bench.db")


def _run(url: str) -> list[tuple[str, str]]:
    import flask_migrate
    from sqlalchemy import text

    from portal import create_app
    from portal.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})
    figures: list[tuple[str, str]] = []
    with app.app_context():
        dialect = db.engine.dialect.name
        figures.append(("database", f"{dialect} ({db.engine.url.render_as_string(hide_password=True)})"))
        if dialect == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        started = time.perf_counter()
        flask_migrate.upgrade(revision="heads")
        figures.append(("migrate empty database", _seconds(time.perf_counter() - started)))
        started = time.perf_counter()
        owned, email = _load(db)
        figures.append((f"load {SERIALS:,} serials", _seconds(time.perf_counter() - started)))
        with db.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    figures.append(("serials of the signed-in client", f"{len(owned):,}"))
    rnd = random.Random(20250301)
    samples = (rnd.sample(owned, min(SINGLE, len(owned))), rnd.sample(owned, min(SINGLE, len(owned))),
               rnd.sample(owned, min(BULK, len(owned))))
    del owned  # a server holds no million-string list: keep the collector from scanning it
    gc.collect()
    gc.freeze()
    try:
        figures += _measure(app, *samples, email)
    finally:
        gc.unfreeze()
        with app.app_context():
            db.engine.dispose()
    return figures


def _load(db) -> tuple[list[str], str]:
    """A few clients, models, batches, shipments and lines, then SERIALS serials spread over
    the lines. Returns the serials of the first client and the e-mail of its user."""
    from portal.auth.models import User
    from portal.catalogue.models import Batch, ProductModel
    from portal.clients.models import Client
    from portal.shipments.models import Serial, Shipment, ShipmentLine

    session = db.session
    clients = [Client(code=f"BENCH{i}", name=f"Bench client {i}", market="domestic", locale="zh_Hans",
                      currency="CNY") for i in range(CLIENTS)]
    models = [ProductModel(code=f"KTV-{50 + i}B", name=f"{50 + i}-inch TV", kind="tv", size_inches=Decimal(50 + i),
                           launch_date=date(2023, 1, 1)) for i in range(MODELS)]
    session.add_all(clients + models)
    session.flush()
    batches = [Batch(code=f"B-{m.code}-{j}", model=m, produced_on=date(2023, 6, 1)) for m in models for j in (1, 2)]
    session.add_all(batches)
    user = User(email="bench-client@example.com", name="Bench user", role="client_user", client=clients[0])
    user.set_password(PASSWORD)
    session.add(user)
    lines = []
    for c, client in enumerate(clients):
        for s in range(SHIPMENTS_PER_CLIENT):
            shipment = Shipment(number=f"SH-B{c}-{s:03d}", client=client,
                                ship_date=date(2023, 7, 1) + timedelta(days=30 * s + c))
            session.add(shipment)
            for k in range(LINES_PER_SHIPMENT):
                batch = batches[(s + k) % len(batches)]
                lines.append(ShipmentLine(shipment=shipment, client_id=client.id, model=batch.model,
                                          batch=batch, quantity=0, unit_price=Decimal("999.00"), currency="CNY"))
    session.add_all(lines)
    session.flush()
    per_line = -(-SERIALS // len(lines))
    rows = ((f"SN{n:010d}", lines[n // per_line].id, lines[n // per_line].client_id) for n in range(SERIALS))
    for line in lines:
        line.quantity = per_line
    session.commit()

    engine = db.engine
    if engine.dialect.name == "postgresql":
        raw = engine.raw_connection()
        try:
            with raw.cursor() as cursor, cursor.copy("COPY serial (serial, line_id, client_id) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            raw.commit()
        finally:
            raw.close()
    else:
        table = Serial.__table__
        with engine.begin() as conn:
            batch: list[dict] = []
            for serial, line_id, client_id in rows:
                batch.append({"serial": serial, "line_id": line_id, "client_id": client_id})
                if len(batch) == INSERT_BATCH:
                    conn.execute(table.insert(), batch)
                    batch = []
            if batch:
                conn.execute(table.insert(), batch)
    first_client = clients[0].id
    owned = [f"SN{n:010d}" for n in range(SERIALS) if lines[n // per_line].client_id == first_client]
    return owned, user.email


def _measure(app, page_sample: list[str], api_sample: list[str], bulk: list[str], email: str
             ) -> list[tuple[str, str]]:
    from sqlalchemy import select

    from portal.auth.models import User
    from portal.extensions import db
    from portal.tenancy import set_tenant
    from portal.warranty import services

    page = app.test_client()
    _expect(page.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302, "sign-in")
    api = app.test_client()
    token = api.post("/api/v1/auth/tokens", json={"email": email, "password": PASSWORD}).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    figures = []
    n = len(bulk)

    page.get("/warranty?serial=" + bulk[0])  # warm up templates and caches
    api.get("/api/v1/warranty/" + bulk[0], headers=headers)

    times = []
    for serial in page_sample:
        started = time.perf_counter()
        response = page.get(f"/warranty?serial={serial}")
        times.append(time.perf_counter() - started)
        _expect(response.status_code == 200 and b'id="result"' in response.data and b"KTV-" in response.data,
                f"a result card for {serial}")
    figures.append((f"single look-up, page ({len(page_sample)} serials)", _spread(times)))

    times = []
    for serial in api_sample:
        started = time.perf_counter()
        response = api.get(f"/api/v1/warranty/{serial}", headers=headers)
        times.append(time.perf_counter() - started)
        _expect(response.status_code == 200, f"200 from the API for {serial}")
    figures.append((f"single look-up, API ({len(api_sample)} serials)", _spread(times)))

    with app.test_request_context():
        set_tenant(None)
        set_tenant(db.session.scalar(select(User.client_id).where(User.email == email)))
        figures.append((f"bulk {n:,}: service only", _repeat(lambda: services.lookup(bulk), n)))

    def page_bulk():
        response = page.post("/warranty/bulk", data={"serials": "\n".join(bulk)})
        _expect(response.status_code == 200 and f'data-summary="found">{n:,}<'.encode() in response.data,
                "every serial found on the results page")
        return response

    def api_bulk():
        response = api.post("/api/v1/warranty/lookup", json={"serials": bulk}, headers=headers)
        _expect(response.status_code == 200 and response.get_json()["summary"]["found"] == n,
                "every serial found by the API")
        return response

    def download(fmt):
        response = page.post("/warranty/download", data={"serials": json.dumps(bulk), "format": fmt})
        _expect(response.status_code == 200 and len(response.data) > n * 20, f"a full {fmt} download")
        return response

    figures.append((f"bulk {n:,}: results page", _repeat(page_bulk, n)))
    figures.append((f"bulk {n:,}: API", _repeat(api_bulk, n)))
    figures.append((f"bulk {n:,}: download XLSX", _repeat(lambda: download("xlsx"), n)))
    figures.append((f"bulk {n:,}: download CSV", _repeat(lambda: download("csv"), n)))
    return figures


def _expect(condition: bool, what: str) -> None:
    """The figures are only worth printing if the pages answered what was measured."""
    if not condition:
        raise RuntimeError(f"benchmark check failed: {what}")


def _seconds(value: float) -> str:
    return f"{value:.1f} s"


def _spread(times: list[float]) -> str:
    ms = sorted(t * 1000 for t in times)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * len(ms))) - 1)]
    return f"median {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, max {ms[-1]:.1f} ms"


def _repeat(action, n: int) -> str:
    """Median of BULK_REPEAT runs, with the rate per serial."""
    times = []
    for _ in range(BULK_REPEAT):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    median = statistics.median(times)
    return f"median {median * 1000:.0f} ms of {BULK_REPEAT} (min {min(times) * 1000:.0f} ms), " \
           f"{n / median:,.0f} serials/s"
