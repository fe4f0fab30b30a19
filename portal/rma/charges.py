"""What a repair of a returned unit costs the client (DOMAIN.md, "Fault causes and what they
cost"), in the RMA's currency, from the price list of that currency.

Rules by fault cause:
- normal failure: free in warranty; out of warranty labour by repair level + parts at the agreed price;
- transport damage, ODM packaging: free, and a quality record against packaging;
- transport damage in the client's logistics, panel knock or impact, human damage: the lowest
  material cost and no labour (each part at the lowest cost price among it and its substitutes);
- lightning: labour by repair level + parts at the agreed price, in warranty or not;
- no fault found: free.
A unit of a buyout or price-discount client is never in the ODM's warranty (the RMA line
records in_warranty=False when it is requested).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from contracts.domain import round_money

from ..catalogue.models import Part
from ..extensions import db
from .models import RmaPriceList

FREE, QUALITY, LOWEST, LABOUR_PARTS = "free", "free_quality", "lowest_material", "labour_parts"
LOWEST_CAUSES = ("transport_client_logistics", "panel_impact", "human_damage")
ZERO = Decimal("0")


class NoPriceList(ValueError):
    pass


def charge_rule(cause: str, in_warranty: bool) -> str:
    if cause == "transport_odm_packaging":
        return QUALITY
    if cause in LOWEST_CAUSES:
        return LOWEST
    if cause == "lightning":
        return LABOUR_PARTS
    if cause == "normal_failure":
        return FREE if in_warranty else LABOUR_PARTS
    return FREE  # no fault found


def lowest_material_cost(part: Part) -> Decimal:
    """The lowest cost price (CNY) among the part and the parts that may replace it (its
    approved substitutes, portal.parts). Until the substitutes capability is registered in
    portal.models, the part's own cost price."""
    from .. import models as registered

    if not hasattr(registered, "PartSubstitute"):  # the substitutes capability is not installed
        return part.cost_price
    from ..parts.substitutes import replacements

    return min([part.cost_price] + [other.cost_price for _rule, other in replacements(part.id)])


def price_list(currency: str) -> RmaPriceList:
    found = db.session.scalar(select(RmaPriceList).where(RmaPriceList.currency == currency))
    if found is None:
        raise NoPriceList(_("There is no repair price list in %(currency)s yet: an administrator adds it "
                            "under Repair returns › Price lists.", currency=currency))
    return found


@dataclass(frozen=True)
class PartCharge:
    part: Part
    quantity: int
    unit_price: Decimal
    amount: Decimal


@dataclass(frozen=True)
class Charge:
    rule: str
    labour: Decimal
    parts: tuple[PartCharge, ...]
    parts_amount: Decimal
    total: Decimal
    quality_record: bool


def compute(cause: str, in_warranty: bool, level: str | None, parts: list[tuple[Part, int]],
            currency: str) -> Charge:
    """The charge of one unit; reads the price list only when something is charged."""
    rule = charge_rule(cause, in_warranty)
    if rule in (FREE, QUALITY):
        free = tuple(PartCharge(p, q, ZERO, ZERO) for p, q in parts)
        return Charge(rule, ZERO, free, ZERO, ZERO, rule == QUALITY)
    prices = price_list(currency)
    priced = []
    for part, quantity in parts:
        if rule == LOWEST:
            unit = lowest_material_cost(part) * prices.cny_rate
        else:
            unit = part.cost_price * prices.cny_rate * (1 + prices.parts_markup / 100)
        unit = round_money(unit, currency)
        priced.append(PartCharge(part, quantity, unit, round_money(unit * quantity, currency)))
    labour = ZERO if rule == LOWEST else round_money(prices.labour(level), currency)
    parts_amount = sum((p.amount for p in priced), ZERO)
    return Charge(rule, labour, tuple(priced), parts_amount, labour + parts_amount, False)
