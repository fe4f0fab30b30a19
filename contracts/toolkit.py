"""Small computations every scheme needs: percentages, signed lines, grouping.

Shared here so the built-in schemes (and third-party ones) round and sign money the same way.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

from contracts.domain import round_money
from contracts.types import CREDIT, DEBIT, ParamValue, SettlementLine, ShipmentFact

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
