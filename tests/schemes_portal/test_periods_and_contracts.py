"""Period helpers and the contract queries settlements rely on."""
from __future__ import annotations

from datetime import date

import pytest

from contracts import Period
from portal.schemes.offers import contract_start
from portal.schemes.services import (
    contract_for,
    contract_history,
    contracts_overlapping,
    is_boundary,
    last_full_periods,
    latest_contract,
    next_boundary,
    period_bounds,
    periods_between,
)

from .conftest import add_contract


@pytest.mark.parametrize("kind, day, start, end", [
    ("month", date(2024, 2, 14), date(2024, 2, 1), date(2024, 2, 29)),
    ("month", date(2025, 12, 31), date(2025, 12, 1), date(2025, 12, 31)),
    ("quarter", date(2025, 5, 17), date(2025, 4, 1), date(2025, 6, 30)),
    ("quarter", date(2025, 1, 1), date(2025, 1, 1), date(2025, 3, 31)),
    ("quarter", date(2025, 12, 31), date(2025, 10, 1), date(2025, 12, 31)),
])
def test_period_bounds(kind, day, start, end):
    assert period_bounds(kind, day) == Period(start, end)


@pytest.mark.parametrize("kind, day, boundary", [
    ("month", date(2025, 4, 15), date(2025, 5, 1)),
    ("month", date(2025, 4, 1), date(2025, 5, 1)),  # never today: always a future boundary
    ("month", date(2025, 12, 31), date(2026, 1, 1)),
    ("quarter", date(2025, 4, 15), date(2025, 7, 1)),
    ("quarter", date(2025, 11, 2), date(2026, 1, 1)),
])
def test_next_boundary(kind, day, boundary):
    assert next_boundary(kind, day) == boundary
    assert is_boundary(kind, boundary)


def test_unknown_period_kind_is_refused():
    with pytest.raises(ValueError):
        period_bounds("week", date(2025, 1, 1))


def test_periods_between_clips_the_first_and_last():
    got = list(periods_between("month", date(2025, 1, 15), date(2025, 3, 10)))
    assert got == [Period(date(2025, 1, 15), date(2025, 1, 31)), Period(date(2025, 2, 1), date(2025, 2, 28)),
                   Period(date(2025, 3, 1), date(2025, 3, 10))]
    assert list(periods_between("quarter", date(2025, 2, 1), date(2025, 1, 1))) == []


def test_last_full_periods_end_before_the_current_one():
    months = last_full_periods("month", date(2025, 4, 15), 12)
    assert months[0] == Period(date(2024, 4, 1), date(2024, 4, 30))
    assert months[-1] == Period(date(2025, 3, 1), date(2025, 3, 31))
    quarters = last_full_periods("quarter", date(2025, 4, 15), 4)
    assert [q.start for q in quarters] == [date(2024, 4, 1), date(2024, 7, 1), date(2024, 10, 1), date(2025, 1, 1)]


def test_contract_for_and_overlapping(world, db):
    old = add_contract(db.session, world.acme, starts_on=date(2024, 1, 1), ends_on=date(2024, 12, 31))
    new = add_contract(db.session, world.acme, "price_discount", starts_on=date(2025, 1, 1))
    add_contract(db.session, world.globex, starts_on=date(2024, 1, 1))
    assert contract_for(world.acme.id, date(2023, 12, 31)) is None
    assert contract_for(world.acme.id, date(2024, 12, 31)) == old
    assert contract_for(world.acme.id, date(2025, 1, 1)) == new
    assert contracts_overlapping(world.acme.id, date(2024, 12, 1), date(2025, 1, 31)) == [old, new]
    assert contracts_overlapping(world.acme.id, date(2025, 2, 1), date(2025, 2, 28)) == [new]
    assert contract_history(world.acme.id) == [new, old]
    assert latest_contract(world.acme.id) == new


def test_a_new_contract_starts_on_the_next_boundary(world, db):
    today = date(2025, 4, 15)
    assert contract_start(world.acme.id, "month", today) == date(2025, 5, 1)
    assert contract_start(world.acme.id, "quarter", today) == date(2025, 7, 1)


def test_a_monthly_contract_after_a_quarterly_one_waits_for_the_quarter(world, db):
    add_contract(db.session, world.acme, period_kind="quarter", starts_on=date(2025, 1, 1))
    assert contract_start(world.acme.id, "month", date(2025, 4, 15)) == date(2025, 7, 1)


def test_a_contract_confirmed_but_not_begun_is_followed_not_overlapped(world, db):
    add_contract(db.session, world.acme, starts_on=date(2025, 5, 1))
    assert contract_start(world.acme.id, "month", date(2025, 4, 15)) == date(2025, 6, 1)
