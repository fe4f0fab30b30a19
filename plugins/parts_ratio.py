"""Spare-parts ratio (备件供应比例).

The ODM supplies spare parts free up to a ratio (%) of the quantity shipped, per model and
part category; parts beyond the entitlement are charged at the agreed price. The period's
settlement is one debit line per charged part issue plus the entitlement ledger (see
plugins.parts_ledger for the entitlement rule and its choices).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from contracts import SchemeInfo, SettlementResult, TermsIncomplete, check_facts, hookimpl
from contracts.terms import (
    agreed_part_price,
    category_key,
    category_prices_field,
    described,
    part_prices_field,
    percent_values,
)
from contracts.toolkit import signed_line
from contracts.types import PeriodFacts, SettlementLine
from plugins.parts_ledger import Allocation, allocate
from plugins.parts_ratio_texts import (
    CATEGORY_RATIOS_HELP,
    CATEGORY_RATIOS_LABEL,
    EXPLANATIONS,
    MESSAGES,
    MODEL_RATIOS_HELP,
    MODEL_RATIOS_LABEL,
    NAMES,
    NO_PRICE_ERROR,
)

KEY = "parts_ratio"


class PartsRatioTerms(Schema):
    category_ratios = fields.Dict(
        keys=category_key(), values=percent_values(), required=True,
        validate=validate.Length(min=1),
        metadata=described(CATEGORY_RATIOS_LABEL, CATEGORY_RATIOS_HELP),
    )
    model_ratios = fields.Dict(
        keys=fields.String(), values=fields.Dict(keys=category_key(), values=percent_values()),
        load_default=dict, metadata=described(MODEL_RATIOS_LABEL, MODEL_RATIOS_HELP),
    )
    part_prices = part_prices_field()
    category_prices = category_prices_field()

    @validates_schema
    def _some_price(self, data: Mapping[str, Any], **kwargs: Any) -> None:
        if not data.get("part_prices") and not data.get("category_prices"):
            raise ValidationError(NO_PRICE_ERROR, "category_prices")


INFO = SchemeInfo(
    key=KEY, version="1.0", names=NAMES, explanations=EXPLANATIONS,
    terms_schema=PartsRatioTerms, messages=MESSAGES,
    # The entitlement needs the net quantity per model up to each day, nothing finer.
    shipment_grain="model_day",
    needs_shipped_before=True,  # the entitlement accrues from the contract start
)


def ratio_lookup(terms: Mapping[str, Any]) -> Callable[[str, str], Decimal]:
    """(model, category) -> percent: the model's own ratio, else the category's, else 0."""
    general = terms["category_ratios"]
    per_model = terms.get("model_ratios") or {}

    def ratio_for(model: str, category: str) -> Decimal:
        own = per_model.get(model, {}).get(category)
        return own if own is not None else general.get(category, Decimal(0))

    return ratio_for


def ratio_categories(terms: Mapping[str, Any]) -> list[str]:
    """Categories any ratio in the terms mentions: each gets a ledger row per model."""
    found = set(terms["category_ratios"])
    for ratios in (terms.get("model_ratios") or {}).values():
        found |= set(ratios)
    return sorted(found)


def _charge_line(
    allocation: Allocation, terms: Mapping[str, Any], currency: str
) -> SettlementLine | None:
    issue = allocation.issue
    price = agreed_part_price(terms, issue.part_number, issue.part_category)
    if price is None:
        raise TermsIncomplete(KEY, f"no agreed price for part {issue.part_number} "
                                   f"({issue.part_category}) charged in issue {issue.ref}")
    return signed_line(
        -(allocation.charged * price),
        currency=currency,
        section="parts_charged",
        description_key="part_charged",
        params={"part_number": issue.part_number, "model": issue.model_code,
                "issue_date": issue.issue_date, "issued": issue.quantity,
                "charged": allocation.charged, "unit_price": price},
        reference=issue.ref,
        quantity=allocation.charged,
        unit_price=price,
    )


@hookimpl
def portal_scheme_info() -> SchemeInfo:
    return INFO


@hookimpl
def portal_settle(
    scheme_key: str, terms: Mapping[str, Any], facts: PeriodFacts
) -> SettlementResult | None:
    if scheme_key != KEY:
        return None
    check_facts(facts)
    allocations, ledger = allocate(facts, ratio_lookup(terms), ratio_categories(terms))
    lines = []
    for allocation in allocations:
        if allocation.charged:
            line = _charge_line(allocation, terms, facts.currency)
            if line is not None:
                lines.append(line)
    return SettlementResult(lines=tuple(lines), ledger=ledger)
