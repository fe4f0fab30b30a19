"""On-site service within the home city: technicians (internal staff users) and the visits
clients request, the team schedules, the technician completes and the client confirms."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..catalogue.models import ProductModel
from ..db import UTC, CreatedAt, TenantScoped
from ..extensions import db

VISIT_STATUSES = ("requested", "scheduled", "completed", "confirmed", "cancelled")
OUTCOMES = ("fixed", "not_fixed")


class Technician(CreatedAt, db.Model):
    """An internal user (role staff) of the finished-unit group who goes on site. The row is also
    the lock that serialises scheduling for that technician (`schedule_version`)."""

    __tablename__ = "technician"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    skills: Mapped[str] = mapped_column(String(200), default="")
    schedule_version: Mapped[int] = mapped_column(Integer, default=0)

    user: Mapped[User] = relationship(lazy="joined")

    @property
    def name(self) -> str:
        return self.user.name


class OnsiteVisit(TenantScoped, CreatedAt, db.Model):
    """A client's request for an on-site visit and, once scheduled, the visit itself."""

    __tablename__ = "onsite_visit"
    __table_args__ = (
        Index("ix_onsite_visit_technician_start", "technician_id", "starts_at"),
        Index("ix_onsite_visit_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    model_id: Mapped[int | None] = mapped_column(ForeignKey("product_model.id"))
    address: Mapped[str] = mapped_column(String(400))
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    serials: Mapped[str] = mapped_column(Text, default="")  # one per line
    fault: Mapped[str] = mapped_column(Text)
    preferred_times: Mapped[str] = mapped_column(String(400), default="")
    preferred_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(12), default="requested")

    technician_id: Mapped[int | None] = mapped_column(ForeignKey("technician.id"))
    starts_at: Mapped[datetime | None] = mapped_column(UTC)
    ends_at: Mapped[datetime | None] = mapped_column(UTC)

    outcome: Mapped[str | None] = mapped_column(String(12))
    parts_used: Mapped[str] = mapped_column(Text, default="")
    follow_up_rma: Mapped[bool] = mapped_column(default=False)
    result_notes: Mapped[str] = mapped_column(Text, default="")
    completed_at: Mapped[datetime | None] = mapped_column(UTC)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTC)
    client_feedback: Mapped[str] = mapped_column(Text, default="")

    technician: Mapped[Technician | None] = relationship()
    model: Mapped[ProductModel | None] = relationship()
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])

    @property
    def serial_list(self) -> list[str]:
        return [s for s in (line.strip() for line in self.serials.splitlines()) if s]

    @property
    def first_time_fix(self) -> bool:
        return self.outcome == "fixed" and not self.follow_up_rma
