"""Issuing a settlement or a credit note leaves an entry in the audit log."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select

from portal.audit import AuditEntry
from portal.settlements.engine import compute_draft
from portal.settlements.issuing import create_credit_note, issue

from .conftest import MARCH, buyout_shipments

NOW = datetime(2025, 4, 3, 2, 0, tzinfo=timezone.utc)


def test_issuing_and_crediting_are_recorded(db, make, world):
    buyout_shipments(make, world)
    doc = issue(compute_draft(world.acme.id, MARCH).id, world.finance.id, now=NOW)
    note = create_credit_note(doc.id, world.finance.id, reason="Prices were wrong", reverse_all=True, now=NOW)
    logged = db.session.scalars(select(AuditEntry).where(AuditEntry.action.in_(
        ("settlement.issue", "credit_note.issue"))).order_by(AuditEntry.id)).all()
    assert [(e.action, e.target, e.user_email, e.client_id) for e in logged] == [
        ("settlement.issue", f"settlement:{doc.id}", world.finance.email, world.acme.id),
        ("credit_note.issue", f"settlement:{note.id}", world.finance.email, world.acme.id),
    ]
    assert logged[0].details == {"number": doc.number, "total": str(doc.total), "currency": "CNY",
                                 "period": "2025-03-01"}
    assert logged[1].details["corrects"] == doc.number and logged[1].details["number"] == note.number


def test_a_refused_issue_records_nothing(db, make, world):
    import pytest

    from portal.settlements.errors import SettlementError

    buyout_shipments(make, world)
    doc = issue(compute_draft(world.acme.id, MARCH).id, world.finance.id, now=NOW)
    with pytest.raises(SettlementError):
        issue(doc.id, world.finance.id, now=NOW)
    assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "settlement.issue")
                             .offset(1)) is None
