"""Claims, their parts and attachments, and pre-authorisation requests."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..catalogue.models import Part, ProductModel
from ..clients.models import Client
from ..db import UTC, CreatedAt, Money, TenantScoped
from ..extensions import db
from ..network.models import ClientStation

# review: a person decides; accepted/rejected: decided (decided_on set).
CLAIM_STATUSES = ("review", "accepted", "rejected")
PREAUTH_STATUSES = ("pending", "approved", "declined")
SIGNALS = ("repeat_serial", "serial_not_shipped", "part_rate_outlier")


class PreAuthorisation(TenantScoped, CreatedAt, db.Model):
    """A station asks before an expensive repair; the after-sales team approves or declines."""

    __tablename__ = "claim_preauthorisation"
    __table_args__ = (Index("ix_claim_preauthorisation_client_status", "client_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(String(64), index=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("client_station.id"), index=True)
    planned_repair: Mapped[str] = mapped_column(Text)
    repair_level: Mapped[str] = mapped_column(String(2))
    estimated_amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    comment: Mapped[str] = mapped_column(Text, default="")
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTC)

    client: Mapped[Client] = relationship()
    station: Mapped[ClientStation] = relationship()

    @property
    def ref(self) -> str:
        return f"PA-{self.id:06d}"


class Claim(TenantScoped, CreatedAt, db.Model):
    """A repair done by the client's network, submitted for compensation, and its decision.

    Amounts: claimed (labour + parts + handling, as typed), the scheme's schedule amount and
    the adjusted amount (what is credited when accepted). ``reasons`` are the scheme's
    message keys; ``signals`` the portal's review signals (``SIGNALS``)."""

    __tablename__ = "claim"
    __table_args__ = (
        Index("ix_claim_client_status", "client_id", "status"),
        Index("ix_claim_client_serial", "client_id", "serial"),
        Index("ix_claim_client_decided", "client_id", "decided_on"),
        Index("ix_claim_client_repair", "client_id", "repair_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(String(64))
    model_id: Mapped[int | None] = mapped_column(ForeignKey("product_model.id"), index=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("client_station.id"), index=True)
    repair_date: Mapped[date]
    submitted_on: Mapped[date]
    fault_cause: Mapped[str] = mapped_column(String(40), index=True)
    repair_level: Mapped[str] = mapped_column(String(2))
    repaired_category: Mapped[str] = mapped_column(String(20))
    claimed_labour: Mapped[Decimal] = mapped_column(Money)
    claimed_parts: Mapped[Decimal] = mapped_column(Money)
    claimed_handling: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    description: Mapped[str] = mapped_column(Text, default="")
    preauthorisation_id: Mapped[int | None] = mapped_column(ForeignKey("claim_preauthorisation.id"), index=True)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contract.id"))
    status: Mapped[str] = mapped_column(String(10), default="review")
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    signals: Mapped[list] = mapped_column(JSON, default=list)
    schedule_amount: Mapped[Decimal | None] = mapped_column(Money)
    adjusted_amount: Mapped[Decimal | None] = mapped_column(Money)
    decided_on: Mapped[date | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))  # None: automatic
    staff_comment: Mapped[str] = mapped_column(Text, default="")
    answer: Mapped[str] = mapped_column(Text, default="")  # the client's one answer to a rejection
    answered_at: Mapped[datetime | None] = mapped_column(UTC)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    client: Mapped[Client] = relationship()
    station: Mapped[ClientStation] = relationship()
    model: Mapped[ProductModel | None] = relationship()
    preauthorisation: Mapped[PreAuthorisation | None] = relationship()
    parts: Mapped[list[ClaimPart]] = relationship(back_populates="claim", cascade="all, delete-orphan",
                                                  order_by="ClaimPart.id")
    attachments: Mapped[list[ClaimAttachment]] = relationship(back_populates="claim", cascade="all, delete-orphan",
                                                              order_by="ClaimAttachment.id")

    @property
    def ref(self) -> str:
        return claim_ref(self.id)

    @property
    def claimed_amount(self) -> Decimal:
        return self.claimed_labour + self.claimed_parts + self.claimed_handling

    @property
    def can_be_answered(self) -> bool:
        """The client may answer a rejection once (it goes back to review once)."""
        return self.status == "rejected" and self.answered_at is None


def claim_ref(claim_id: int) -> str:
    return f"CL-{claim_id:07d}"


class ClaimPart(TenantScoped, db.Model):
    __tablename__ = "claim_part"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id", ondelete="CASCADE"), index=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("part.id"), index=True)
    quantity: Mapped[int]

    claim: Mapped[Claim] = relationship(back_populates="parts")
    part: Mapped[Part] = relationship(lazy="joined")


class ClaimAttachment(TenantScoped, CreatedAt, db.Model):
    """A file sent with a claim: kept in portal.storage under its content key."""

    __tablename__ = "claim_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    storage_key: Mapped[str] = mapped_column(String(64))

    claim: Mapped[Claim] = relationship(back_populates="attachments")


from . import facts  # noqa: E402,F401  (registers the decided-claims fact provider for settlements)
