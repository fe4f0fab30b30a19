from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from ..db import UTC, CreatedAt, TenantScoped
from ..extensions import db

STATES = ("queued", "running", "done", "failed")


class Job(TenantScoped, CreatedAt, db.Model):
    """A piece of long work (an import, a batch of statements, a forecast) and its progress.
    A job started by a client user carries its client, so only that client sees it."""

    __tablename__ = "job"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    kwargs: Mapped[dict] = mapped_column(JSON, default=dict)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(String(500), default="")
    result: Mapped[dict] = mapped_column(JSON, default=dict)
    error: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    started_at: Mapped[datetime | None] = mapped_column(UTC)
    finished_at: Mapped[datetime | None] = mapped_column(UTC)

    created_by = relationship("User", foreign_keys=[created_by_id])
    client = relationship("Client")

    @declared_attr
    def client_id(cls) -> Mapped[int | None]:  # internal jobs belong to no client
        return mapped_column(ForeignKey("client.id"), index=True, nullable=True)

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")

    @property
    def percent(self) -> int:
        if self.status == "done":
            return 100
        return int(100 * self.done / self.total) if self.total else 0
