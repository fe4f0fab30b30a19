"""After-sales stock: the ledger, balances, refusals, and the invariant under any sequence."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from portal.audit import AuditEntry
from portal.parts.models import StockBalance, StockMove
from portal.parts.stock import MoveRequest, StockError, move, on_hand

from .conftest import receive


def balance(db, location, part) -> int:
    row = db.session.get(StockBalance, (location.id, part.id))
    return row.quantity if row else 0


def test_receipt_transfer_adjustment_keep_balances_and_ledger(world, db):
    receive(world, world.board, 10)
    move(MoveRequest("transfer", world.board.id, 4, "HK weekly visit", from_location_id=world.factory.id,
                     to_location_id=world.hk.id), user=world.staff)
    move(MoveRequest("adjustment", world.board.id, 1, "count found one damaged", from_location_id=world.hk.id))
    move(MoveRequest("adjustment", world.board.id, 2, "count found two more", to_location_id=world.factory.id))
    assert balance(db, world.factory, world.board) == 8
    assert balance(db, world.hk, world.board) == 3
    assert on_hand([world.board.id]) == {world.board.id: 11}
    moves = db.session.scalars(select(StockMove).order_by(StockMove.id)).all()
    assert [m.kind for m in moves] == ["receipt", "transfer", "adjustment", "adjustment"]
    assert moves[1].user_id == world.staff.id and moves[1].reason == "HK weekly visit"
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("stock.%")).order_by(AuditEntry.id)).all()
    assert actions == ["stock.receipt", "stock.transfer", "stock.adjustment", "stock.adjustment"]


def test_stock_never_goes_negative(world, db):
    receive(world, world.board, 2)
    with pytest.raises(StockError, match="Not enough stock of MB-55A-01: 2 on hand, 3 asked"):
        move(MoveRequest("issue", world.board.id, 3, "order", from_location_id=world.factory.id,
                         client_id=world.acme.id, model_id=world.tv55.id))
    assert balance(db, world.factory, world.board) == 2
    assert db.session.scalar(select(func.count()).select_from(StockMove)) == 1


def test_production_cannot_consume_after_sales_stock(world, db):
    receive(world, world.board, 5)
    with pytest.raises(StockError, match="Production cannot consume parts held in after-sales stock"):
        move(MoveRequest("consumption", world.board.id, 1, "line 1 short", from_location_id=world.factory.id))
    with pytest.raises(StockError, match="kept apart"):
        move(MoveRequest("transfer", world.board.id, 1, "borrow", from_location_id=world.factory.id,
                         to_location_id=world.line.id))
    receive(world, world.board, 3, world.line)
    move(MoveRequest("consumption", world.board.id, 3, "build", from_location_id=world.line.id))
    with pytest.raises(StockError, match="issued from after-sales stock only"):
        move(MoveRequest("issue", world.board.id, 1, "x", from_location_id=world.line.id))
    assert balance(db, world.factory, world.board) == 5 and balance(db, world.line, world.board) == 0
    assert on_hand([world.board.id]) == {world.board.id: 5}


@pytest.mark.parametrize("request_kw, message", [
    (dict(kind="receipt", quantity=0, reason="x"), "whole number above zero"),
    (dict(kind="receipt", quantity=-1, reason="x"), "whole number above zero"),
    (dict(kind="receipt", quantity=1, reason="  "), "Say why"),
    (dict(kind="teleport", quantity=1, reason="x"), "Unknown kind"),
    (dict(kind="transfer", quantity=1, reason="x", same=True), "two different locations"),
])
def test_bad_moves_are_refused(world, db, request_kw, message):
    kw = dict(request_kw)
    same = kw.pop("same", False)
    with pytest.raises(StockError, match=message):
        move(MoveRequest(part_id=world.board.id, from_location_id=world.factory.id,
                         to_location_id=world.factory.id if same else world.hk.id, **kw))
    assert db.session.scalar(select(func.count()).select_from(StockMove)) == 0


OPS = st.lists(st.tuples(st.sampled_from(["receipt", "issue", "transfer", "adjust_down", "adjust_up"]),
                         st.integers(0, 1), st.integers(1, 6)), max_size=25)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_any_sequence_keeps_balance_equal_to_sum_of_moves(world, db, ops):
    locations = [world.factory, world.hk]
    with db.session.begin_nested() as savepoint:
        for kind, index, quantity in ops:
            here, there = locations[index], locations[1 - index]
            request = {
                "receipt": MoveRequest("receipt", world.power.id, quantity, "r", to_location_id=here.id),
                "issue": MoveRequest("issue", world.power.id, quantity, "i", from_location_id=here.id,
                                     client_id=world.acme.id, model_id=world.tv55.id),
                "transfer": MoveRequest("transfer", world.power.id, quantity, "t", from_location_id=here.id,
                                        to_location_id=there.id),
                "adjust_down": MoveRequest("adjustment", world.power.id, quantity, "a", from_location_id=here.id),
                "adjust_up": MoveRequest("adjustment", world.power.id, quantity, "a", to_location_id=here.id),
            }[kind]
            try:
                move(request)
            except StockError:
                pass
        for location in locations:
            moves = db.session.scalars(select(StockMove).where(StockMove.part_id == world.power.id)).all()
            total = sum(m.quantity for m in moves if m.to_location_id == location.id) - sum(
                m.quantity for m in moves if m.from_location_id == location.id)
            assert balance(db, location, world.power) == total >= 0
        savepoint.rollback()


def test_a_balance_already_loaded_shows_the_quantity_after_a_move(world, db):
    receive(world, world.board, 5)
    balance = db.session.get(StockBalance, (world.factory.id, world.board.id))
    assert balance.quantity == 5
    move(MoveRequest("issue", world.board.id, 2, "to a client", from_location_id=world.factory.id))
    receive(world, world.board, 10)
    assert balance.quantity == 13
