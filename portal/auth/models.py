from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..clients.models import Client
from ..db import UTC, CreatedAt, TenantScoped, utcnow
from ..extensions import db

CLIENT_ROLES = ("client_admin", "client_user")
STAFF_ROLES = ("staff", "quality", "finance", "admin")
ROLES = CLIENT_ROLES + STAFF_ROLES


class User(UserMixin, TenantScoped, CreatedAt, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(256))
    locale: Mapped[str | None] = mapped_column(String(12))
    active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTC)

    @declared_attr
    def client_id(cls) -> Mapped[int | None]:  # staff belong to no client
        return mapped_column(ForeignKey("client.id"), index=True, nullable=True)

    client: Mapped[Client | None] = relationship(lazy="joined")

    @property
    def is_active(self) -> bool:
        return self.active and (self.client is None or self.client.active)

    @property
    def is_client(self) -> bool:
        return self.role in CLIENT_ROLES

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class LoginAttempt(db.Model):
    """Failed and successful sign-ins, for throttling and the audit of who signed in."""

    __tablename__ = "login_attempt"
    __table_args__ = (Index("ix_login_attempt_email_at", "email", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    ip: Mapped[str] = mapped_column(String(45), default="")
    success: Mapped[bool]
    at: Mapped[datetime] = mapped_column(UTC, default=utcnow)


class ApiToken(CreatedAt, db.Model):
    """A bearer token for the API; only its sha256 is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTC)
    user: Mapped[User] = relationship()
