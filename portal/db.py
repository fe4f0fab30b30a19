"""Column helpers and mixins shared by the models of every capability."""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

from sqlalchemy import DateTime, ForeignKey, Numeric
from sqlalchemy.types import TypeDecorator
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

Money = Numeric(14, 2)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTC(TypeDecorator):
    """Timezone-aware UTC timestamps on every backend (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime; use portal.db.utcnow()")
        return value.astimezone(timezone.utc) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


class CreatedAt:
    created_at: Mapped[datetime] = mapped_column(UTC, default=utcnow)


class TenantScoped:
    """Rows a client user may see. The tenancy hook (portal.tenancy) filters every ORM
    query on these by the signed-in client's id; nothing else needs to remember it."""

    @declared_attr
    def client_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("client.id"), index=True)


def money(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))
