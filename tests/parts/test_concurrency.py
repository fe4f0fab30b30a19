"""Concurrent issues against the configured database, with real commits: eight threads each
take 1 of 5 parts at once; exactly five succeed, the balance ends at 0, never below.

This test commits, so it does not use the SAVEPOINT `db` fixture: it makes its own part and
location (unique codes) and deletes them, their moves, balances and audit entries afterwards."""
from __future__ import annotations

import threading
import uuid
from decimal import Decimal

from sqlalchemy import delete, select

from portal.audit import AuditEntry
from portal.catalogue.models import Part
from portal.extensions import db
from portal.parts.models import StockBalance, StockLocation, StockMove
from portal.parts.stock import MoveRequest, StockError, move

THREADS, STOCK = 8, 5


def test_parallel_issues_never_overdraw(app):
    code = uuid.uuid4().hex[:8].upper()
    with app.app_context():
        part = Part(number=f"RACE-{code}", category="main_board", description="race", cost_price=Decimal("1.00"))
        location = StockLocation(code=f"R{code}", name="race", kind="after_sales")
        db.session.add_all([part, location])
        db.session.flush()
        move(MoveRequest("receipt", part.id, STOCK, "stock for the race", to_location_id=location.id))
        db.session.commit()
        part_id, location_id = part.id, location.id
    outcomes, barrier = [], threading.Barrier(THREADS)

    def issue_one():
        with app.test_request_context():  # its own app context, session and connection
            barrier.wait()
            try:
                move(MoveRequest("issue", part_id, 1, "race", from_location_id=location_id))
                db.session.commit()
                outcomes.append("ok")
            except StockError:
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()

    try:
        threads = [threading.Thread(target=issue_one) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        with app.app_context():
            left = db.session.get(StockBalance, (location_id, part_id)).quantity
            issued = db.session.scalars(select(StockMove.quantity).where(StockMove.part_id == part_id,
                                                                         StockMove.kind == "issue")).all()
        assert sorted(outcomes) == ["ok"] * STOCK + ["refused"] * (THREADS - STOCK)
        assert left == 0 and sum(issued) == STOCK
    finally:
        with app.app_context():
            ids = select(StockMove.id).where(StockMove.part_id == part_id)
            targets = [f"stock_move:{i}" for i in db.session.scalars(ids)]
            db.session.execute(delete(AuditEntry).where(AuditEntry.target.in_(targets)))
            db.session.execute(delete(StockMove).where(StockMove.part_id == part_id))
            db.session.execute(delete(StockBalance).where(StockBalance.part_id == part_id))
            db.session.execute(delete(StockLocation).where(StockLocation.id == location_id))
            db.session.execute(delete(Part).where(Part.id == part_id))
            db.session.commit()
