from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db import UTC, TenantScoped, utcnow
from ..extensions import db

KINDS = ("pdf", "xlsx")


class StatementFile(TenantScoped, db.Model):
    """The stored rendering of an issued settlement or credit note: rendered once (at the
    first download, or by the period job), then served byte for byte from storage."""

    __tablename__ = "statement_file"
    __table_args__ = (UniqueConstraint("settlement_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    settlement_id: Mapped[int] = mapped_column(ForeignKey("settlement.id"), index=True)
    kind: Mapped[str] = mapped_column(String(4))
    storage_key: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    locale: Mapped[str] = mapped_column(String(12))
    rendered_at: Mapped[datetime] = mapped_column(UTC, default=utcnow)
