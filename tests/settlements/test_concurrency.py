"""Parallel issuers against the configured database, with real commits.

Eight threads, each with its own app context (its own session and connection), issue eight
drafts at the same moment. On PostgreSQL they queue on the locked chain head and counter
rows; on SQLite the database's write lock serialises them. Either way the numbers must be
1..8 without gap or duplicate, and the chain must stay one line.

This test commits, so it cannot use the SAVEPOINT ``db`` fixture. It creates its own client
(a unique code), issues in a year nobody else uses (2091), and cleans up after itself:
issued rows are protected by the immutability triggers, so the teardown switches them off
inside its cleanup transaction (PostgreSQL: DISABLE TRIGGER USER; SQLite: DROP TRIGGER),
deletes what the test made, puts the chain head and the counter back as they were, and
switches the triggers on again before committing.
"""
from __future__ import annotations

import threading
import uuid
from datetime import date, datetime, timezone
from decimal import Decimal

from sqlalchemy import delete, select, update

from portal.audit import AuditEntry
from portal.catalogue.models import ProductModel
from portal.clients.models import Client
from portal.extensions import db
from portal.schemes.models import Contract
from portal.settlements.chain import GENESIS, verify_chain
from portal.settlements.engine import compute_draft
from portal.settlements.issuing import issue
from portal.settlements.models import ChainHead, DocumentCounter, Settlement, SettlementLine
from portal.shipments.models import Shipment, ShipmentLine

from .conftest import bypass_triggers, restore_triggers

YEAR = 2091
ISSUERS = 8
ISSUED_AT = datetime(YEAR, 6, 1, 4, 0, tzinfo=timezone.utc)


def _make_drafts(code: str) -> tuple[int, int, list[int]]:
    client = Client(code=code, name=f"Parallel {code}", market="overseas", locale="en", currency="USD")
    model = ProductModel(code=f"M-{code}", kind="tv", size_inches=Decimal("50"), launch_date=date(2089, 1, 1))
    db.session.add_all([client, model])
    db.session.flush()
    db.session.add(Contract(client_id=client.id, scheme_key="buyout_rebate", terms={"rebate_rate": "2"},
                            currency="USD", period_kind="month", starts_on=date(2090, 1, 1)))
    for month in range(1, ISSUERS + 1):
        shipment = Shipment(number=f"{code}-{month}", client_id=client.id, ship_date=date(2090, month, 15))
        shipment.lines.append(ShipmentLine(client_id=client.id, model_id=model.id, quantity=10 * month,
                                           unit_price=Decimal("100.00"), currency="USD"))
        db.session.add(shipment)
    db.session.flush()
    ids = [compute_draft(client.id, date(2090, month, 1)).id for month in range(1, ISSUERS + 1)]
    db.session.commit()
    return client.id, model.id, ids


def _cleanup(client_id: int, model_id: int, head_before) -> None:
    db.session.remove()
    s, line, head = Settlement.__table__, SettlementLine.__table__, ChainHead.__table__
    with db.engine.connect() as conn, conn.begin():
        bypass_triggers(conn)
        if head_before is None:
            conn.execute(delete(head))
        else:
            conn.execute(update(head).where(head.c.id == 1).values(last_hash=head_before[0],
                                                                   last_document_id=head_before[1]))
        ids = select(s.c.id).where(s.c.client_id == client_id)
        conn.execute(delete(line).where(line.c.settlement_id.in_(ids)))
        conn.execute(delete(s).where(s.c.client_id == client_id))
        conn.execute(delete(DocumentCounter.__table__).where(DocumentCounter.__table__.c.year == YEAR))
        conn.execute(delete(Contract.__table__).where(Contract.__table__.c.client_id == client_id))
        conn.execute(delete(ShipmentLine.__table__).where(ShipmentLine.__table__.c.client_id == client_id))
        conn.execute(delete(Shipment.__table__).where(Shipment.__table__.c.client_id == client_id))
        conn.execute(delete(ProductModel.__table__).where(ProductModel.__table__.c.id == model_id))
        conn.execute(delete(AuditEntry.__table__).where(AuditEntry.__table__.c.client_id == client_id))
        conn.execute(delete(Client.__table__).where(Client.__table__.c.id == client_id))
        restore_triggers(conn)


def test_parallel_issuers_never_duplicate_or_skip(app):
    code = "PAR" + uuid.uuid4().hex[:8].upper()
    existing = db.session.execute(select(ChainHead.last_hash, ChainHead.last_document_id)).first()
    head_before = tuple(existing) if existing else None
    assert db.session.scalar(select(DocumentCounter.last).where(DocumentCounter.year == YEAR)) is None
    client_id, model_id, draft_ids = _make_drafts(code)
    try:
        barrier = threading.Barrier(ISSUERS)
        numbers: list[str] = []
        errors: list[BaseException] = []

        def issuer(settlement_id: int) -> None:
            with app.app_context():
                try:
                    barrier.wait(timeout=30)
                    numbers.append(issue(settlement_id, None, now=ISSUED_AT).number)
                    db.session.commit()
                except BaseException as exc:  # noqa: BLE001 - reported below
                    db.session.rollback()
                    errors.append(exc)

        threads = [threading.Thread(target=issuer, args=(i,)) for i in draft_ids]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not errors, errors
        assert sorted(numbers) == [f"ST-{YEAR}-{n:05d}" for n in range(1, ISSUERS + 1)]

        db.session.rollback()
        docs = db.session.scalars(select(Settlement).where(Settlement.client_id == client_id)
                                  .order_by(Settlement.number)).all()
        assert [d.status for d in docs] == ["issued"] * ISSUERS
        previous = head_before[0] if head_before else GENESIS
        for doc in docs:  # issued one after the other: number order is chain order
            assert doc.prev_hash == previous
            previous = doc.hash
        assert db.session.scalar(select(ChainHead.last_hash)) == previous
        assert db.session.scalar(select(DocumentCounter.last).where(DocumentCounter.year == YEAR)) == ISSUERS
        report = verify_chain()
        assert report.intact, str(report)
    finally:
        _cleanup(client_id, model_id, head_before)
    assert db.session.scalar(select(Settlement.id).where(Settlement.client_id == client_id)) is None
    assert verify_chain().intact
