"""The audit log: who did what, when. Capabilities call `record(...)` inside the transaction of
the change itself, so an entry exists exactly when the change was committed."""
from __future__ import annotations

from datetime import datetime

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .db import UTC, utcnow
from .extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_at", "at"), Index("ix_audit_entry_action", "action"))

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTC, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    user_email: Mapped[str] = mapped_column(String(254), default="")
    client_id: Mapped[int | None] = mapped_column(ForeignKey("client.id"), index=True)
    action: Mapped[str] = mapped_column(String(60))  # e.g. "sign_in", "settlement.issue"
    target: Mapped[str] = mapped_column(String(120), default="")  # e.g. "settlement:42"
    ip: Mapped[str] = mapped_column(String(45), default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)

    client = relationship("Client")  # for the audit page (joinedload there)


def _target_text(target) -> str:
    if target is None or isinstance(target, str):
        return target or ""
    return f"{type(target).__tablename__}:{target.id}"


def record(action: str, target=None, *, client_id: int | None = None, user=None, **details) -> AuditEntry:
    """Add an audit entry to the current session (committed with the caller's change).
    `details` must be JSON-serialisable (pass Decimals and dates as strings)."""
    if user is None and has_request_context() and current_user.is_authenticated:
        user = current_user
    if client_id is None and target is not None and not isinstance(target, str):
        client_id = getattr(target, "client_id", None)
    entry = AuditEntry(
        action=action,
        target=_target_text(target),
        user_id=getattr(user, "id", None),
        user_email=getattr(user, "email", "") or "",
        client_id=client_id,
        ip=(request.remote_addr or "")[:45] if has_request_context() else "",
        details=details,
    )
    db.session.add(entry)
    return entry
