"""Shipment import: a 100,000-line CSV with ~1,000,000 serials, through the importer.

The CSV is generated in a temporary directory (10 lines per shipment, on average
BENCH_SERIALS_PER_LINE serials per positive line, 1 line in 20 a return without serials).
Each import runs in a child process on a fresh database built by the migrations, so its
memory figures are its own: SQLite in the temporary directory and, when DATABASE_URL is set,
a scratch database created on that PostgreSQL server and dropped afterwards (the database
DATABASE_URL names is not touched). The import is timed without tracing, then repeated on
another fresh database under tracemalloc for the peak of Python allocations.
Environment: BENCH_ROWS (default 100,000), BENCH_SERIALS_PER_LINE (default 10).
"""
from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROWS = int(os.environ.get("BENCH_ROWS", 100_000))
SERIALS_PER_LINE = int(os.environ.get("BENCH_SERIALS_PER_LINE", 10))
LINES_PER_SHIPMENT = 10
CLIENTS, MODELS, BATCHES_PER_MODEL = 20, 50, 3
COLUMNS = ("shipment_no", "client_code", "ship_date", "model_code", "batch_code", "quantity", "unit_price",
           "currency", "serials")


def run() -> list[tuple[str, str]]:
    figures: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        path = Path(tmp) / "shipments.csv"
        started = time.perf_counter()
        lines, serials = write_csv(path)
        figures += [
            ("file", f"{lines:,} lines, {serials:,} serials, {path.stat().st_size / 2**20:.1f} MiB CSV"),
            ("generate the file", f"{time.perf_counter() - started:.1f} s"),
        ]
        targets = [("sqlite", lambda n: (f"sqlite:///{tmp}/bench-{n}.db", None))]
        if os.environ.get("DATABASE_URL"):
            targets.append(("postgresql", _scratch_postgres))
        for name, make_url in targets:
            timed = _child(make_url, "timed", path)
            traced = _child(make_url, "traced", path)
            figures += [
                (f"{name}: import", f"{timed['seconds']:.1f} s  ({lines / timed['seconds']:,.0f} lines/s, "
                                    f"{serials / timed['seconds']:,.0f} serials/s)"),
                (f"{name}: written", f"{timed['shipments']:,} shipments, {timed['lines']:,} lines, "
                                     f"{timed['serials']:,} serials"),
                (f"{name}: peak RSS of the process", _mib(timed["rss_peak"])),
                (f"{name}: RSS growth during the import", _mib(timed["rss_peak"] - timed["rss_before"])),
                (f"{name}: tracemalloc peak during the import", _mib(traced["traced_peak"])),
                (f"{name}: import under tracemalloc", f"{traced['seconds']:.1f} s"),
            ]
    return figures


def write_csv(path: Path) -> tuple[int, int]:
    """Stream the benchmark file to `path`; returns (lines, serials)."""
    rnd = random.Random(20250301)
    start = date(2024, 1, 1)
    serials = 0
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for i in range(ROWS):
            shipment = i // LINES_PER_SHIPMENT
            client = shipment % CLIENTS
            model = rnd.randrange(MODELS)
            if i % 20 == 19:
                quantity, line_serials = -rnd.randint(1, 5), ""
            else:
                quantity = max(1, SERIALS_PER_LINE + rnd.randint(-3, 3)) if SERIALS_PER_LINE else rnd.randint(1, 20)
                line_serials = " ".join(f"SN{i:07d}{k:04d}" for k in range(quantity)) if SERIALS_PER_LINE else ""
                serials += quantity if SERIALS_PER_LINE else 0
            writer.writerow((
                f"BENCH-{shipment:07d}", f"BC{client:02d}", (start + timedelta(days=shipment % 700)).isoformat(),
                f"BM-{model:03d}", f"BB-{model:03d}-{rnd.randrange(BATCHES_PER_MODEL)}" if i % 3 else "",
                quantity, f"{rnd.randint(50_000, 300_000) / 100:.2f}", "USD" if client % 4 == 0 else "CNY",
                line_serials,
            ))
    return ROWS, serials


def _mib(kib: int) -> str:
    return f"{kib / 1024:,.0f} MiB"


def _scratch_postgres(n: int) -> tuple[str, str]:
    """A new database on DATABASE_URL's server; returns (its URL, the URL to drop it from)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from portal.config import normalise_database_url

    admin = make_url(normalise_database_url(os.environ["DATABASE_URL"]))
    name = f"bench_import_{os.getpid()}_{n}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return admin.set(database=name).render_as_string(hide_password=False), admin.render_as_string(hide_password=False)


def _drop_postgres(url: str, admin_url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    engine.dispose()


_runs = iter(range(1_000_000))


def _child(make_url, mode: str, path: Path) -> dict:
    url, admin_url = make_url(next(_runs))
    try:
        done = subprocess.run(
            [sys.executable, "-m", "tests.bench.bench_import", "--child", mode, url, str(path)],
            cwd=Path(__file__).resolve().parents[2], capture_output=True, text=True, check=False,
        )
    finally:
        if admin_url:
            _drop_postgres(url, admin_url)
    if done.returncode != 0:
        raise RuntimeError(f"import benchmark child failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _seed(db) -> None:
    from decimal import Decimal

    from portal.catalogue.models import Batch, ProductModel
    from portal.clients.models import Client

    for c in range(CLIENTS):
        db.session.add(Client(code=f"BC{c:02d}", name=f"Bench client {c}", market="domestic", locale="zh_Hans",
                              currency="USD" if c % 4 == 0 else "CNY"))
    for m in range(MODELS):
        model = ProductModel(code=f"BM-{m:03d}", name=f"Bench model {m}", kind="tv", size_inches=Decimal("55"),
                             launch_date=date(2023, 1, 1))
        db.session.add(model)
        for b in range(BATCHES_PER_MODEL):
            db.session.add(Batch(code=f"BB-{m:03d}-{b}", model=model, produced_on=date(2023, 6, 1)))
    db.session.commit()


def child_main(mode: str, url: str, path: str) -> None:
    """In a fresh process: migrate, seed the codes, import the file and print the figures as JSON."""
    import resource
    import tracemalloc

    import flask_migrate

    from portal import create_app
    from portal.extensions import db
    from portal.shipments.importer import import_shipments

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        flask_migrate.upgrade(revision="heads")
        _seed(db)
    with app.test_request_context():
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        if mode == "traced":
            tracemalloc.start()
        started = time.perf_counter()
        with open(path, "rb") as stream:
            result = import_shipments(stream, Path(path).name)
        db.session.commit()
        seconds = time.perf_counter() - started
        traced_peak = tracemalloc.get_traced_memory()[1] // 1024 if mode == "traced" else 0
        tracemalloc.stop()
        rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        db.session.remove()
        db.engine.dispose()
    print(json.dumps({"seconds": seconds, "shipments": result.shipments, "lines": result.lines,
                      "serials": result.serials, "rss_before": rss_before, "rss_peak": rss_peak,
                      "traced_peak": traced_peak}))


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child_main(*sys.argv[2:])
    else:
        from tests.bench.__main__ import print_table

        print_table(__doc__.strip().splitlines()[0], run())
