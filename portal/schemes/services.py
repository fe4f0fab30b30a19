"""Contracts of clients: which one applies on a day, which ones cover a range.

No Flask request objects here. Other capabilities (settlements) read contracts only through
these functions. Contracts of one client never overlap: a new one starts on a period
boundary and the previous one ends the day before (see ``portal.schemes.offers``).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import or_, select

from ..extensions import db
from .models import Contract
from .periods import (  # noqa: F401  (re-exported: one import for the period helpers)
    PERIOD_KINDS,
    is_boundary,
    last_full_periods,
    next_boundary,
    period_bounds,
    period_start,
    periods_between,
)


def today() -> date:
    """The portal's "today" for contracts (one place, so tests can fix the date)."""
    return date.today()


def contract_for(client_id: int, on: date) -> Contract | None:
    """The client's contract in force on ``on`` (starts on or before it, not yet ended)."""
    return db.session.scalars(
        select(Contract)
        .where(Contract.client_id == client_id, Contract.starts_on <= on,
               or_(Contract.ends_on.is_(None), Contract.ends_on >= on))
        .order_by(Contract.starts_on.desc())
        .limit(1)
    ).first()


def contracts_overlapping(client_id: int, start: date, end: date) -> list[Contract]:
    """The client's contracts in force on any day of [start, end], oldest first."""
    return list(db.session.scalars(
        select(Contract)
        .where(Contract.client_id == client_id, Contract.starts_on <= end,
               or_(Contract.ends_on.is_(None), Contract.ends_on >= start))
        .order_by(Contract.starts_on)
    ))


def contract_history(client_id: int) -> list[Contract]:
    """Every contract of the client, newest first."""
    return list(db.session.scalars(
        select(Contract).where(Contract.client_id == client_id)
        .order_by(Contract.starts_on.desc(), Contract.id.desc())
    ))


def contract_histories(client_ids: Iterable[int], chunk_size: int = 1000) -> dict[int, list[Contract]]:
    """client id -> every contract of the client, newest first (as ``contract_history``), for
    many clients at once: one query per ``chunk_size`` clients. Contracts are few per client,
    so a caller with many units picks each unit's contract in memory with ``in_force``."""
    ids = sorted(set(client_ids))
    histories: dict[int, list[Contract]] = {client_id: [] for client_id in ids}
    for start in range(0, len(ids), chunk_size):
        for contract in db.session.scalars(
            select(Contract).where(Contract.client_id.in_(ids[start:start + chunk_size]))
            .order_by(Contract.starts_on.desc(), Contract.id.desc())
        ):
            histories[contract.client_id].append(contract)
    return histories


def in_force(history: Sequence[Contract], on: date) -> Contract | None:
    """The contract of a history (newest first) in force on ``on``: ``contract_for`` in memory."""
    return next((c for c in history if c.starts_on <= on and (c.ends_on is None or c.ends_on >= on)), None)


def latest_contract(client_id: int) -> Contract | None:
    """The client's contract that starts last (the current one or one that starts later)."""
    history = contract_history(client_id)
    return history[0] if history else None
