"""Settlement periods: calendar months or calendar quarters, both ends inclusive.

Pure date arithmetic (no Flask, no database), shared by contracts and settlements.
"""
from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date, timedelta

from contracts.types import Period

PERIOD_KINDS = ("month", "quarter")


def _check(kind: str) -> None:
    if kind not in PERIOD_KINDS:
        raise ValueError(f"unknown period kind {kind!r}; expected one of {PERIOD_KINDS}")


def period_start(kind: str, day: date) -> date:
    """First day of the month or quarter that contains ``day``."""
    _check(kind)
    if kind == "month":
        return day.replace(day=1)
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _months(kind: str) -> int:
    return 1 if kind == "month" else 3


def _add_months_first(first: date, months: int) -> date:
    index = first.month - 1 + months
    return date(first.year + index // 12, index % 12 + 1, 1)


def period_bounds(kind: str, day: date) -> Period:
    """The month or quarter containing ``day`` as a Period (start, end inclusive)."""
    start = period_start(kind, day)
    last_month = _add_months_first(start, _months(kind) - 1)
    end = last_month.replace(day=calendar.monthrange(last_month.year, last_month.month)[1])
    return Period(start, end)


def next_boundary(kind: str, day: date) -> date:
    """First day of the month or quarter after the one containing ``day``: the earliest
    start of a contract confirmed on ``day`` (a boundary strictly in the future)."""
    return _add_months_first(period_start(kind, day), _months(kind))


def is_boundary(kind: str, day: date) -> bool:
    """True when ``day`` is the first day of a month (or quarter)."""
    return period_start(kind, day) == day


def periods_between(kind: str, start: date, end: date) -> Iterator[Period]:
    """Every whole or partial period from the one containing ``start`` to the one containing
    ``end``, clipped to [start, end]. Empty when ``end`` is before ``start``."""
    _check(kind)
    cursor = start
    while cursor <= end:
        bounds = period_bounds(kind, cursor)
        yield Period(max(bounds.start, start), min(bounds.end, end))
        cursor = bounds.end + timedelta(days=1)


def last_full_periods(kind: str, before: date, count: int) -> list[Period]:
    """The ``count`` whole periods that end before the period containing ``before``,
    oldest first (e.g. the last twelve complete months)."""
    _check(kind)
    first_open = period_start(kind, before)
    start = _add_months_first(first_open, -_months(kind) * count)
    return list(periods_between(kind, start, first_open - timedelta(days=1)))
