"""Posting, counting and reading notices. No Flask request objects here.

A notice belongs to a client (TenantScoped): a client user sees its company's notices only,
through the tenancy hook; marking one read marks it read for the company's users."""
from __future__ import annotations

from sqlalchemy import func, select, update

from ..db import utcnow
from ..extensions import db
from .models import Notice


def post_notice(client_id: int, key: str, params: dict | None = None, link: str = "") -> Notice:
    """Add a notice to the session (committed with the caller's change). `params` must be
    JSON-serialisable; `link` is a path inside the portal (e.g. "/documents/3")."""
    if not link.startswith("/") or link.startswith("//"):
        link = ""
    notice = Notice(client_id=client_id, key=key, params=params or {}, link=link[:400])
    db.session.add(notice)
    return notice


def notices_query(unread_only: bool = False):
    stmt = select(Notice).order_by(Notice.created_at.desc(), Notice.id.desc())
    if unread_only:
        stmt = stmt.where(Notice.read_at.is_(None))
    return stmt


def unread_count() -> int:
    return db.session.scalar(select(func.count(Notice.id)).where(Notice.read_at.is_(None))) or 0


def mark_read(notice: Notice, user) -> None:
    if notice.read_at is None:
        notice.read_at = utcnow()
        notice.read_by_id = getattr(user, "id", None)


def mark_all_read(user, client_id: int) -> int:
    """Mark every unread notice of `client_id` read; returns how many."""
    result = db.session.execute(
        update(Notice)
        .where(Notice.client_id == client_id, Notice.read_at.is_(None))
        .values(read_at=utcnow(), read_by_id=getattr(user, "id", None))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
