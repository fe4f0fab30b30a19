from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import CreatedAt
from ..extensions import db

MARKETS = ("domestic", "overseas")


class Client(CreatedAt, db.Model):
    """A brand client: the tenant of the portal."""

    __tablename__ = "client"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    market: Mapped[str] = mapped_column(String(10))
    locale: Mapped[str] = mapped_column(String(12))
    currency: Mapped[str] = mapped_column(String(3))
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(String(400), default="")
    active: Mapped[bool] = mapped_column(default=True)

    def __repr__(self) -> str:
        return f"<Client {self.code}>"
