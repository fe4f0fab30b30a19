"""Checks the portal runs around a plugin call: on the facts before, on the result after,
and on a scheme's declaration when it is loaded. Each raises an error naming what is wrong.
"""
from __future__ import annotations

import re
import string
from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal
from typing import NoReturn

from marshmallow import Schema

from contracts.domain import round_money
from contracts.errors import CurrencyMismatch, InvalidFacts, MalformedResult, MalformedScheme
from contracts.terms import check_locales
from contracts.types import (
    CREDIT,
    DEBIT,
    SHIPMENT_GRAINS,
    LedgerRow,
    PeriodFacts,
    RejectedClaim,
    SchemeInfo,
    SettlementLine,
    SettlementResult,
)

SCHEME_KEY = re.compile(r"^[a-z][a-z0-9_]{1,63}$")


def _priced_facts(facts: PeriodFacts) -> Iterator[tuple[str, str, str]]:
    """(kind, ref, currency) of every fact that carries a currency."""
    for shipment in facts.shipments:
        yield "shipment", shipment.ref, shipment.currency
    for issue in facts.part_issues:
        yield "part issue", issue.ref, issue.currency
    for decided in facts.claims:
        yield "claim", decided.claim.ref, decided.claim.currency


def check_currency(facts: PeriodFacts) -> None:
    """Raise CurrencyMismatch on the first fact whose currency is not ``facts.currency``."""
    for kind, ref, currency in _priced_facts(facts):
        if currency != facts.currency:
            raise CurrencyMismatch(ref, currency, facts.currency, kind)


def check_facts(facts: PeriodFacts) -> None:
    """Currency, plus the period and sanity rules every scheme relies on."""
    check_currency(facts)
    period = facts.period
    for shipment in facts.shipments:
        _require(shipment.ship_date in period, shipment.ref, "shipped outside the period")
        _require(_is_money(shipment.unit_price), shipment.ref, "unit price is not a Decimal")
    for issue in facts.part_issues:
        _require(issue.issue_date in period, issue.ref, "issued outside the period")
        _require(issue.quantity > 0, issue.ref, "a part issue needs a positive quantity")
    for decided in facts.claims:
        claim = decided.claim
        _require(claim.decided_on in period, claim.ref, "not decided in the period")


def _require(condition: bool, ref: str, why: str) -> None:
    if not condition:
        raise InvalidFacts(ref, why)


def _is_money(value: object) -> bool:
    return isinstance(value, Decimal) and value.is_finite()


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def validate_result(result: object, currency: str, *, scheme_key: str = "?",
                    info: SchemeInfo | None = None) -> SettlementResult:
    """Return ``result`` when the portal may persist it, else raise MalformedResult.

    Checks types, that every amount is a non-negative Decimal already rounded to the
    currency's minor unit and in ``currency``, the direction, the ledger's arithmetic,
    and (with ``info``) that every section, description and reason key has a message.
    """
    def fail(why: str) -> NoReturn:
        raise MalformedResult(scheme_key, why)

    if not isinstance(result, SettlementResult):
        fail(f"expected a SettlementResult, got {type(result).__name__}")
    known = info.messages if info is not None else None
    for index, line in enumerate(result.lines):
        why = _line_problem(line, currency, known)
        if why:
            fail(f"line {index + 1}: {why}")
    for row in result.ledger:
        if not isinstance(row, LedgerRow):
            fail(f"ledger row {row!r} is not a LedgerRow")
        counts = (row.accrued, row.used, row.remaining, row.free_in_period, row.charged_in_period)
        if not all(_is_count(n) and n >= 0 for n in counts):
            fail(f"ledger row {row.model_code}/{row.category} has a negative or non-int count")
    for rejected in result.rejected_claims:
        if not isinstance(rejected, RejectedClaim) or not rejected.reasons:
            fail(f"rejected claim {rejected!r} has no reasons")
        missing = [r for r in rejected.reasons if known is not None and r not in known]
        if missing:
            fail(f"rejected claim {rejected.reference}: no message for {missing}")
    return result


def _line_problem(line: object, currency: str, known: Mapping | None) -> str | None:
    if not isinstance(line, SettlementLine):
        return f"expected a SettlementLine, got {type(line).__name__}"
    if line.direction not in (CREDIT, DEBIT):
        return f"direction {line.direction!r} is neither 'credit' nor 'debit'"
    if not _is_money(line.amount):
        return f"amount {line.amount!r} is not a finite Decimal"
    if line.amount < 0:
        return f"amount {line.amount} is negative; use the direction for the sign"
    if line.currency != currency:
        return f"currency {line.currency} is not the contract's {currency}"
    if line.amount != round_money(line.amount, currency):
        return f"amount {line.amount} is not rounded to {currency}'s minor unit"
    if line.unit_price is not None and not _is_money(line.unit_price):
        return f"unit price {line.unit_price!r} is not a finite Decimal"
    if line.quantity is not None and not _is_count(line.quantity):
        return f"quantity {line.quantity!r} is not an int"
    for name, value in line.params.items():
        if isinstance(value, float) or not isinstance(value, (str, int, Decimal, date)):
            return f"param {name}={value!r} is not str, int, Decimal or date"
    for key in (line.section, line.description_key):
        if known is not None and key not in known:
            return f"no message for key {key!r}"
    return None


def validate_scheme_info(info: object) -> SchemeInfo:
    """Return ``info`` when it is a complete declaration, else raise MalformedScheme:
    a valid key, a known shipment grain, texts in every locale, labelled terms fields,
    consistent placeholders."""
    key = getattr(info, "key", "?")

    def fail(why: str) -> NoReturn:
        raise MalformedScheme(str(key), why)

    if not isinstance(info, SchemeInfo):
        fail(f"expected a SchemeInfo, got {type(info).__name__}")
    if not SCHEME_KEY.match(info.key):
        fail("the key must be lowercase letters, digits and underscores")
    if not info.version:
        fail("the version is empty")
    if info.shipment_grain not in SHIPMENT_GRAINS:
        fail(f"shipment_grain {info.shipment_grain!r} is not one of {SHIPMENT_GRAINS}")
    for what, texts in (("names", info.names), ("explanations", info.explanations)):
        if check_locales(texts):
            fail(f"{what} miss locales {check_locales(texts)}")
    if not (isinstance(info.terms_schema, type) and issubclass(info.terms_schema, Schema)):
        fail("terms_schema must be a marshmallow Schema class")
    for name, field in info.terms_schema().fields.items():
        for kind in ("label", "help"):
            missing = check_locales(field.metadata.get(kind) or {})
            if missing:
                fail(f"terms field {name!r} has no {kind} in {missing}")
    for message_key, templates in info.messages.items():
        if check_locales(templates):
            fail(f"message {message_key!r} misses locales {check_locales(templates)}")
        placeholders = {locale: _placeholders(text) for locale, text in templates.items()}
        if len(set(map(frozenset, placeholders.values()))) > 1:
            fail(f"message {message_key!r} has different placeholders per locale: {placeholders}")
    return info


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
