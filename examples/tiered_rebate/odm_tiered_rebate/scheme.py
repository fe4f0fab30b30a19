"""The tiered rebate scheme: its terms, its declaration and its two hook implementations.

Rule: volume = the period's net quantity shipped (all models, returns deducted); the rate is
that of the highest tier whose ``min_quantity`` the volume reaches (none reached: no rebate);
then one line per model, round(rate × the model's goods value), as in a buyout rebate.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from contracts import PeriodFacts, SchemeInfo, SettlementResult, check_facts, hookimpl
from contracts.terms import WholeNumber, described, percent_field
from contracts.toolkit import rebate_lines
from odm_tiered_rebate import __version__
from odm_tiered_rebate.texts import (
    EXPLANATIONS,
    MESSAGES,
    MIN_QUANTITY,
    NAMES,
    RATE,
    TIERS,
)

KEY = "tiered_rebate"


class Tier(Schema):
    min_quantity = WholeNumber(required=True, validate=validate.Range(min=0),
                               metadata=described(*MIN_QUANTITY))
    rate = percent_field(*RATE, required=True)


class TieredRebateTerms(Schema):
    tiers = fields.List(fields.Nested(Tier), required=True, validate=validate.Length(min=1),
                        metadata=described(*TIERS))

    @validates_schema
    def _tiers_rise(self, data: Mapping[str, Any], **kwargs: Any) -> None:
        tiers = data["tiers"]
        for lower, upper in zip(tiers, tiers[1:], strict=False):
            if upper["min_quantity"] <= lower["min_quantity"]:
                raise ValidationError("Minimum quantities must rise from tier to tier.", "tiers")
            if upper["rate"] < lower["rate"]:
                raise ValidationError("A higher tier cannot have a lower rate.", "tiers")


INFO = SchemeInfo(
    key=KEY, version=__version__, names=NAMES, explanations=EXPLANATIONS,
    terms_schema=TieredRebateTerms, messages=MESSAGES,
    # Volume and rebate need only quantities and values per model: lines summed per price.
    shipment_grain="model_price",
)


def tier_rate(tiers: Sequence[Mapping[str, Any]], volume: int) -> Decimal | None:
    """The rate of the highest tier the volume reaches, or None below the first."""
    reached = [tier for tier in tiers if volume >= tier["min_quantity"]]
    return max(reached, key=lambda tier: tier["min_quantity"])["rate"] if reached else None


@hookimpl
def portal_scheme_info() -> SchemeInfo:
    return INFO


@hookimpl
def portal_settle(
    scheme_key: str, terms: Mapping[str, Any], facts: PeriodFacts
) -> SettlementResult | None:
    if scheme_key != KEY:
        return None  # another scheme's contract: let its plugin answer
    check_facts(facts)
    volume = sum(shipment.quantity for shipment in facts.shipments)
    rate = tier_rate(terms["tiers"], volume)
    if rate is None:
        return SettlementResult()
    return SettlementResult(lines=rebate_lines(
        facts.shipments, rate, currency=facts.currency,
        section="tiered_rebate", description_key="tiered_rebate_model",
    ))
