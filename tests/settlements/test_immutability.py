"""The database refuses to change an issued document (triggers), whatever the code path."""
from __future__ import annotations

from decimal import Decimal

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import delete, insert, text, update
from sqlalchemy.exc import IntegrityError

from portal.settlements.engine import compute_draft
from portal.settlements.issuing import issue
from portal.settlements.models import Settlement, SettlementLine

from .conftest import MARCH, buyout_shipments, load_trigger_migration

S, L = Settlement.__table__, SettlementLine.__table__


@pytest.fixture
def issued(db, make, world):
    buyout_shipments(make, world)
    return issue(compute_draft(world.acme.id, MARCH).id, world.finance.id)


def refused(db, statement) -> None:
    with pytest.raises(IntegrityError) as caught:
        with db.session.begin_nested():
            db.session.execute(statement)
    assert "issued documents are immutable" in str(caught.value)


def test_issued_settlement_rows_cannot_change(db, issued):
    refused(db, update(S).where(S.c.id == issued.id).values(total=Decimal("0.00")))
    refused(db, update(S).where(S.c.id == issued.id).values(status="draft"))
    refused(db, delete(S).where(S.c.id == issued.id))


def test_lines_of_an_issued_settlement_cannot_change(db, issued):
    line_id = issued.lines[0].id
    refused(db, update(L).where(L.c.id == line_id).values(amount=Decimal("1.00")))
    refused(db, delete(L).where(L.c.id == line_id))
    refused(db, insert(L).values(settlement_id=issued.id, client_id=issued.client_id, position=9, section="x",
                                 direction="credit", amount=Decimal("1.00"), currency="CNY", description_key="x",
                                 params={}, reference=""))


def test_the_orm_is_refused_too(db, issued):
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            issued.total = Decimal("1.00")
            db.session.flush()


def test_drafts_stay_free_to_change(db, make, world):
    buyout_shipments(make, world)
    draft = compute_draft(world.acme.id, MARCH)
    db.session.execute(update(L).where(L.c.settlement_id == draft.id).values(reference="changed"))
    db.session.execute(update(S).where(S.c.id == draft.id).values(reason="note"))
    db.session.execute(delete(S).where(S.c.id == draft.id))  # lines go with it (ON DELETE CASCADE)
    assert db.session.execute(text("SELECT count(*) FROM settlement_line WHERE settlement_id = :id"),
                              {"id": draft.id}).scalar() == 0


def test_the_migration_goes_down_and_up(db, issued):
    """Run inside the test's transaction (DDL is transactional on both databases)."""
    migration = load_trigger_migration()
    context = MigrationContext.configure(db.session.connection())
    with Operations.context(context):
        migration.downgrade()
    with db.session.begin_nested():  # without the triggers an issued row can be changed
        db.session.execute(update(S).where(S.c.id == issued.id).values(reason="tampered"))
    with Operations.context(context):
        migration.upgrade()
    refused(db, update(S).where(S.c.id == issued.id).values(reason="again"))
