"""Complaints of brand clients, and the early warnings quality acts on (docs in the package
docstring of portal.complaints)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Float, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..catalogue.models import Batch, ProductModel
from ..clients.models import Client
from ..db import UTC, CreatedAt, Money, TenantScoped, utcnow
from ..extensions import db

LEVELS = ("urgent", "high", "normal")
RESPONSIBILITIES = ("odm", "client")
DEPARTMENTS = ("rnd", "production", "qa", "logistics", "after_sales")
ESCALATION_TEAMS = ("qa", "rnd")


class Complaint(TenantScoped, CreatedAt, db.Model):
    __tablename__ = "complaint"
    __table_args__ = (
        Index("ix_complaint_client_opened", "client_id", "opened_on"),
        Index("ix_complaint_client_status", "client_id", "status"),
        Index("ix_complaint_client_compensation", "client_id", "compensation_agreed_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    models_text: Mapped[str] = mapped_column(String(400), default="")   # model codes concerned
    serials_text: Mapped[str] = mapped_column(Text, default="")        # serials concerned
    batches_text: Mapped[str] = mapped_column(String(400), default="")  # batch codes concerned
    model_id: Mapped[int | None] = mapped_column(ForeignKey("product_model.id"), index=True)  # first known model
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batch.id"), index=True)  # first known batch
    category: Mapped[str | None] = mapped_column(String(20))  # part category at fault, when known
    fault_cause: Mapped[str | None] = mapped_column(String(40))
    level: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    opened_on: Mapped[date]
    due_at: Mapped[datetime] = mapped_column(UTC, index=True)
    emergency_fix: Mapped[str] = mapped_column(Text, default="")
    root_cause: Mapped[str] = mapped_column(Text, default="")
    improvement_plan: Mapped[str] = mapped_column(Text, default="")
    responsibility: Mapped[str | None] = mapped_column(String(10))
    department: Mapped[str | None] = mapped_column(String(20))
    escalated_to: Mapped[str | None] = mapped_column(String(10))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    escalation_due: Mapped[date | None]
    compensation_amount: Mapped[Decimal | None] = mapped_column(Money)
    compensation_currency: Mapped[str | None] = mapped_column(String(3))
    compensation_agreed_on: Mapped[date | None]
    resolved_at: Mapped[datetime | None] = mapped_column(UTC)
    closed_at: Mapped[datetime | None] = mapped_column(UTC, index=True)
    satisfaction: Mapped[int | None]
    follow_up_note: Mapped[str] = mapped_column(Text, default="")
    reopened_count: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    client: Mapped[Client] = relationship()
    model: Mapped[ProductModel | None] = relationship()
    batch: Mapped[Batch | None] = relationship()
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])

    @property
    def label(self) -> str:
        return f"CP-{self.id:05d}"


class EarlyWarning(CreatedAt, db.Model):
    """A failure signal clearly above its own baseline (portal.complaints.warnings); internal only."""

    __tablename__ = "early_warning"
    __table_args__ = (Index("ix_early_warning_key_status", "key", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))  # model_cause | batch_category
    model_id: Mapped[int | None] = mapped_column(ForeignKey("product_model.id"), index=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batch.id"), index=True)
    category: Mapped[str | None] = mapped_column(String(20))
    fault_cause: Mapped[str | None] = mapped_column(String(40))
    window_count: Mapped[int]
    baseline_count: Mapped[int]
    expected: Mapped[Decimal] = mapped_column(Numeric(10, 3))
    p_value: Mapped[float] = mapped_column(Float)
    evidence: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    detected_at: Mapped[datetime] = mapped_column(UTC, default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTC)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    action_note: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[datetime | None] = mapped_column(UTC)

    model: Mapped[ProductModel | None] = relationship()
    batch: Mapped[Batch | None] = relationship()
    acknowledged_by: Mapped[User | None] = relationship()

    @property
    def label(self) -> str:
        return f"EW-{self.id:05d}"
