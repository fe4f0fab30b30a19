"""RMA list and RMA page with 100,000 RMAs: p95 through the Flask test client.

A fresh database is built by the migrations: SQLite in a temporary directory, or the
PostgreSQL database named by DATABASE_URL (its schema `public` is DROPPED and recreated:
give it a database of its own). RMAs, their lines and events are loaded with Core bulk
inserts; the pages are fetched as a signed-in staff user and as a client user, so the
figures include routing, tenancy, the queries and rendering.
Environment: BENCH_RMAS (default 100,000), BENCH_REQUESTS (default 200 per figure).
"""
from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta, timezone

RMAS = int(os.environ.get("BENCH_RMAS", 100_000))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", 200))
BATCH = 10_000
PASSWORD = "bench-password-1"
STATUSES = ("requested", "approved", "shipped", "received", "diagnosed", "quoted", "repaired", "repackaged",
            "shipped_back", "closed")
PATH = ("requested", "approved", "shipped", "received", "diagnosed", "repaired", "repackaged", "shipped_back", "closed")


def run() -> list[tuple[str, str]]:
    url = os.environ.get("DATABASE_URL")
    with tempfile.TemporaryDirectory(prefix="bench-rma-") as tmp:
        return _run(url or f"sqlite:///{tmp}/bench.db")


def _p95(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return f"p95 {p95 * 1000:.1f} ms (median {statistics.median(ordered) * 1000:.1f} ms, n={len(ordered)})"


def _run(url: str) -> list[tuple[str, str]]:
    import flask_migrate
    from sqlalchemy import text

    from portal import create_app
    from portal.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                      "SERVER_NAME": "localhost"})
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
        staff_email, client_email, sample = _load(db)
        figures.append((f"load {RMAS:,} RMAs with lines and events", f"{time.perf_counter() - started:.1f} s"))
        with db.engine.begin() as conn:
            conn.execute(text("ANALYZE"))

    client = app.test_client()
    rng = random.Random(7)
    for label, email in (("staff", staff_email), ("client user", client_email)):
        client.post("/logout")
        assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
        for name, paths in (
            ("list, first page", lambda: "/rma/"),
            ("list, random page", lambda: f"/rma/?page={rng.randint(1, 200)}"),
            ("list, filtered by status", lambda: f"/rma/?status={rng.choice(STATUSES)}"),
            ("RMA page", lambda: f"/rma/{rng.choice(sample)}"),
        ):
            times = []
            for _ in range(REQUESTS):
                path = paths()
                began = time.perf_counter()
                response = client.get(path)
                times.append(time.perf_counter() - began)
                assert response.status_code in (200, 404), (path, response.status_code)
            figures.append((f"{label}: {name}", _p95(times)))
    client.post("/logout")
    client.post("/login", data={"email": staff_email, "password": PASSWORD})
    times = []
    for _ in range(REQUESTS // 2):
        began = time.perf_counter()
        response = client.get(f"/rma/queue?group={rng.choice(('unit_repair', 'board_repair', 'hk_service_point'))}"
                              f"&page={rng.randint(1, 20)}")
        assert response.status_code == 200
        times.append(time.perf_counter() - began)
    figures.append(("staff: work queue", _p95(times)))
    return figures


def _load(db):
    from decimal import Decimal

    from sqlalchemy import insert, select
    from werkzeug.security import generate_password_hash

    from portal.auth.models import User
    from portal.catalogue.models import ProductModel
    from portal.clients.models import Client
    from portal.rma.models import Rma, RmaEvent, RmaLine

    clients = [Client(code=f"BC{i}", name=f"Bench client {i}", market="domestic", locale="en", currency="CNY")
               for i in range(4)]
    model = ProductModel(code="BENCH-55", name="Bench TV", kind="tv", size_inches=Decimal("55"),
                         launch_date=date(2024, 1, 1))
    db.session.add_all(clients + [model])
    db.session.flush()
    password = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    staff = User(email="staff@bench.example", name="Staff", role="staff", password_hash=password, locale="en")
    user = User(email="user@bench.example", name="User", role="client_user", client_id=clients[0].id,
                password_hash=password, locale="en")
    db.session.add_all([staff, user])
    db.session.commit()
    rng = random.Random(1)
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    destinations = ("unit_repair", "board_repair", "hk_service_point")
    for offset in range(0, RMAS, BATCH):
        rmas, lines, events = [], [], []
        for n in range(offset + 1, min(offset + BATCH, RMAS) + 1):
            created = start + timedelta(minutes=n * 3)
            steps = rng.randint(1, len(PATH))
            status = PATH[steps - 1]
            changed = created + timedelta(hours=6 * (steps - 1))
            client_id = clients[n % 4].id
            rmas.append(dict(id=n, number=f"RMA-{n:06d}", client_id=client_id, kind="unit",
                             destination=destinations[n % 3], fault_description="No picture", status=status,
                             status_changed_at=changed, closed_at=changed if status == "closed" else None,
                             currency="CNY", line_count=1, created_at=created, decline_reason="", carrier="",
                             tracking="", return_carrier="", return_tracking=""))
            lines.append(dict(rma_id=n, client_id=client_id, position=1, serial=f"SN{n:08d}", category="unit",
                              model_id=model.id, in_warranty=True, receipt="expected", diagnosis="",
                              labour=0, parts_amount=0, charge=0, quality_record=False))
            for i, step in enumerate(PATH[:steps]):
                events.append(dict(rma_id=n, client_id=client_id, at=created + timedelta(hours=6 * i),
                                   action="request" if i == 0 else step, from_status=PATH[i - 1] if i else None,
                                   to_status=step, user_name="Bench", note="", details={}))
        db.session.execute(insert(Rma.__table__), rmas)
        db.session.execute(insert(RmaLine.__table__), lines)
        db.session.execute(insert(RmaEvent.__table__), events)
        db.session.commit()
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy import text

        db.session.execute(text("SELECT setval('rma_id_seq', (SELECT max(id) FROM rma))"))
        db.session.commit()
    own = list(db.session.scalars(select(Rma.id).where(Rma.client_id == clients[0].id).limit(2000)))
    return staff.email, user.email, own
