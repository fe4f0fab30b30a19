"""Intermittent-demand forecasting in plain Python (no numpy): Croston, SBA (Syntetos–Boylan
approximation) and TSB (Teunter–Syntetos–Babai), a backtest on held-out months (MAE against
the naive forecast, and MASE), and the Poisson quantile for a service level."""
from __future__ import annotations

import math
from collections.abc import Sequence

METHODS = ("croston", "sba", "tsb")


def croston(series: Sequence[float], alpha: float = 0.1, sba: bool = False) -> float:
    """The per-period demand forecast after the series: demand size z and inter-demand
    interval p smoothed only when a demand occurs; forecast z / p (× (1 − α/2) for SBA)."""
    z = p = None
    q = 1
    for y in series:
        if y > 0:
            if z is None:
                z, p = float(y), float(q)
            else:
                z += alpha * (y - z)
                p += alpha * (q - p)
            q = 1
        else:
            q += 1
    if z is None:
        return 0.0
    forecast = z / p
    return forecast * (1 - alpha / 2) if sba else forecast


def tsb(series: Sequence[float], alpha: float = 0.1, beta: float = 0.1) -> float:
    """TSB: the demand probability d is updated every period (so it decays when demand
    stops, which suits obsolescence); the size z only when a demand occurs. Forecast d × z."""
    nonzero = [y for y in series if y > 0]
    if not nonzero:
        return 0.0
    first = next(i for i, y in enumerate(series) if y > 0)
    z, d = float(nonzero[0]), 1.0 / (first + 1)
    for y in series[first + 1:]:
        d += beta * ((1.0 if y > 0 else 0.0) - d)
        if y > 0:
            z += alpha * (y - z)
    return d * z


def forecast(series: Sequence[float], method: str = "sba", alpha: float = 0.1, beta: float = 0.1) -> float:
    if method == "croston":
        return croston(series, alpha)
    if method == "sba":
        return croston(series, alpha, sba=True)
    if method == "tsb":
        return tsb(series, alpha, beta)
    raise ValueError(f"unknown method {method!r}")


def backtest(series: Sequence[float], holdout: int = 6, method: str = "sba") -> dict[str, float] | None:
    """Fit on all but the last ``holdout`` months, forecast them flat, and compare:
    MAE of the method, MAE of the naive forecast (the last fitted month repeated), and MASE
    (MAE ÷ the in-sample one-step naive MAE; None for a flat history). None when the series is too
    short."""
    if len(series) < holdout + 2:
        return None
    train, test = list(series[:-holdout]), list(series[-holdout:])
    level = forecast(train, method)
    mae = sum(abs(y - level) for y in test) / holdout
    naive_mae = sum(abs(y - train[-1]) for y in test) / holdout
    scale = sum(abs(b - a) for a, b in zip(train, train[1:])) / (len(train) - 1)
    return {"mae": mae, "naive_mae": naive_mae, "mase": mae / scale if scale else None}  # None: flat history


def poisson_logpmf(k: int, mean: float) -> float:
    if mean <= 0:
        return 0.0 if k == 0 else -math.inf
    return -mean + k * math.log(mean) - math.lgamma(k + 1)


def poisson_quantile(mean: float, level: float) -> int:
    """The smallest k with P(X ≤ k) ≥ level for X ~ Poisson(mean), summing the pmf from each
    term's logarithm (no underflow of e^-mean for large means)."""
    if not 0 < level < 1:
        raise ValueError("the service level must be between 0 and 1")
    if mean <= 0:
        return 0
    # start where the terms stop mattering (12 standard deviations below the mean): the first
    # term from its logarithm, each next one from it (pmf(k+1) = pmf(k)·mean/(k+1)), no underflow
    k = max(0, int(mean - 12 * math.sqrt(mean) - 10))
    term = math.exp(poisson_logpmf(k, mean))
    cdf = term
    while cdf < level:
        k += 1
        term *= mean / k
        cdf += term
    return k
