"""Load over loopback: gunicorn on 1,000,000 serials, 100,000 RMAs and 200,000 claims.

A fresh database is built by the migrations: the PostgreSQL database named by DATABASE_URL
(its schema `public` is DROPPED and recreated: give it a database of its own), or SQLite in a
temporary directory when DATABASE_URL is unset (said in the output: the figures then say little
about production). The data is loaded by the loaders of bench_warranty (COPY on PostgreSQL),
bench_rma and bench_claims (Core bulk inserts); one repair-compensation settlement is computed
and issued. Then gunicorn (BENCH_WORKERS workers, loopback, a free port) serves that database
and BENCH_CONCURRENCY threads with keep-alive connections fetch each route for BENCH_SECONDS
(at most BENCH_MAX_REQUESTS requests): throughput and p95 latency of the warranty look-up
(API, client user), the RMA list (staff), an issued settlement's page (finance), each as a
ratio to /healthz on the same server. The server is stopped at the end.
Environment: BENCH_SERIALS, BENCH_RMAS, BENCH_CLAIMS (defaults 1,000,000 / 100,000 / 200,000),
BENCH_WORKERS (4), BENCH_CONCURRENCY (8), BENCH_SECONDS (20), BENCH_MAX_REQUESTS (100,000).
"""
from __future__ import annotations

import http.client
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timezone
from pathlib import Path
from urllib.parse import urlencode

os.environ.setdefault("BENCH_SERIALS", "1000000")
os.environ.setdefault("BENCH_RMAS", "100000")
CLAIMS = int(os.environ.get("BENCH_CLAIMS", 200_000))
WORKERS = int(os.environ.get("BENCH_WORKERS", 4))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", 8))
SECONDS = float(os.environ.get("BENCH_SECONDS", 20))
MAX_REQUESTS = int(os.environ.get("BENCH_MAX_REQUESTS", 100_000))
PASSWORD = "bench-password-1"
FINANCE_EMAIL = "finance@bench.example"
ROOT = Path(__file__).resolve().parents[2]


def run() -> list[tuple[str, str]]:
    url = os.environ.get("DATABASE_URL")
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        figures = [] if url else [("note", "DATABASE_URL is unset: this benchmark needs PostgreSQL; "
                                           "measured on SQLite with the same code")]
        if not url:
            print("DATABASE_URL is unset: the load benchmark needs PostgreSQL; measuring on SQLite", flush=True)
        return figures + _run(url or f"sqlite:///{tmp}/bench.db", tmp)


def _run(url: str, tmp: str) -> list[tuple[str, str]]:
    import flask_migrate
    from sqlalchemy import text

    from portal import create_app
    from portal.extensions import db

    from . import bench_claims, bench_rma, bench_warranty

    bench_claims.CLAIMS = CLAIMS
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
        for label, load in ((f"load {bench_warranty.SERIALS:,} serials", lambda: bench_warranty._load(db)),
                            (f"load {bench_rma.RMAS:,} RMAs", lambda: bench_rma._load(db)),
                            (f"load {CLAIMS:,} claims", lambda: bench_claims._load(db))):
            started = time.perf_counter()
            result = load()
            db.session.remove()
            figures.append((label, f"{time.perf_counter() - started:.1f} s"))
            if label.endswith("serials"):
                serials, client_email = result[0][:5000], result[1]
                del result
            elif label.endswith("RMAs"):
                staff_email = result[0]
        settlement_id, lines = _settle(app, db)
        figures.append(("issued settlement shown to finance", f"{lines:,} lines (one per accepted claim)"))
        with db.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
        db.engine.dispose()
    with _server(url, tmp) as port:
        figures += _measure(port, serials, client_email, staff_email, settlement_id)
    return figures


