"""The network reads RMAs through portal.rma.services: the RMAs waiting for the Hong Kong
service point come with their clients in a fixed number of statements (no query per RMA)."""
from __future__ import annotations

from sqlalchemy import event

from portal.extensions import db as _db
from portal.network import sources
from portal.rma.models import Rma


def test_waiting_rmas_with_their_clients_in_two_statements(make, net, db, app):
    owners = [make.client(name=f"Owner {n}") for n in range(4)]
    for n, owner in enumerate(owners):
        db.session.add(Rma(client_id=owner.id, number=f"RMA-W-{n}", kind="board", destination="hk_service_point",
                           fault_description="dead", status="shipped", currency="USD", line_count=n + 1))
    db.session.add(Rma(client_id=owners[0].id, number="RMA-W-X", kind="board", destination="hk_service_point",
                       fault_description="dead", status="requested", currency="USD", line_count=1))
    db.session.flush()
    db.session.expunge_all()  # nothing cached: every client must be loaded
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = _db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        waiting = sources.rma_waiting_at_service_point()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    mine = [w for w in waiting if w.label.startswith("RMA-W-")]
    assert sorted((w.label, w.client_name, w.line_count) for w in mine) == [
        (f"RMA-W-{n}", f"Owner {n}", n + 1) for n in range(4)]
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 2  # the RMAs, their clients
