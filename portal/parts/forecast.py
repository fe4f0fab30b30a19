"""Spare-part demand over the rest of the service period, and the last-time buy.

Monthly history comes from *history sources* (`register_history_source(name, fn)`, each
``fn(part_ids, start, end) -> {part_id: {month_index: quantity}}``); the portal's own spare-part
issues are the first one, and repair returns or claims can register theirs. The intermittent
method (SBA by default; Croston and TSB available) gives the current monthly level, scaled by
the installed base: units of the models using the part shipped so far against the units
under service in each remaining month (a model's units leave service at its service end).
The last-time buy = Poisson quantile of the expected demand at the service level − after-sales
stock − expected repairable returns.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import delete, func, insert, select

from contracts.domain import add_months

from ..catalogue.models import Batch, BatchMaterial, Part, ProductModel
from ..db import utcnow
from ..extensions import db
from ..jobs import job
from . import methods
from .models import PartForecast, StockMove
from .stock import on_hand

HISTORY_MONTHS = 36
HistorySource = Callable[[list[int], date, date], dict[int, dict[int, int]]]
_SOURCES: dict[str, HistorySource] = {}


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def register_history_source(name: str, source: HistorySource) -> None:
    _SOURCES[name] = source


def part_issue_history(part_ids: list[int], start: date, end: date) -> dict[int, dict[int, int]]:
    """Spare parts issued to clients, per part and month (one GROUP BY per chunk of parts)."""
    move = StockMove.__table__.c
    found: dict[int, dict[int, int]] = {}
    for i in range(0, len(part_ids), 2000):
        chunk = part_ids[i:i + 2000]
        rows = db.session.execute(select(move.part_id, move.day, func.sum(move.quantity))
                                  .where(move.kind == "issue", move.part_id.in_(chunk), move.day >= start,
                                         move.day <= end).group_by(move.part_id, move.day))
        for part_id, day, quantity in rows:
            months = found.setdefault(part_id, {})
            months[month_index(day)] = months.get(month_index(day), 0) + int(quantity)
    return found


register_history_source("part_issues", part_issue_history)

ReturnsSource = Callable[[list[int], date], dict[int, int]]
_RETURNS: dict[str, ReturnsSource] = {}


def register_returns_source(name: str, source: ReturnsSource) -> None:
    """``fn(part_ids, today) -> {part_id: units}``: old parts expected back and repairable
    (repair returns can register theirs); they lower the last-time buy."""
    _RETURNS[name] = source


def expected_returns(part_ids: list[int], today: date) -> dict[int, int]:
    found: dict[int, int] = {}
    for source in _RETURNS.values():
        for part_id, units in source(part_ids, today).items():
            found[part_id] = found.get(part_id, 0) + int(units)
    return found


def history(part_ids: list[int], start: date, end: date) -> dict[int, list[int]]:
    """part id -> monthly quantities from ``start``'s month to ``end``'s, every source summed."""
    first, last = month_index(start), month_index(end)
    series = {part_id: [0] * (last - first + 1) for part_id in part_ids}
    for source in _SOURCES.values():
        for part_id, months in source(part_ids, start, end).items():
            for month, quantity in months.items():
                if first <= month <= last and part_id in series:
                    series[part_id][month - first] += quantity
    return series


def installed_base(part_ids: list[int]) -> dict[int, list[tuple[int, date | None]]]:
    """part id -> [(units of a model using it shipped so far, that model's service end)]."""
    from ..shipments.models import ShipmentLine

    uses = db.session.execute(select(BatchMaterial.part_id, Batch.model_id).join(Batch)
                              .where(BatchMaterial.part_id.in_(part_ids)).distinct()).all()
    model_ids = {model_id for _part, model_id in uses}
    shipped = dict(db.session.execute(select(ShipmentLine.model_id, func.sum(ShipmentLine.quantity))
                                      .where(ShipmentLine.model_id.in_(model_ids))
                                      .group_by(ShipmentLine.model_id)).all()) if model_ids else {}
    models = {m.id: m for m in db.session.scalars(select(ProductModel).where(ProductModel.id.in_(model_ids)))}
    found: dict[int, list] = {}
    for part_id, model_id in uses:
        found.setdefault(part_id, []).append((int(shipped.get(model_id) or 0), models[model_id].service_end))
    return found


def first_shipped(part_ids: list[int]) -> dict[int, date]:
    """part id -> the first ship date of a model using it: no demand can come before it, so
    the months before are not a gap between demands (they would drag the forecast down)."""
    from ..shipments.models import Shipment, ShipmentLine

    return dict(db.session.execute(
        select(BatchMaterial.part_id, func.min(Shipment.ship_date))
        .join(Batch, BatchMaterial.batch_id == Batch.id)
        .join(ShipmentLine, ShipmentLine.model_id == Batch.model_id)
        .join(Shipment, ShipmentLine.shipment_id == Shipment.id)
        .where(BatchMaterial.part_id.in_(part_ids)).group_by(BatchMaterial.part_id)).all())


@lru_cache(maxsize=4096)
def _future_months(bases: tuple[tuple[int, date | None], ...], today: date, fallback_months: int) -> tuple[float, ...]:
    """Share of today's installed base still under service in each month to the last service end
    (cached: the parts of one model share their installed base)."""
    total = sum(units for units, _end in bases)
    ends = [end for _units, end in bases if end is not None]
    horizon = max((month_index(end) - month_index(today) + 1 for end in ends), default=fallback_months)
    if not bases or total == 0:
        return (1.0,) * max(horizon, 0)
    ends_at = [(units, None if end is None else month_index(end)) for units, end in bases]
    now = month_index(today)
    return tuple(sum(units for units, end in ends_at if end is None or end >= now + step) / total
                 for step in range(max(horizon, 0)))


@dataclass(frozen=True, slots=True)
class Forecast:
    """One part's forecast, as stored in `part_forecast`."""

    part_id: int
    computed_at: datetime
    method: str
    monthly_demand: float
    months_left: int
    expected_demand: float
    service_level: Decimal
    last_time_buy: int
    on_hand: int
    verdict: str
    series: dict


def forecast_parts(part_ids: list[int], *, today: date | None = None, method: str = "sba",
                   service_level: Decimal = Decimal("0.95"), fallback_months: int = 60,
                   progress: Callable[[int, int], None] | None = None) -> list[Forecast]:
    """Forecast, last-time buy and review verdict of each part; replaces their stored forecasts
    (one DELETE and a bulk INSERT)."""
    today = today or date.today()
    start = add_months(date(today.year, today.month, 1), -HISTORY_MONTHS)
    end_of_last = date(today.year, today.month, 1)
    end_of_last = date.fromordinal(end_of_last.toordinal() - 1)
    results: list[Forecast] = []
    for i in range(0, len(part_ids), 1000):
        chunk = part_ids[i:i + 1000]
        series = history(chunk, start, end_of_last)
        firsts = first_shipped(chunk)
        installed = installed_base(chunk)
        stock = on_hand(chunk)
        returns = expected_returns(chunk, today)
        for part_id in chunk:
            since = max(month_index(firsts[part_id]) - month_index(start), 0) if part_id in firsts else 0
            results.append(_one(part_id, series[part_id][since:], tuple(sorted(installed.get(part_id, []), key=str)),
                                stock.get(part_id, 0),
                                returns.get(part_id, 0), today, method, service_level, fallback_months))
        if progress:
            progress(min(i + 1000, len(part_ids)), len(part_ids))
    table = PartForecast.__table__
    for i in range(0, len(part_ids), 1000):
        db.session.execute(delete(table).where(table.c.part_id.in_(part_ids[i:i + 1000])))
    if results:
        names = [field.name for field in fields(Forecast)]
        db.session.execute(insert(table), [{name: getattr(result, name) for name in names} for result in results])
    for stale in [obj for obj in db.session.identity_map.values() if isinstance(obj, PartForecast)]:
        db.session.expire(stale)
    return results


def _one(part_id, series, bases, stock, returns, today, method, service_level, fallback_months) -> Forecast:
    level = methods.forecast(series, method)
    shares = _future_months(bases, today, fallback_months)
    monthly = [level * share for share in shares]
    expected = sum(monthly)
    quantile = methods.poisson_quantile(expected, float(service_level)) if expected > 0 else 0
    need = max(quantile - stock - returns, 0)
    verdict = "under" if stock < quantile else ("over" if stock > 1.5 * quantile + 1 else "ok")
    score = methods.backtest(series, method=method)
    return Forecast(part_id=part_id, computed_at=utcnow(), method=method, monthly_demand=level,
                    months_left=len(shares), expected_demand=expected, service_level=service_level,
                    last_time_buy=need, on_hand=stock, verdict=verdict,
                    series={"start": month_index(today) - len(series), "history": series,
                            "forecast": [round(m, 3) for m in monthly], "quantile": quantile,
                            "backtest": score, "returns": returns})


@job("parts.forecast")
def forecast_job(ctx, method: str = "sba", service_level: str = "0.95", part_ids: list[int] | None = None):
    ids = part_ids or list(db.session.scalars(select(Part.id).order_by(Part.id)))
    done = forecast_parts(ids, method=method, service_level=Decimal(service_level),
                          progress=lambda n, total: ctx.progress(n, total, ""))
    return {"parts": len(done), "under": sum(f.verdict == "under" for f in done),
            "over": sum(f.verdict == "over" for f in done)}


def review_query(verdict: str | None = None):
    query = select(PartForecast).order_by(PartForecast.verdict.desc(), PartForecast.last_time_buy.desc())
    if verdict:
        query = query.where(PartForecast.verdict == verdict)
    return query
