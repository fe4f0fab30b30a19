"""Reading settlements for pages and the API, and presenting one in the reader's language.

Who sees what: finance and administrators see every settlement and credit note, drafts
included; client users see their own company's *issued* documents only (the tenancy hook
confines the rows to their company; drafts are filtered out here, as a matter of status).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from flask import abort
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from contracts.types import CREDIT, Period

from ..auth.models import User
from ..extensions import db
from ..labels import label
from ..schemes.registry import current_schemes
from ..schemes.services import contract_history, period_bounds, periods_between
from .content import decode_params, fill, scheme_text
from .engine import ISSUED, SETTLEMENT
from .models import Settlement
from .sections import portal_section

FINANCE = ("finance", "admin")
CLIENT_ROLES = ("client_admin", "client_user")
READERS = FINANCE + CLIENT_ROLES
MAX_PERIOD_CHOICES = 60


@dataclass
class SettlementFilters:
    client_id: int | None = None
    period: date | None = None  # a day inside the period
    status: str | None = None
    kind: str | None = None


def settlements_query(filters: SettlementFilters, *, issued_only: bool) -> Select:
    """Settlements and credit notes, newest period first (then newest document)."""
    query = (select(Settlement)
             .options(joinedload(Settlement.client), joinedload(Settlement.corrects))
             .order_by(Settlement.period_start.desc(), Settlement.id.desc()))
    if issued_only:
        query = query.where(Settlement.status == ISSUED)
    elif filters.status:
        query = query.where(Settlement.status == filters.status)
    if filters.client_id:
        query = query.where(Settlement.client_id == filters.client_id)
    if filters.period:
        query = query.where(Settlement.period_start <= filters.period, Settlement.period_end >= filters.period)
    if filters.kind:
        query = query.where(Settlement.kind == filters.kind)
    return query


def get_settlement(settlement_id: int, *, issued_only: bool) -> Settlement:
    """One document with its lines, or 404 (another client's, or a draft for a client)."""
    settlement = db.first_or_404(
        select(Settlement).where(Settlement.id == settlement_id)
        .options(selectinload(Settlement.lines), joinedload(Settlement.client), joinedload(Settlement.corrects))
    )
    if issued_only and settlement.status != ISSUED:
        abort(404)
    return settlement


def credit_notes_of(settlement: Settlement) -> list[Settlement]:
    if settlement.kind != SETTLEMENT or settlement.status != ISSUED:
        return []
    return list(db.session.scalars(
        select(Settlement).where(Settlement.corrects_id == settlement.id, Settlement.status == ISSUED)
        .order_by(Settlement.issued_at, Settlement.id)
    ))


def issuer_name(settlement: Settlement) -> str:
    if settlement.issued_by_id is None:
        return ""
    return db.session.scalar(select(User.name).where(User.id == settlement.issued_by_id)) or ""


# --- the compute form: which periods a client can be settled for -----------------------------

@dataclass
class PeriodChoice:
    period: Period
    scheme_key: str
    state: str | None  # None, "draft" or "issued" (a settlement exists)
    number: str | None = None


def period_choices(client_id: int, today: date) -> list[PeriodChoice]:
    """The client's settlement periods under its contracts, newest first, up to the period
    containing ``today`` (a draft of the running period is a preview)."""
    choices: list[PeriodChoice] = []
    for contract in contract_history(client_id):
        last = period_bounds(contract.period_kind, today).end
        end = min(contract.ends_on or last, last)
        if end < contract.starts_on:
            continue
        for period in periods_between(contract.period_kind, contract.starts_on, end):
            choices.append(PeriodChoice(period, contract.scheme_key, None))
    choices.sort(key=lambda c: c.period.start, reverse=True)
    choices = choices[:MAX_PERIOD_CHOICES]
    if choices:
        existing = db.session.execute(
            select(Settlement.period_start, Settlement.status, Settlement.number)
            .where(Settlement.client_id == client_id, Settlement.kind == SETTLEMENT)
        ).all()
        states: dict[date, tuple[str, str | None]] = {}
        for start, status, number in existing:
            if states.get(start, (None,))[0] != ISSUED:
                states[start] = (status, number)
        for choice in choices:
            choice.state, choice.number = states.get(choice.period.start, (None, None))
    return choices


# --- presenting one document ----------------------------------------------------------------

@dataclass
class ShownLine:
    position: int
    description: str
    reference: str
    quantity: int | None
    unit_price: Decimal | None
    direction: str
    amount: Decimal
    signed: Decimal
    section: str
    description_key: str
    params: dict[str, Any]


@dataclass
class ShownSection:
    key: str
    title: str
    lines: list[ShownLine] = field(default_factory=list)

    @property
    def subtotal(self) -> Decimal:
        return sum((line.signed for line in self.lines), Decimal("0"))


@dataclass
class Presented:
    scheme_name: str
    sections: list[ShownSection]
    ledger: list[dict[str, Any]]
    rejected: list[dict[str, Any]]


def _scheme_info(key: str):
    registry = current_schemes()
    return registry.infos.get(key)


def present(settlement: Settlement, locale: str) -> Presented:
    """Lines grouped by section with subtotals, descriptions filled in ``locale`` from the
    scheme's messages (or the portal section's texts), the ledger and the rejected claims."""
    info = _scheme_info(settlement.scheme_key)
    sections: dict[str, ShownSection] = {}
    for line in settlement.lines:
        params = decode_params(line.params)
        portal = portal_section(line.section)
        if portal is not None:
            title = str(portal.title)
            template = portal.descriptions.get(line.description_key)
            template = str(template) if template is not None else None
        else:
            title = scheme_text(info, line.section, locale) or line.section
            template = scheme_text(info, line.description_key, locale)
        if template is None:
            template = line.description_key + "".join(f" {{{name}}}" for name in params)
        section = sections.setdefault(line.section, ShownSection(line.section, title))
        signed = line.amount if line.direction == CREDIT else -line.amount
        section.lines.append(ShownLine(line.position, fill(template, params, locale), line.reference,
                                       line.quantity, line.unit_price, line.direction, line.amount, signed,
                                       line.section, line.description_key, params))
    ledger = [dict(row, category_label=label("category", row.get("category"))) for row in settlement.ledger or []]
    rejected = [
        dict(row, reason_texts=[scheme_text(info, reason, locale) or reason for reason in row.get("reasons", [])])
        for row in settlement.rejected_claims or []
    ]
    name = info.name(locale) if info is not None else settlement.scheme_key
    return Presented(name, list(sections.values()), ledger, rejected)
