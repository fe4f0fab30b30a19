"""Refurbishment orders: returned units (from an RMA) or a client's own stock, inspected,
graded, given new parts, repackaged and sent back to the client or to refurbished stock."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clients.models import Client
from ..db import UTC, CreatedAt, Money, TenantScoped
from ..extensions import db

SOURCES = ("rma", "client_stock")
OUTPUTS = ("client", "refurbished_stock")
GRADES = ("A", "B", "C", "scrap")
ORDER_STATES = ("open", "in_progress", "done")


class RefurbOrder(TenantScoped, CreatedAt, db.Model):
    __tablename__ = "refurb_order"
    __table_args__ = (Index("ix_refurb_order_client_status", "client_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(20), unique=True)
    source: Mapped[str] = mapped_column(String(20))
    rma_id: Mapped[int | None] = mapped_column(ForeignKey("rma.id"), index=True)
    output: Mapped[str] = mapped_column(String(20), default="client")
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)
    currency: Mapped[str] = mapped_column(String(3))
    note: Mapped[str] = mapped_column(String(1000), default="")
    unit_count: Mapped[int] = mapped_column(default=0)
    done_count: Mapped[int] = mapped_column(default=0)
    completed_at: Mapped[datetime | None] = mapped_column(UTC)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    client: Mapped[Client] = relationship()
    units: Mapped[list[RefurbUnit]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="RefurbUnit.id")

    @property
    def progress(self) -> int:
        """Per cent of the units finished."""
        return round(100 * self.done_count / self.unit_count) if self.unit_count else 0


class RefurbUnit(TenantScoped, db.Model):
    __tablename__ = "refurb_unit"
    __table_args__ = (UniqueConstraint("order_id", "serial"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("refurb_order.id", ondelete="CASCADE"), index=True)
    serial: Mapped[str] = mapped_column(String(64), index=True)
    model_id: Mapped[int | None] = mapped_column(ForeignKey("product_model.id"))
    inspection: Mapped[str] = mapped_column(Text, default="")
    grade: Mapped[str | None] = mapped_column(String(8))
    parts_replaced: Mapped[str] = mapped_column(String(500), default="")  # part numbers, comma-separated
    repackaged: Mapped[bool] = mapped_column(default=False)
    cost: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    done_at: Mapped[datetime | None] = mapped_column(UTC)

    order: Mapped[RefurbOrder] = relationship(back_populates="units")
