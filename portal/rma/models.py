"""Repair returns (RMA): the request, one line per unit or board, the parts used, the
timeline of events, and the repair price list per currency (see docs/rma.md)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..catalogue.models import Part, ProductModel
from ..clients.models import Client
from ..db import UTC, CreatedAt, Money, TenantScoped, utcnow
from ..extensions import db
from ..network.models import AuthorisedStation

KINDS = ("unit", "main_board", "power_board")  # what comes back: whole units or boards
DESTINATIONS = ("unit_repair", "board_repair", "hk_service_point", "station")
OUTCOMES = ("repair", "refurbish", "scrap")
RECEIPTS = ("expected", "received", "missing", "unexpected")


class Rma(TenantScoped, CreatedAt, db.Model):
    __tablename__ = "rma"
    __table_args__ = (
        Index("ix_rma_client_status", "client_id", "status"),
        Index("ix_rma_destination_status", "destination", "status", "status_changed_at"),
        Index("ix_rma_client_charged_on", "client_id", "charged_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(20), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    destination: Mapped[str] = mapped_column(String(20))
    station_id: Mapped[int | None] = mapped_column(ForeignKey("authorised_station.id"), index=True)
    fault_description: Mapped[str] = mapped_column(Text)
    suspected_cause: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="requested", index=True)
    status_changed_at: Mapped[datetime] = mapped_column(UTC, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTC)
    currency: Mapped[str] = mapped_column(String(3))
    scheme_key: Mapped[str | None] = mapped_column(String(60))  # the contract's scheme when requested
    decline_reason: Mapped[str] = mapped_column(String(500), default="")
    carrier: Mapped[str] = mapped_column(String(80), default="")
    tracking: Mapped[str] = mapped_column(String(80), default="")
    return_carrier: Mapped[str] = mapped_column(String(80), default="")
    return_tracking: Mapped[str] = mapped_column(String(80), default="")
    quote_total: Mapped[Decimal | None] = mapped_column(Money)
    charged_on: Mapped[date | None]  # the day a charged repair was shipped back: its settlement period
    line_count: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    client: Mapped[Client] = relationship()
    station: Mapped[AuthorisedStation | None] = relationship()
    lines: Mapped[list[RmaLine]] = relationship(
        back_populates="rma", cascade="all, delete-orphan", order_by="RmaLine.position")
    events: Mapped[list[RmaEvent]] = relationship(
        back_populates="rma", cascade="all, delete-orphan", order_by="RmaEvent.id")

    @property
    def label(self) -> str:
        return self.number or f"RMA #{self.id}"


class RmaLine(TenantScoped, db.Model):
    """One unit (or board) on an RMA, with its warranty when requested and its diagnosis."""

    __tablename__ = "rma_line"
    __table_args__ = (UniqueConstraint("rma_id", "serial"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rma_id: Mapped[int] = mapped_column(ForeignKey("rma.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    serial: Mapped[str] = mapped_column(String(64), index=True)
    category: Mapped[str] = mapped_column(String(20))
    model_id: Mapped[int | None] = mapped_column(ForeignKey("product_model.id"))
    ship_date: Mapped[date | None]
    in_warranty: Mapped[bool] = mapped_column(default=False)
    warranty_ends_on: Mapped[date | None]
    receipt: Mapped[str] = mapped_column(String(12), default="expected")
    fault_cause: Mapped[str | None] = mapped_column(String(40))
    repair_level: Mapped[str | None] = mapped_column(String(2))
    outcome: Mapped[str | None] = mapped_column(String(12))
    diagnosis: Mapped[str] = mapped_column(Text, default="")
    charge_rule: Mapped[str | None] = mapped_column(String(20))
    labour: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    parts_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    charge: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    quality_record: Mapped[bool] = mapped_column(default=False)
    diagnosed_at: Mapped[datetime | None] = mapped_column(UTC)
    diagnosed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    rma: Mapped[Rma] = relationship(back_populates="lines")
    model: Mapped[ProductModel | None] = relationship()
    parts: Mapped[list[RmaPartUsed]] = relationship(
        back_populates="line", cascade="all, delete-orphan", order_by="RmaPartUsed.id")


class RmaPartUsed(TenantScoped, db.Model):
    __tablename__ = "rma_part_used"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("rma_line.id", ondelete="CASCADE"), index=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("part.id"), index=True)
    quantity: Mapped[int] = mapped_column(default=1)
    unit_price: Mapped[Decimal] = mapped_column(Numeric(14, 4), default=Decimal("0"))  # charged, RMA currency
    amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))

    line: Mapped[RmaLine] = relationship(back_populates="parts")
    part: Mapped[Part] = relationship(lazy="joined")


class RmaEvent(TenantScoped, db.Model):
    """One step of the timeline: who moved the RMA from which state to which, and when."""

    __tablename__ = "rma_event"
    __table_args__ = (Index("ix_rma_event_rma_at", "rma_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rma_id: Mapped[int] = mapped_column(ForeignKey("rma.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTC, default=utcnow)
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    user_name: Mapped[str] = mapped_column(String(120), default="")
    note: Mapped[str] = mapped_column(String(1000), default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)

    rma: Mapped[Rma] = relationship(back_populates="events")


class RmaPriceList(CreatedAt, db.Model):
    """Repair prices in one currency: labour per repair level, and how a part's price is made
    from its cost price (CNY): × cny_rate (the agreed rate), plus parts_markup % for parts at
    the agreed price (the lowest-material-cost rule applies no markup)."""

    __tablename__ = "rma_price_list"

    id: Mapped[int] = mapped_column(primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), unique=True)
    labour_l1: Mapped[Decimal] = mapped_column(Money)
    labour_l2: Mapped[Decimal] = mapped_column(Money)
    labour_l3: Mapped[Decimal] = mapped_column(Money)
    cny_rate: Mapped[Decimal] = mapped_column(Numeric(14, 6), default=Decimal("1"))
    parts_markup: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal("0"))

    def labour(self, level: str | None) -> Decimal:
        return {"L1": self.labour_l1, "L2": self.labour_l2, "L3": self.labour_l3}.get(level or "", Decimal("0"))
