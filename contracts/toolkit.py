"""Small computations every scheme needs: percentages, signed lines, grouping.

Shared here so the built-in schemes (and third-party ones) round and sign money the same way.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from contracts.domain import round_money
from contracts.types import (
    AGGREGATED,
    CREDIT,
    DEBIT,
    SHIPMENT_GRAINS,
    ParamValue,
    SettlementLine,
    ShipmentFact,
    ShipmentGrain,
)

T = TypeVar("T")
K = TypeVar("K")

HUNDRED = Decimal(100)


def percent_of(amount: Decimal, rate: Decimal) -> Decimal:
    """``rate`` % of ``amount``, unrounded (the caller rounds the line once)."""
    return amount * rate / HUNDRED


def group_by(items: Iterable[T], key: Callable[[T], K]) -> dict[K, list[T]]:
    """Items grouped by key; groups and their items keep the order they came in."""
    groups: dict[K, list[T]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return groups


def money_line(
    signed_amount: Decimal,
    *,
    currency: str,
    section: str,
    description_key: str,
    params: Mapping[str, ParamValue],
    reference: str,
    quantity: int | None = None,
    unit_price: Decimal | None = None,
) -> SettlementLine:
    """A line from a signed amount (positive: the ODM owes the client).

    The amount is rounded first and the direction read from the rounded value, so a line
    is never a "debit 0.00": zero is a credit (shown for information).
    """
    amount = round_money(signed_amount, currency)
    return SettlementLine(
        section=section,
        direction=DEBIT if amount < 0 else CREDIT,
        amount=abs(amount),
        currency=currency,
        description_key=description_key,
        params=dict(params),
        reference=reference,
        quantity=quantity,
        unit_price=unit_price,
    )


def signed_line(signed_amount: Decimal, **line: Any) -> SettlementLine | None:
    """Like ``money_line``, but None when the amount rounds to zero (the line is skipped)."""
    made = money_line(signed_amount, **line)
    return made if made.amount else None


def model_totals(shipments: Iterable[ShipmentFact]) -> dict[str, tuple[int, Decimal]]:
    """model -> (net quantity, Σ quantity × unit price), returns deducted, by model code."""
    totals: dict[str, tuple[int, Decimal]] = {}
    for shipment in shipments:
        quantity, value = totals.get(shipment.model_code, (0, Decimal(0)))
        totals[shipment.model_code] = (quantity + shipment.quantity, value + shipment.value)
    return dict(sorted(totals.items()))


def rebate_lines(
    shipments: Iterable[ShipmentFact],
    rate: Decimal,
    *,
    currency: str,
    section: str = "rebate",
    description_key: str = "rebate_model",
) -> tuple[SettlementLine, ...]:
    """One line per model: round(rate % × the model's base); a negative base (more goods
    returned than shipped) gives a debit. Models in code order; zero lines are skipped.

    The description's params: ``model``, ``quantity`` (net), ``base`` (rounded) and ``rate``.
    """
    lines = []
    for model, (quantity, base) in model_totals(shipments).items():
        line = signed_line(
            percent_of(base, rate),
            currency=currency,
            section=section,
            description_key=description_key,
            params={"model": model, "quantity": quantity,
                    "base": round_money(base, currency), "rate": rate},
            reference=model,
            quantity=quantity,
        )
        if line is not None:
            lines.append(line)
    return tuple(lines)


def aggregated_ref(model_code: str, unit_price: Decimal, day: date | None = None) -> str:
    """The ``ref`` of an aggregated shipment fact: ``*/<model>/<price>`` (model_price) or
    ``*/<model>/<ship date>/<price>`` (model_day)."""
    middle = f"/{day.isoformat()}" if day is not None else ""
    return f"{AGGREGATED}/{model_code}{middle}/{unit_price}"


def aggregate_shipments(shipments: Iterable[ShipmentFact], grain: ShipmentGrain,
                        currency: str) -> tuple[ShipmentFact, ...]:
    """Shipment lines summed to ``grain`` (see ``contracts.types.SHIPMENT_GRAINS``), exactly
    as the portal gathers them for a scheme that declares it; ``currency`` is the contract's.

    "line" returns the lines unchanged. Otherwise one fact per (model, [ship date,] unit
    price, currency) with the summed quantity, in (model, [ship date,] unit price, currency)
    order; model_price keeps the group's latest ship date. A group in another currency than
    ``currency`` takes the ref of its first line (in the order given), so a currency check
    names a real line. Lets a scheme's tests compare settling lines and aggregated facts.
    """
    if grain not in SHIPMENT_GRAINS:
        raise ValueError(f"unknown shipment grain {grain!r}; expected one of {SHIPMENT_GRAINS}")
    if grain == "line":
        return tuple(shipments)
    by_day = grain == "model_day"
    groups: dict[tuple, list] = {}
    for line in shipments:
        key = (line.model_code, line.ship_date if by_day else None, line.unit_price, line.currency)
        found = groups.get(key)
        if found is None:
            groups[key] = [line.quantity, line.ship_date, line.ref]
        else:
            found[0] += line.quantity
            found[1] = max(found[1], line.ship_date)
    facts = []
    for key in sorted(groups, key=lambda k: (k[0], k[1] or date.min, k[2], k[3])):
        model, day, price, fact_currency = key
        quantity, latest, first_ref = groups[key]
        ref = aggregated_ref(model, price, day) if fact_currency == currency else first_ref
        facts.append(ShipmentFact(ref, AGGREGATED, model, AGGREGATED, quantity, price, fact_currency, latest))
    return tuple(facts)
