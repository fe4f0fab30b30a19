from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from contracts.domain import add_months

from ..db import CreatedAt, Money
from ..extensions import db

PRODUCT_KINDS = ("tv", "monitor")


class ProductModel(CreatedAt, db.Model):
    """A TV or monitor model the ODM builds."""

    __tablename__ = "product_model"
    __table_args__ = (CheckConstraint("service_years BETWEEN 3 AND 5", name="service_years"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(10))
    size_inches: Mapped[Decimal] = mapped_column(Numeric(4, 1))
    launch_date: Mapped[date]
    end_of_production: Mapped[date | None]
    service_years: Mapped[int] = mapped_column(default=5)

    batches: Mapped[list[Batch]] = relationship(back_populates="model", order_by="Batch.produced_on")

    @property
    def service_end(self) -> date | None:
        """Service continues 3 to 5 years after production ends."""
        if self.end_of_production is None:
            return None
        return add_months(self.end_of_production, 12 * self.service_years)

    @property
    def discontinued(self) -> bool:
        return self.end_of_production is not None and self.end_of_production <= date.today()


class Part(CreatedAt, db.Model):
    __tablename__ = "part"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    category: Mapped[str] = mapped_column(String(20), index=True)
    description: Mapped[str] = mapped_column(String(200))
    cost_price: Mapped[Decimal] = mapped_column(Money)  # CNY, the ODM's own cost


class Batch(CreatedAt, db.Model):
    """A production batch, with the material list of what it was built from."""

    __tablename__ = "batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("product_model.id"), index=True)
    produced_on: Mapped[date]
    quantity: Mapped[int] = mapped_column(default=0)

    model: Mapped[ProductModel] = relationship(back_populates="batches")
    materials: Mapped[list[BatchMaterial]] = relationship(
        back_populates="batch", cascade="all, delete-orphan", order_by="BatchMaterial.category"
    )


class BatchMaterial(db.Model):
    """Which part of each category a batch used (main board, power board, panel...)."""

    __tablename__ = "batch_material"
    __table_args__ = (UniqueConstraint("batch_id", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(String(20))
    part_id: Mapped[int] = mapped_column(ForeignKey("part.id"), index=True)

    batch: Mapped[Batch] = relationship(back_populates="materials")
    part: Mapped[Part] = relationship(lazy="joined")
