"""Spare-part issues as settlement facts, and the client's entitlement ledger.

Part issues to a client (`StockMove` of kind "issue") become `PartIssueFact`s of its
settlement through a fact provider registered with the settlement engine. The entitlement
itself is never computed here: the client's own scheme (through the scheme registry, with the
contract's terms loaded by the scheme's schema) allocates free and charged parts, so the
ledger shown to the client, the price of a new order line and the settlement always agree.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from contracts import load_terms
from contracts.terms import agreed_part_price
from contracts.types import PartIssueFact, SettlementResult

from ..catalogue.models import Part, ProductModel
from ..extensions import db
from ..schemes.registry import current_schemes
from ..schemes.services import contract_for
from ..settlements.facts import FactQuery, gather_facts, register_fact_provider
from .models import StockMove


def issue_ref(move_id: int) -> str:
    return f"PI-{move_id}"


def _issues(client_id: int, start: date, end: date, currency: str) -> list[PartIssueFact]:
    move, part, model = StockMove.__table__.c, Part.__table__.c, ProductModel.__table__.c
    rows = db.session.connection().execute(
        select(move.id, part.number, part.category, model.code, move.quantity, move.day)
        .select_from(StockMove.__table__)
        .join(Part.__table__, part.id == move.part_id)
        .join(ProductModel.__table__, model.id == move.model_id)
        .where(move.kind == "issue", move.client_id == client_id, move.day >= start, move.day <= end)
        .order_by(move.day, move.id))
    return [PartIssueFact(issue_ref(i), number, category, code, qty, day, currency)
            for i, number, category, code, qty, day in rows]


def _issued_between(client_id: int, start: date, end: date) -> int:
    move = StockMove.__table__.c
    return db.session.connection().execute(
        select(func.count()).where(move.kind == "issue", move.client_id == client_id,
                                   move.day >= start, move.day <= end)).scalar_one()


def part_issue_facts(query: FactQuery) -> dict:
    """The period's part issues, and the free parts issued before it: the `used` column of
    the ledger the client's scheme builds from the contract start to the day before."""
    period = query.period
    facts = {"part_issues": _issues(query.client_id, period.start, period.end, query.currency)}
    before_end = period.start - timedelta(days=1)
    if query.contract_start < period.start and _issued_between(query.client_id, query.contract_start, before_end):
        contract = contract_for(query.client_id, period.start)
        if contract is not None:
            earlier = _facts_for_scheme(contract.scheme_key, query.client_id, query.currency, query.contract_start,
                                        before_end)
            result = current_schemes().settle(contract.scheme_key, contract.terms, earlier)
            facts["free_issued_before"] = {(row.model_code, row.category): row.used for row in result.ledger
                                           if row.used}
    return facts


register_fact_provider("part_issues", part_issue_facts)


def _facts_for_scheme(scheme_key: str, client_id: int, currency: str, start: date, end: date):
    """The facts from ``start`` to ``end`` as the scheme declares it needs them (its shipment
    grain, claims, history), like a settlement of that scheme gathers them."""
    info = current_schemes().info(scheme_key)
    return gather_facts(client_id, currency, start, start, end, grain=info.shipment_grain,
                        claims=info.handles_claims, shipped_before=info.needs_shipped_before)


@dataclass(frozen=True)
class Pricing:
    free: int
    charged: int
    unit_price: object  # Decimal | None (price on request)


def run_scheme(client_id: int, on: date, extra: tuple[PartIssueFact, ...] = (),
               terms: dict | None = None) -> tuple[object, SettlementResult] | None:
    """The client's scheme over everything from its contract start to ``on`` (plus ``extra``
    issues that are not made yet): (contract, result), or None without a contract."""
    contract = contract_for(client_id, on)
    if contract is None:
        return None
    facts = _scheme_facts(contract, client_id, on, extra)
    return contract, current_schemes().settle(contract.scheme_key, terms or contract.terms, facts)


def _scheme_facts(contract, client_id: int, on: date, extra: tuple[PartIssueFact, ...] = ()):
    facts = _facts_for_scheme(contract.scheme_key, client_id, contract.currency, contract.starts_on, on)
    return replace(facts, part_issues=facts.part_issues + extra) if extra else facts


def client_ledger(client_id: int, on: date | None = None):
    """(contract, ledger rows) — accrued / used / remaining per model and part category."""
    ran = run_scheme(client_id, on or date.today())
    if ran is None:
        return None, ()
    contract, result = ran
    return contract, result.ledger


def price_lines(client_id: int, lines: list[tuple[Part, ProductModel, int]], on: date) -> tuple[str, str, list[Pricing]]:
    """(scheme key, currency, pricing per line) for lines not yet issued. Under a scheme with an
    entitlement ledger each line is free while entitlement remains; the rest is charged at the
    contract's agreed part price, or "price on request" (None) when the contract names none
    (the scheme is then run with a placeholder price for it, only to split free from charged)."""
    from ..clients.models import Client

    contract = contract_for(client_id, on)
    if contract is None:
        currency = db.session.get(Client, client_id).currency
        return "", currency, [Pricing(0, qty, None) for _part, _model, qty in lines]
    terms = dict(load_terms(current_schemes().info(contract.scheme_key), contract.terms))
    prices = [agreed_part_price(terms, part.number, part.category) for part, _model, _qty in lines]
    extra = tuple(PartIssueFact(f"NEW-{i}", part.number, part.category, model.code, qty, on, contract.currency)
                  for i, (part, model, qty) in enumerate(lines))
    facts = _scheme_facts(contract, client_id, on, extra)
    # Placeholders for every part the contract names no price for, new or issued before (those
    # are settled by finance, who then hears of the missing price): enough to split free from charged.
    placeholders = {issue.part_number: Decimal("0.00") for issue in facts.part_issues
                    if agreed_part_price(terms, issue.part_number, issue.part_category) is None}
    if placeholders and "part_prices" in terms:  # a scheme that prices parts
        terms["part_prices"] = {**(terms.get("part_prices") or {}), **placeholders}
    result = current_schemes().settle(contract.scheme_key, terms, facts)
    if not result.ledger:
        return contract.scheme_key, contract.currency, [Pricing(0, qty, price)
                                                        for (_p, _m, qty), price in zip(lines, prices)]
    charged = {line.reference: line.quantity or 0 for line in result.lines if line.reference.startswith("NEW-")}
    return contract.scheme_key, contract.currency, [
        Pricing(qty - charged.get(f"NEW-{i}", 0), charged.get(f"NEW-{i}", 0), price)
        for i, ((_p, _m, qty), price) in enumerate(zip(lines, prices))]
