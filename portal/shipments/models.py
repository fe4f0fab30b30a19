from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..catalogue.models import Batch, ProductModel
from ..clients.models import Client
from ..db import CreatedAt, Money, TenantScoped
from ..extensions import db


class Shipment(TenantScoped, CreatedAt, db.Model):
    """Goods the ODM delivered to a client."""

    __tablename__ = "shipment"
    __table_args__ = (Index("ix_shipment_client_date", "client_id", "ship_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    ship_date: Mapped[date] = mapped_column(index=True)

    client: Mapped[Client] = relationship()
    lines: Mapped[list[ShipmentLine]] = relationship(
        back_populates="shipment", cascade="all, delete-orphan", order_by="ShipmentLine.id"
    )


class ShipmentLine(TenantScoped, db.Model):
    """One model (and batch) on a shipment; a negative quantity is returned goods."""

    __tablename__ = "shipment_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipment.id", ondelete="CASCADE"), index=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("product_model.id"), index=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batch.id"), index=True)
    quantity: Mapped[int]
    unit_price: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))

    shipment: Mapped[Shipment] = relationship(back_populates="lines")
    model: Mapped[ProductModel] = relationship()
    batch: Mapped[Batch | None] = relationship()


class Serial(TenantScoped, db.Model):
    """A unit's serial number, recorded by the shipment line that delivered it."""

    __tablename__ = "serial"

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(String(64), unique=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("shipment_line.id", ondelete="CASCADE"), index=True)

    line: Mapped[ShipmentLine] = relationship()
