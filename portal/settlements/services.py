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
from sqlalchemy import Select, case, func, select, type_coerce
from sqlalchemy.orm import joinedload

from contracts.domain import round_money
from contracts.types import CREDIT, Period

from ..auth.models import User
from ..db import Money
from ..extensions import db
from ..labels import label
from ..schemes.registry import current_schemes
from ..schemes.services import contract_history, period_bounds, periods_between
from .content import decode_params, fill, scheme_text
from .engine import ISSUED, SETTLEMENT
from .models import Settlement, SettlementLine
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
        .options(joinedload(Settlement.client), joinedload(Settlement.corrects))
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

LINES_PER_PAGE = 100  # per section on the page; the PDF, the XLSX and the API carry every line


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
    count: int = 0
    subtotal: Decimal = Decimal("0")
    page: Any = None  # on the page: the Pagination of the lines shown


@dataclass
class Presented:
    scheme_name: str
    sections: list[ShownSection]
    ledger: list[dict[str, Any]]
    rejected: list[dict[str, Any]]


class _Describer:
    """Stored lines in the reader's language: each section's title and each description
    template is looked up once, then filled per line."""

    def __init__(self, settlement: Settlement, locale: str):
        self.info = current_schemes().infos.get(settlement.scheme_key)
        self.locale = locale
        self._titles: dict[str, str] = {}
        self._templates: dict[tuple[str, str], str | None] = {}

    def title(self, section: str) -> str:
        if section not in self._titles:
            portal = portal_section(section)
            self._titles[section] = (str(portal.title) if portal is not None
                                     else scheme_text(self.info, section, self.locale) or section)
        return self._titles[section]

    def _template(self, section: str, key: str) -> str | None:
        if (section, key) not in self._templates:
            portal = portal_section(section)
            if portal is not None:
                template = portal.descriptions.get(key)
                template = str(template) if template is not None else None
            else:
                template = scheme_text(self.info, key, self.locale)
            self._templates[section, key] = template
        return self._templates[section, key]

    def line(self, line: SettlementLine) -> ShownLine:
        params = decode_params(line.params)
        template = self._template(line.section, line.description_key)
        if template is None:
            template = line.description_key + "".join(f" {{{name}}}" for name in params)
        signed = line.amount if line.direction == CREDIT else -line.amount
        return ShownLine(line.position, fill(template, params, self.locale), line.reference, line.quantity,
                         line.unit_price, line.direction, line.amount, signed, line.section,
                         line.description_key, params)

    def presented(self, settlement: Settlement, sections: list[ShownSection]) -> Presented:
        info, locale = self.info, self.locale
        ledger = [dict(row, category_label=label("category", row.get("category"))) for row in settlement.ledger or []]
        rejected = [
            dict(row, reason_texts=[scheme_text(info, reason, locale) or reason for reason in row.get("reasons", [])])
            for row in settlement.rejected_claims or []
        ]
        name = info.name(locale) if info is not None else settlement.scheme_key
        return Presented(name, sections, ledger, rejected)


def present(settlement: Settlement, locale: str) -> Presented:
    """Every line, grouped by section with subtotals, descriptions filled in ``locale`` from
    the scheme's messages (or the portal section's texts), the ledger and the rejected claims
    (for the PDF, the XLSX and the API)."""
    describer = _Describer(settlement, locale)
    sections: dict[str, ShownSection] = {}
    for line in _lines(settlement.id):
        section = sections.setdefault(line.section, ShownSection(line.section, describer.title(line.section)))
        shown = describer.line(line)
        section.lines.append(shown)
        section.count += 1
        section.subtotal += shown.signed
    return describer.presented(settlement, list(sections.values()))


def present_page(settlement: Settlement, locale: str, *, section: str | None = None,
                 page: int = 1) -> Presented:
    """For the page: each section's count and subtotal (summed by the database) and one page
    of its lines, LINES_PER_PAGE at a time: page ``page`` of ``section``, the first of the others."""
    describer = _Describer(settlement, locale)
    signed = case((SettlementLine.direction == CREDIT, SettlementLine.amount), else_=-SettlementLine.amount)
    rows = db.session.execute(
        select(SettlementLine.section, func.count(), type_coerce(func.sum(signed), Money))
        .where(SettlementLine.settlement_id == settlement.id)
        .group_by(SettlementLine.section).order_by(func.min(SettlementLine.position))
    ).all()
    sections = []
    for key, count, subtotal in rows:
        lines = db.paginate(_lines_query(settlement.id).where(SettlementLine.section == key),
                            page=page if key == section else 1, per_page=LINES_PER_PAGE,
                            error_out=False, count=False)
        lines.total = count
        shown = ShownSection(key, describer.title(key), [describer.line(line) for line in lines.items], count,
                             round_money(subtotal or Decimal("0"), settlement.currency), lines)
        sections.append(shown)
    return describer.presented(settlement, sections)


def _lines_query(settlement_id: int) -> Select:
    return select(SettlementLine).where(SettlementLine.settlement_id == settlement_id).order_by(SettlementLine.position)


def _lines(settlement_id: int) -> list[SettlementLine]:
    return list(db.session.scalars(_lines_query(settlement_id)))
