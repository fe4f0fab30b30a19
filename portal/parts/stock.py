"""After-sales stock: receipts, issues, transfers, adjustments and production consumption,
each a `StockMove` (who and why) written with its balance change in the caller's transaction.

Taking stock is a conditional UPDATE (`quantity = quantity - n WHERE quantity >= n`) whose row
count tells whether there was enough: no read-then-write race, so concurrent issues on
PostgreSQL can never drive a balance below zero (the loser sees 0 rows and is refused).
Putting stock is an upsert (INSERT … ON CONFLICT DO UPDATE, SQLite and PostgreSQL).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from .. import audit
from ..catalogue.models import Part
from ..extensions import db
from .models import AFTER_SALES_KINDS, StockBalance, StockLocation, StockMove


class StockError(ValueError):
    """A move that cannot be made; the message is translated and says why."""


@dataclass(frozen=True)
class MoveRequest:
    kind: str
    part_id: int
    quantity: int
    reason: str
    from_location_id: int | None = None
    to_location_id: int | None = None
    client_id: int | None = None
    model_id: int | None = None
    order_line_id: int | None = None
    day: date | None = None


def _location(location_id: int | None) -> StockLocation:
    location = db.session.get(StockLocation, location_id) if location_id else None
    if location is None:
        raise StockError(_("Unknown stock location."))
    return location


def _take(location_id: int, part_id: int, quantity: int) -> None:
    table = StockBalance.__table__
    result = db.session.execute(
        update(table)
        .where(table.c.location_id == location_id, table.c.part_id == part_id, table.c.quantity >= quantity)
        .values(quantity=table.c.quantity - quantity)
    )
    if result.rowcount != 1:
        have = db.session.execute(select(table.c.quantity).where(
            table.c.location_id == location_id, table.c.part_id == part_id)).scalar() or 0
        part = db.session.get(Part, part_id)
        raise StockError(_("Not enough stock of %(part)s: %(have)s on hand, %(want)s asked.",
                           part=part.number if part else part_id, have=have, want=quantity))


def _put(location_id: int, part_id: int, quantity: int) -> None:
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = StockBalance.__table__
    statement = insert(table).values(location_id=location_id, part_id=part_id, quantity=quantity)
    db.session.execute(statement.on_conflict_do_update(
        index_elements=[table.c.location_id, table.c.part_id],
        set_={"quantity": table.c.quantity + quantity}))


def _forget_loaded_balance(location_id: int, part_id: int) -> None:
    """The balances change by SQL (atomic under concurrency); a StockBalance this session has
    already loaded is expired, so it reads its new quantity when next used."""
    loaded = db.session.identity_map.get(db.session.identity_key(StockBalance, (location_id, part_id)))
    if loaded is not None:
        db.session.expire(loaded, ["quantity"])


def begin_write() -> None:
    """On SQLite, make a write the first statement of the transaction, so it takes the database's
    write lock before reading (a reader cannot later upgrade while another writer holds it).
    Views end their reading transaction (commit) and call this before moving stock. No-op on
    PostgreSQL, where the conditional UPDATE's row lock does the work."""
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(update(StockBalance.__table__).where(StockBalance.__table__.c.quantity < 0)
                           .values(quantity=StockBalance.__table__.c.quantity))


