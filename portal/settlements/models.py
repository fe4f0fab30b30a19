from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clients.models import Client
from ..db import UTC, CreatedAt, Money, TenantScoped
from ..extensions import db

KINDS = ("settlement", "credit_note")
STATES = ("draft", "issued")


class Settlement(TenantScoped, CreatedAt, db.Model):
    """A statement for one client and one period (or a credit note correcting one).
    Once issued it is numbered without gaps per year, hash-chained and never changes:
    the database refuses updates and deletes of issued rows and their lines."""

    __tablename__ = "settlement"
    __table_args__ = (Index("ix_settlement_client_period", "client_id", "period_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), default="settlement")
    status: Mapped[str] = mapped_column(String(8), default="draft")
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"), index=True)
    scheme_key: Mapped[str] = mapped_column(String(60))
    currency: Mapped[str] = mapped_column(String(3))
    period_start: Mapped[date]
    period_end: Mapped[date]
    total: Mapped[Decimal] = mapped_column(Numeric(16, 2))  # > 0: the ODM owes the client
    ledger: Mapped[list] = mapped_column(JSON, default=list)  # parts-ratio entitlement rows
    rejected_claims: Mapped[list] = mapped_column(JSON, default=list)
    number: Mapped[str | None] = mapped_column(String(20), unique=True)
    issued_at: Mapped[datetime | None] = mapped_column(UTC)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("settlement.id"), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")  # why a credit note corrects
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64), unique=True)

    client: Mapped[Client] = relationship()
    lines: Mapped[list[SettlementLine]] = relationship(
        back_populates="settlement", cascade="all, delete-orphan", order_by="SettlementLine.position"
    )
    corrects: Mapped[Settlement | None] = relationship(remote_side="Settlement.id")


class SettlementLine(TenantScoped, db.Model):
    __tablename__ = "settlement_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    settlement_id: Mapped[int] = mapped_column(ForeignKey("settlement.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    section: Mapped[str] = mapped_column(String(60))
    direction: Mapped[str] = mapped_column(String(6))
    amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    description_key: Mapped[str] = mapped_column(String(80))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    reference: Mapped[str] = mapped_column(String(80), default="")
    quantity: Mapped[int | None]
    unit_price: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))

    settlement: Mapped[Settlement] = relationship(back_populates="lines")


class DocumentCounter(db.Model):
    """Last number used per document kind (ST, CN) and year; locked while issuing."""

    __tablename__ = "document_counter"

    prefix: Mapped[str] = mapped_column(String(4), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


class ChainHead(db.Model):
    """The single row holding the hash of the last issued document; locked while issuing,
    so settlements and credit notes form one chain without forks."""

    __tablename__ = "document_chain"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_hash: Mapped[str] = mapped_column(String(64))
    last_document_id: Mapped[int | None] = mapped_column(ForeignKey("settlement.id"))
