"""The spare-part entitlement ledger of the parts-ratio scheme (no money here).

For a (model, category) the entitlement on a day is
    floor(ratio % × cumulative net quantity of the model shipped since the contract start,
          up to and including that day) − free parts already issued,
never below zero. Issues are taken in (issue date, reference) order; each is free while
entitlement remains and charged beyond it, so one multi-quantity issue may be partly free.

Choice: a shipment dated the same day as an issue counts towards it (spare parts often
leave with the goods they serve). Returns lower the cumulative quantity and so the accrual,
but parts already given free stay given: the remaining entitlement is then zero, not negative.
"""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from itertools import accumulate

from contracts.domain import PART_CATEGORIES
from contracts.toolkit import group_by, percent_of
from contracts.types import LedgerRow, PartIssueFact, PeriodFacts

RatioFor = Callable[[str, str], Decimal]  # (model, category) -> percent


def accrued(ratio: Decimal, shipped: int) -> int:
    """Free parts earned by ``shipped`` units: floor(ratio % × shipped), never negative."""
    if shipped <= 0:
        return 0
    return int(percent_of(Decimal(shipped), ratio).to_integral_value(rounding=ROUND_FLOOR))


class ShippedToDate:
    """Cumulative net quantity of a model shipped since the contract start, up to a day."""

    def __init__(self, facts: PeriodFacts) -> None:
        self._before = facts.shipped_before
        self._dates: dict[str, list[date]] = {}
        self._running: dict[str, list[int]] = {}
        by_model = group_by(facts.shipments, lambda shipment: shipment.model_code)
        for model, shipments in by_model.items():
            shipments.sort(key=lambda shipment: shipment.ship_date)
            self._dates[model] = [shipment.ship_date for shipment in shipments]
            self._running[model] = list(accumulate(shipment.quantity for shipment in shipments))

    def models(self) -> set[str]:
        return set(self._before) | set(self._dates)

    def on(self, model: str, day: date) -> int:
        count = bisect_right(self._dates.get(model, []), day)
        in_period = self._running[model][count - 1] if count else 0
        return self._before.get(model, 0) + in_period


@dataclass(frozen=True, slots=True)
class Allocation:
    issue: PartIssueFact
    free: int
    charged: int


@dataclass
class _Account:
    used: int
    free_in_period: int = 0
    charged_in_period: int = 0


def issue_order(issue: PartIssueFact) -> tuple[date, str]:
    return (issue.issue_date, issue.ref)


def allocate(
    facts: PeriodFacts, ratio_for: RatioFor, categories: Iterable[str]
) -> tuple[tuple[Allocation, ...], tuple[LedgerRow, ...]]:
    """Split each part issue of the period into free and charged parts, and build the
    ledger at the period's end. ``categories`` are those with a ratio in the terms: every
    shipped model gets a ledger row for each, even with no issue yet."""
    shipped = ShippedToDate(facts)
    accounts: dict[tuple[str, str], _Account] = {
        key: _Account(used=count) for key, count in facts.free_issued_before.items()
    }
    for model in shipped.models():
        for category in categories:
            accounts.setdefault((model, category), _Account(used=0))
    allocations = []
    for issue in sorted(facts.part_issues, key=issue_order):
        key = (issue.model_code, issue.part_category)
        account = accounts.setdefault(key, _Account(used=0))
        earned = accrued(ratio_for(*key), shipped.on(issue.model_code, issue.issue_date))
        free = min(issue.quantity, max(earned - account.used, 0))
        account.used += free
        account.free_in_period += free
        account.charged_in_period += issue.quantity - free
        allocations.append(Allocation(issue, free, issue.quantity - free))
    ledger = []
    for (model, category), account in sorted(accounts.items(), key=_ledger_order):
        earned = accrued(ratio_for(model, category), shipped.on(model, facts.period.end))
        ledger.append(LedgerRow(
            model_code=model, category=category, accrued=earned, used=account.used,
            remaining=max(earned - account.used, 0), free_in_period=account.free_in_period,
            charged_in_period=account.charged_in_period,
        ))
    return tuple(allocations), tuple(ledger)


def _ledger_order(item: tuple[tuple[str, str], _Account]) -> tuple[str, int, str]:
    (model, category), _ = item
    rank = PART_CATEGORIES.index(category) if category in PART_CATEGORIES else len(PART_CATEGORIES)
    return (model, rank, category)