def move(request: MoveRequest, user=None) -> StockMove:
    """Validate and record one move. Raises StockError (nothing written) when refused."""
    begin_write()
    if request.kind not in ("receipt", "issue", "transfer", "adjustment", "consumption"):
        raise StockError(_("Unknown kind of stock move."))
    if not isinstance(request.quantity, int) or request.quantity <= 0:
        raise StockError(_("The quantity must be a whole number above zero."))
    if not (request.reason or "").strip():
        raise StockError(_("Say why the stock moves."))
    if db.session.get(Part, request.part_id) is None:
        raise StockError(_("Unknown part."))
    source = _location(request.from_location_id) if request.kind in ("issue", "transfer", "consumption") or (
        request.kind == "adjustment" and request.from_location_id) else None
    target = _location(request.to_location_id) if request.kind in ("receipt", "transfer") or (
        request.kind == "adjustment" and not request.from_location_id) else None
    if request.kind == "consumption" and source.kind in AFTER_SALES_KINDS:
        raise StockError(_("Production cannot consume parts held in after-sales stock (%(location)s).",
                           location=source.code))
    if request.kind == "issue" and source.kind not in AFTER_SALES_KINDS:
        raise StockError(_("Spare parts are issued from after-sales stock only."))
    if request.kind == "transfer" and source.id == target.id:
        raise StockError(_("A transfer needs two different locations."))
    if request.kind == "transfer" and (source.kind in AFTER_SALES_KINDS) != (target.kind in AFTER_SALES_KINDS):
        raise StockError(_("After-sales stock and production stock are kept apart: no transfer between them."))
    with db.session.begin_nested():
        if source is not None:
            _take(source.id, request.part_id, request.quantity)
            _forget_loaded_balance(source.id, request.part_id)
        if target is not None:
            _put(target.id, request.part_id, request.quantity)
            _forget_loaded_balance(target.id, request.part_id)
        row = StockMove(
            kind=request.kind, part_id=request.part_id, quantity=request.quantity,
            from_location_id=source.id if source else None, to_location_id=target.id if target else None,
            user_id=getattr(user, "id", None), reason=request.reason.strip()[:300], client_id=request.client_id,
            model_id=request.model_id, order_line_id=request.order_line_id, day=request.day or date.today(),
        )
        db.session.add(row)
        db.session.flush()
        audit.record(f"stock.{request.kind}", f"stock_move:{row.id}", client_id=request.client_id, user=user,
                     part_id=request.part_id, quantity=request.quantity, reason=row.reason,
                     from_location=source.code if source else None, to_location=target.code if target else None)
    return row


def set_bin(balance: StockBalance, bin_code: str, user=None) -> bool:
    """Record where a part sits in a location (its shelf or bin). Audit-logged like a move;
    returns False (nothing written) when the bin does not change."""
    bin_code = (bin_code or "").strip()
    if bin_code == balance.bin:
        return False
    audit.record("stock.bin", f"stock_balance:{balance.location_id}:{balance.part_id}", user=user,
                 part_id=balance.part_id, location=balance.location.code, old_bin=balance.bin, new_bin=bin_code)
    balance.bin = bin_code
    return True


def on_hand(part_ids, after_sales_only: bool = True) -> dict[int, int]:
    """part id -> quantity held (in after-sales locations by default), one GROUP BY."""
    ids = list(part_ids)
    if not ids:
        return {}
    balance, location = StockBalance.__table__.c, StockLocation.__table__.c
    query = (select(balance.part_id, func.sum(balance.quantity))
             .join_from(StockBalance.__table__, StockLocation.__table__, location.id == balance.location_id)
             .where(balance.part_id.in_(ids)).group_by(balance.part_id))
    if after_sales_only:
        query = query.where(location.kind.in_(AFTER_SALES_KINDS))
    return {part_id: int(total or 0) for part_id, total in db.session.execute(query)}


def balances_query(part_number: str | None = None, location_id: int | None = None):
    query = (select(StockBalance).join(StockBalance.part).join(StockBalance.location)
             .order_by(Part.number, StockLocation.code))
    if part_number:
        query = query.where(Part.number.ilike(f"%{part_number}%"))
    if location_id:
        query = query.where(StockBalance.location_id == location_id)
    return query


def moves_query(part_id: int | None = None):
    query = select(StockMove).order_by(StockMove.at.desc(), StockMove.id.desc())
    if part_id:
        query = query.where(StockMove.part_id == part_id)
    return query


def after_sales_locations() -> list[StockLocation]:
    return list(db.session.scalars(select(StockLocation).where(StockLocation.kind.in_(AFTER_SALES_KINDS))
                                   .order_by(StockLocation.code)))
