from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clients.models import Client
from ..db import UTC, CreatedAt, TenantScoped, utcnow
from ..extensions import db

PERIOD_KINDS = ("month", "quarter")
OFFER_STATES = ("offered", "chosen", "confirmed", "declined", "withdrawn")


class SchemeSetting(db.Model):
    """An installed scheme is available only once an administrator enables it."""

    __tablename__ = "scheme_setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    enabled: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTC, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


class Offer(TenantScoped, CreatedAt, db.Model):
    """Terms the ODM offers a client for one scheme; the client admin chooses among its
    open offers, and the ODM confirms the choice, which makes a Contract."""

    __tablename__ = "scheme_offer"
    __table_args__ = (Index("ix_scheme_offer_client_status", "client_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_key: Mapped[str] = mapped_column(String(60))
    terms: Mapped[dict] = mapped_column(JSON)  # dump_terms(...) of the scheme's schema
    currency: Mapped[str] = mapped_column(String(3))
    period_kind: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(12), default="offered")
    note: Mapped[str] = mapped_column(String(500), default="")
    offered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    chosen_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    chosen_at: Mapped[datetime | None] = mapped_column(UTC)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTC)

    client: Mapped[Client] = relationship()


class Contract(TenantScoped, CreatedAt, db.Model):
    """One client's scheme, terms, currency and period, from a start date (on a period
    boundary) to an optional end. Contracts of a client never overlap; history is kept."""

    __tablename__ = "contract"
    __table_args__ = (Index("ix_contract_client_starts", "client_id", "starts_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_key: Mapped[str] = mapped_column(String(60))
    terms: Mapped[dict] = mapped_column(JSON)
    currency: Mapped[str] = mapped_column(String(3))
    period_kind: Mapped[str] = mapped_column(String(10))
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("scheme_offer.id"))
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    client: Mapped[Client] = relationship()
