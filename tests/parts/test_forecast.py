"""Croston, SBA and TSB on known series; the Poisson quantile against known values; the
backtest; the last-time buy and the stock review; the forecast as a background job."""
from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from portal.jobs import Job, enqueue
from portal.parts import methods
from portal.parts.forecast import (_RETURNS, _SOURCES, forecast_parts, history, register_history_source,
                                   register_returns_source)
from portal.parts.models import PartForecast
from portal.parts.stock import MoveRequest, move

from .conftest import receive


def test_croston_and_sba_on_a_known_series():
    # demands 3 (after 2 periods) and 5 (after 3 more): z = 3 + 0.5·(5−3) = 4, p = 2 + 0.5·(3−2) = 2.5
    series = [0, 3, 0, 0, 5, 0]
    assert methods.croston(series, alpha=0.5) == pytest.approx(4 / 2.5)
    assert methods.croston(series, alpha=0.5, sba=True) == pytest.approx(4 / 2.5 * 0.75)
    assert methods.croston([0, 0, 0]) == 0.0
    assert methods.croston([2, 2, 2, 2], alpha=0.1) == pytest.approx(2.0)  # smooth demand: its level


def test_tsb_on_a_known_series_decays_after_demand_stops():
    # first demand at index 1: z = 4, d = 1/2; then 0, 4, 0 with α = β = 0.5
    series = [0, 4, 0, 4, 0]
    d = 0.5
    d = d + 0.5 * (0 - d)   # 0.25
    d = d + 0.5 * (1 - d)   # 0.625
    d = d + 0.5 * (0 - d)   # 0.3125
    assert methods.tsb(series, alpha=0.5, beta=0.5) == pytest.approx(d * 4)
    assert methods.tsb(series + [0] * 20, alpha=0.5, beta=0.5) < 1e-5
    assert methods.croston(series + [0] * 20, alpha=0.5) == methods.croston(series, alpha=0.5)


@pytest.mark.parametrize("mean, level, expected", [
    (0.0, 0.95, 0), (1.0, 0.5, 1), (1.0, 0.95, 3), (2.5, 0.9, 5), (10.0, 0.95, 15), (10.0, 0.99, 18),
    (100.0, 0.95, 117), (1000.0, 0.99, 1074),
])
def test_poisson_quantile_against_known_values(mean, level, expected):
    assert methods.poisson_quantile(mean, level) == expected


def test_poisson_quantile_is_the_smallest_k_reaching_the_level():
    mean, level = 7.3, 0.9
    k = methods.poisson_quantile(mean, level)
    cdf = lambda n: sum(math.exp(methods.poisson_logpmf(i, mean)) for i in range(n + 1))  # noqa: E731
    assert cdf(k) >= level > cdf(k - 1)
    with pytest.raises(ValueError):
        methods.poisson_quantile(3, 1.0)


def test_backtest_reports_mae_naive_and_mase():
    series = [0, 2, 0, 0, 1, 0, 3, 0, 0, 2, 0, 1, 0, 0, 2, 0]
    score = methods.backtest(series, holdout=6, method="sba")
    level = methods.croston(series[:-6], sba=True)
    assert score["mae"] == pytest.approx(sum(abs(y - level) for y in series[-6:]) / 6)
    assert score["naive_mae"] == pytest.approx(sum(abs(y - series[-7]) for y in series[-6:]) / 6)
    assert score["mase"] > 0
    assert methods.backtest([1, 2], holdout=6) is None
    assert methods.backtest([2] * 10, holdout=3)["mase"] is None  # flat history: no scale (JSON-safe)
    with pytest.raises(ValueError):
        methods.forecast(series, "holt")


def issue(world, day, quantity=1):
    move(MoveRequest("issue", world.board.id, quantity, "hist", from_location_id=world.factory.id,
                     client_id=world.acme.id, model_id=world.tv55.id, day=day))


def test_forecast_last_time_buy_and_review(world, make, db):
    make.shipment(client=world.acme, ship_date=date(2024, 3, 1),
                  lines=[{"model": world.tv55, "quantity": 1000, "unit_price": Decimal("1850.00")}])
    receive(world, world.board, 30)
    for month in range(1, 13):
        issue(world, date(2025, month, 10), 2)
    series = history([world.board.id], date(2025, 1, 1), date(2025, 12, 31))[world.board.id]
    assert series == [2] * 12
    [result] = forecast_parts([world.board.id], today=date(2026, 1, 15), method="sba")
    # service ends 2025-06-30 + 3 years = 2028-06-30: Jan 2026 … Jun 2028 is 30 months
    assert result.months_left == 30
    assert result.expected_demand == pytest.approx(result.monthly_demand * 30)
    quantile = methods.poisson_quantile(result.expected_demand, 0.95)
    assert result.on_hand == 6 and result.last_time_buy == quantile - 6
    assert result.verdict == "under"
    assert db.session.get(PartForecast, world.board.id).series["history"][-12:] == [2] * 12
    register_returns_source("test_rma", lambda ids, today: {world.board.id: 5})
    try:
        [with_returns] = forecast_parts([world.board.id], today=date(2026, 1, 15), method="sba")
    finally:
        _RETURNS.pop("test_rma")
    assert with_returns.last_time_buy == quantile - 6 - 5


def test_history_sources_are_extensible(world, db):
    register_history_source("test_returns", lambda ids, start, end: {ids[0]: {2025 * 12 + 1: 7}})
    try:
        assert history([world.board.id], date(2025, 1, 1), date(2025, 3, 31))[world.board.id] == [0, 7, 0]
    finally:
        _SOURCES.pop("test_returns")


def test_forecast_runs_as_a_background_job(world, db):
    receive(world, world.power, 100)
    row = enqueue("parts.forecast", method="tsb", service_level="0.9", part_ids=[world.board.id, world.power.id])
    job = db.session.get(Job, row.id)
    assert job.status == "done", job.error
    assert job.result["parts"] == 2
    stored = db.session.scalars(select(PartForecast).order_by(PartForecast.part_id)).all()
    assert {f.method for f in stored} == {"tsb"}
    assert db.session.get(PartForecast, world.power.id).verdict == "over"


def test_months_before_the_first_shipment_are_not_a_gap_between_demands(world, make, db):
    """Units first shipped a year ago, three boards a month since: the level is about three a
    month, not dragged down by the two empty years before anything was shipped."""
    make.shipment(client=world.acme, ship_date=date(2025, 1, 5),
                  lines=[{"model": world.tv55, "quantity": 1000, "unit_price": Decimal("1850.00")}])
    receive(world, world.board, 60)
    for month in range(1, 13):
        issue(world, date(2025, month, 10), 3)
    [result] = forecast_parts([world.board.id], today=date(2026, 1, 15), method="sba")
    assert result.monthly_demand == pytest.approx(3 * (1 - 0.1 / 2))
    assert db.session.get(PartForecast, world.board.id).series["history"] == [3] * 12
