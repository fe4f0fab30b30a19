from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import UTC, CreatedAt, TenantScoped
from ..extensions import db


class Notice(TenantScoped, CreatedAt, db.Model):
    """A message to one client's users: a text key with its params, and where it leads."""

    __tablename__ = "notice"
    __table_args__ = (Index("ix_notice_client_read", "client_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    link: Mapped[str] = mapped_column(String(400), default="")
    read_at: Mapped[datetime | None] = mapped_column(UTC)
    read_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    @property
    def text(self) -> str:
        from .texts import render_text

        return render_text(self.key, self.params)
