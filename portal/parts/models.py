"""Spare parts: after-sales stock (locations, a balance per location and part, a ledger of
moves), clients' part numbers, substitutes, spare-part orders, shortages and forecasts.

On-hand is a balance table (`stock_balance`) updated in the same transaction as the ledger row
(`stock_move`): reading stock is one indexed row, and the balance row is what the conditional
UPDATE `qty = qty - n WHERE qty >= n` guards, so stock never goes negative even when two
issues race on PostgreSQL. The invariant "balance = sum of the moves" is a property test.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..catalogue.models import Batch, Part, ProductModel
from ..db import UTC, CreatedAt, TenantScoped, utcnow
from ..extensions import db

LOCATION_KINDS = ("after_sales", "service_point", "production")
AFTER_SALES_KINDS = ("after_sales", "service_point")
MOVE_KINDS = ("receipt", "issue", "transfer", "adjustment", "consumption")
ORDER_STATES = ("open", "partly_shipped", "shipped", "cancelled")
SHORTAGE_STEPS = ("substitute", "purchase", "client_return", "settle")


class StockLocation(CreatedAt, db.Model):
    __tablename__ = "stock_location"
    __table_args__ = (CheckConstraint("kind IN ('after_sales', 'service_point', 'production')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))

    @property
    def after_sales(self) -> bool:
        return self.kind in AFTER_SALES_KINDS


class StockBalance(db.Model):
    __tablename__ = "stock_balance"
    __table_args__ = (CheckConstraint("quantity >= 0", name="not_negative"),
                      Index("ix_stock_balance_part", "part_id"))

    location_id: Mapped[int] = mapped_column(ForeignKey("stock_location.id"), primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("part.id"), primary_key=True)
    quantity: Mapped[int] = mapped_column(default=0)
    bin: Mapped[str] = mapped_column(String(30), default="", server_default="")  # shelf or bin code

    location: Mapped[StockLocation] = relationship(lazy="joined")
    part: Mapped[Part] = relationship(lazy="joined")


class StockMove(db.Model):
    """One ledger entry: who moved how many of a part from where to where, and why."""

    __tablename__ = "stock_move"
    __table_args__ = (CheckConstraint("quantity > 0", name="positive"),
                      Index("ix_stock_move_part_at", "part_id", "at"),
                      Index("ix_stock_move_client_day", "client_id", "day"))

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTC, default=utcnow)
    day: Mapped[date]
    kind: Mapped[str] = mapped_column(String(20))
    part_id: Mapped[int] = mapped_column(ForeignKey("part.id"))
    quantity: Mapped[int]
    from_location_id: Mapped[int | None] = mapped_column(ForeignKey("stock_location.id"))
    to_location_id: Mapped[int | None] = mapped_column(ForeignKey("stock_location.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reason: Mapped[str] = mapped_column(String(300))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("client.id"))
    model_id: Mapped[int | None] = mapped_column(ForeignKey("product_model.id"))
    order_line_id: Mapped[int | None] = mapped_column(ForeignKey("part_order_line.id"), index=True)

    part: Mapped[Part] = relationship(lazy="joined")
    from_location: Mapped[StockLocation | None] = relationship(foreign_keys=[from_location_id], lazy="joined")
    to_location: Mapped[StockLocation | None] = relationship(foreign_keys=[to_location_id], lazy="joined")


class ClientPartNumber(TenantScoped, db.Model):
    """The client's own number (and description, in its language) for one of the ODM's parts."""

    __tablename__ = "client_part_number"
    __table_args__ = (UniqueConstraint("client_id", "part_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("part.id"), index=True)
    number: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(String(200), default="")

    part: Mapped[Part] = relationship()
    client = relationship("Client")


class PartSubstitute(CreatedAt, db.Model):
    """Part `substitute` may replace part `part` (and the reverse when `both_ways`), following
    the substitute repair instruction: a text or URL now, a document id once documents exist."""

    __tablename__ = "part_substitute"
    __table_args__ = (UniqueConstraint("part_id", "substitute_id"),
                      CheckConstraint("part_id <> substitute_id", name="not_itself"))

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("part.id"), index=True)
    substitute_id: Mapped[int] = mapped_column(ForeignKey("part.id"), index=True)
    both_ways: Mapped[bool] = mapped_column(default=False)
    instruction: Mapped[str] = mapped_column(Text, default="")
    instruction_url: Mapped[str] = mapped_column(String(500), default="")
    document_id: Mapped[int | None]

    part: Mapped[Part] = relationship(foreign_keys=[part_id], lazy="joined")
    substitute: Mapped[Part] = relationship(foreign_keys=[substitute_id], lazy="joined")


class PartOrder(TenantScoped, CreatedAt, db.Model):
    __tablename__ = "part_order"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    scheme_key: Mapped[str] = mapped_column(String(60), default="")
    currency: Mapped[str] = mapped_column(String(3))
    note: Mapped[str] = mapped_column(String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    client = relationship("Client")
    lines: Mapped[list[PartOrderLine]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="PartOrderLine.id")


class PartOrderLine(TenantScoped, db.Model):
    __tablename__ = "part_order_line"
    __table_args__ = (CheckConstraint("quantity > 0", name="positive"),
                      CheckConstraint("shipped >= 0 AND shipped <= quantity", name="shipped_range"))

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("part_order.id", ondelete="CASCADE"), index=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("part.id"), index=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("product_model.id"))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batch.id"))
    quantity: Mapped[int]
    shipped: Mapped[int] = mapped_column(default=0)
    free_quantity: Mapped[int] = mapped_column(default=0)  # the estimate when ordered
    unit_price: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))

    order: Mapped[PartOrder] = relationship(back_populates="lines")
    part: Mapped[Part] = relationship(lazy="joined")
    model: Mapped[ProductModel] = relationship(lazy="joined")
    batch: Mapped[Batch | None] = relationship(lazy="joined")

    @property
    def backordered(self) -> int:
        return self.quantity - self.shipped

    @property
    def charged_quantity(self) -> int:
        return self.quantity - self.free_quantity


class Shortage(TenantScoped, CreatedAt, db.Model):
    """A backordered line, worked through the department's sequence: substitute → purchase or
    custom order → ask the client to return the old part for repair → settle by contract/三包."""

    __tablename__ = "part_shortage"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("part_order_line.id", ondelete="CASCADE"), unique=True)
    substitute_id: Mapped[int | None] = mapped_column(ForeignKey("part_substitute.id"))
    closed: Mapped[bool] = mapped_column(default=False, index=True)

    line: Mapped[PartOrderLine] = relationship(lazy="joined")
    substitute: Mapped[PartSubstitute | None] = relationship(lazy="joined")
    steps: Mapped[list[ShortageStep]] = relationship(
        back_populates="shortage", cascade="all, delete-orphan", order_by="ShortageStep.id", lazy="selectin")

    @property
    def next_step(self) -> str | None:
        done = {step.step for step in self.steps}
        for step in SHORTAGE_STEPS:
            if step not in done:
                return None if self.closed else step
        return None


class ShortageStep(db.Model):
    __tablename__ = "part_shortage_step"
    __table_args__ = (UniqueConstraint("shortage_id", "step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shortage_id: Mapped[int] = mapped_column(ForeignKey("part_shortage.id", ondelete="CASCADE"))
    step: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str] = mapped_column(String(20))  # done | not_possible
    day: Mapped[date]
    note: Mapped[str] = mapped_column(String(500), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    shortage: Mapped[Shortage] = relationship(back_populates="steps")


class PartForecast(db.Model):
    """The latest forecast of a part: monthly demand, last-time-buy quantity, review verdict."""

    __tablename__ = "part_forecast"

    part_id: Mapped[int] = mapped_column(ForeignKey("part.id"), primary_key=True)
    computed_at: Mapped[datetime] = mapped_column(UTC, default=utcnow)
    method: Mapped[str] = mapped_column(String(10))
    monthly_demand: Mapped[float]
    months_left: Mapped[int]
    expected_demand: Mapped[float]
    service_level: Mapped[Decimal] = mapped_column(Numeric(5, 4))
    last_time_buy: Mapped[int]
    on_hand: Mapped[int]
    verdict: Mapped[str] = mapped_column(String(10))  # under | over | ok
    series: Mapped[dict] = mapped_column(JSON, default=dict)

    part: Mapped[Part] = relationship(lazy="joined")