def _settle(app, db) -> tuple[int, int]:
    """A finance user, and the March 2025 settlement of the claims client, computed and issued."""
    from sqlalchemy import func, select
    from werkzeug.security import generate_password_hash

    from portal.auth.models import User
    from portal.clients.models import Client
    from portal.settlements.engine import compute_draft
    from portal.settlements.issuing import issue
    from portal.settlements.models import SettlementLine

    finance = User(email=FINANCE_EMAIL, name="Finance", role="finance", locale="en",
                   password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"))
    db.session.add(finance)
    db.session.commit()
    with app.test_request_context():
        client_id = db.session.scalar(select(Client.id).where(Client.code == "BENCH-C"))
        draft = compute_draft(client_id, date(2025, 3, 1))
        db.session.commit()
        settlement = issue(draft.id, finance.id, now=datetime(2025, 4, 2, tzinfo=timezone.utc))
        db.session.commit()
        lines = db.session.scalar(select(func.count()).select_from(SettlementLine)
                                  .where(SettlementLine.settlement_id == settlement.id))
        return settlement.id, lines


class _server:
    """gunicorn on a free loopback port, stopped (SIGTERM, then SIGKILL) on exit."""

    def __init__(self, url: str, tmp: str):
        self.url, self.tmp = url, tmp

    def __enter__(self) -> int:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        env = dict(os.environ, DATABASE_URL=self.url, SECRET_KEY="bench-load", STORAGE_DIR=f"{self.tmp}/storage",
                   OUTBOX_DIR=f"{self.tmp}/outbox", JOBS_BACKEND="thread")
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.log = open(f"{self.tmp}/gunicorn.log", "w")
        self.process = subprocess.Popen(
            [str(gunicorn), "-w", str(WORKERS), "-b", f"127.0.0.1:{self.port}", "--preload", "--timeout", "120",
             "--no-control-socket", "portal.wsgi:app"], cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited: " + Path(f"{self.tmp}/gunicorn.log").read_text()[-2000:])
            try:
                status, _body = _Client(self.port).get("/healthz")
                if status == 200:
                    return self.port
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


class _Client:
    """One keep-alive connection with a cookie jar of one session cookie."""

    def __init__(self, port: int, headers: dict | None = None):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = dict(headers or {})

    def request(self, method: str, path: str, body=None, headers=None) -> tuple[int, bytes]:
        self.conn.request(method, path, body=body, headers={**self.headers, **(headers or {})})
        response = self.conn.getresponse()
        data = response.read()
        cookie = response.getheader("Set-Cookie")
        if cookie and cookie.startswith("session="):
            self.headers["Cookie"] = cookie.split(";", 1)[0]
        return response.status, data

    def get(self, path: str) -> tuple[int, bytes]:
        return self.request("GET", path)

    def login(self, email: str) -> "_Client":
        _status, page = self.get("/login")
        token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page).group(1).decode()
        status, _ = self.request("POST", "/login", urlencode({"csrf_token": token, "email": email, "password": PASSWORD}),
                                 {"Content-Type": "application/x-www-form-urlencoded"})
        _expect(status == 302, f"sign-in of {email}")
        return self


def _measure(port, serials, client_email, staff_email, settlement_id) -> list[tuple[str, str]]:
    import json

    api = _Client(port, {"Content-Type": "application/json"})
    status, body = api.request("POST", "/api/v1/auth/tokens", json.dumps({"email": client_email, "password": PASSWORD}))
    _expect(status in (200, 201), "an API token for the client user")
    bearer = {"Authorization": "Bearer " + json.loads(body)["token"]}
    rng = random.Random(11)
    routes = (
        ("/healthz (trivial route)", lambda: _Client(port), lambda: "/healthz", b'"ok"'),
        ("warranty look-up, API (client user)", lambda: _Client(port, bearer),
         lambda: "/api/v1/warranty/" + rng.choice(serials), b'"serial"'),
        ("RMA list, first page (staff)", lambda: _Client(port).login(staff_email), lambda: "/rma/", b"RMA-"),
        ("issued settlement page (finance)", lambda: _Client(port).login(FINANCE_EMAIL),
         lambda: f"/settlements/{settlement_id}", b"BENCH-C"),
    )
    figures, base = [], None
    for label, connect, path, marker in routes:
        rate, p95, count = _drive(connect, path, marker)
        if base is None:
            base = (rate, p95)
            figures.append((label, f"{rate:,.0f} req/s, p95 {p95 * 1000:.1f} ms (n={count:,})"))
        else:
            figures.append((label, f"{rate:,.0f} req/s, p95 {p95 * 1000:.1f} ms (n={count:,}); "
                                   f"{rate / base[0]:.3f}x the throughput, {p95 / base[1]:.1f}x the p95 of /healthz"))
    figures.append(("load generator", f"{CONCURRENCY} threads with keep-alive, {SECONDS:.0f} s a route, "
                                      f"gunicorn -w {WORKERS}"))
    return figures


def _drive(connect, path, marker) -> tuple[float, float, int]:
    """CONCURRENCY threads fetch path() until SECONDS pass or MAX_REQUESTS are done; every
    answer must be a 200 containing marker."""
    clients = [connect() for _ in range(CONCURRENCY)]
    for client in clients[:1]:
        for _ in range(5):  # warm up each worker's templates
            client.get(path())
    times: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + SECONDS

    def work(client):
        local = []
        while time.monotonic() < stop and len(times) + len(local) < MAX_REQUESTS and not failures:
            target = path()
            began = time.perf_counter()
            status, body = client.get(target)
            local.append(time.perf_counter() - began)
            if status != 200 or marker not in body:
                failures.append(f"{target}: {status}")
        with lock:
            times.extend(local)

    started = time.perf_counter()
    threads = [threading.Thread(target=work, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    _expect(not failures, "every answer a 200 with the expected content: " + "; ".join(failures[:3]))
    ordered = sorted(times)
    return len(ordered) / elapsed, ordered[max(0, int(len(ordered) * 0.95) - 1)], len(ordered)


def _expect(condition: bool, what: str) -> None:
    if not condition:
        raise RuntimeError(f"benchmark check failed: {what}")
