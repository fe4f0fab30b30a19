"""KPI arithmetic, in a few aggregate queries (no query per row).

Definitions (DOMAIN.md, "Complaint KPIs"), for one period [start, end] and one client or all:

* **complaint rate** = complaints opened in the period ÷ **shipments delivered** in the period,
  where a shipment delivered is one shipment document (one delivery) with its ship date in the
  period — not units: the published 10 % threshold is meant per delivery (a complaint is about
  a delivery, a model or a batch, never about one unit of thousands). No shipment → no rate.
* **resolution rate** = complaints closed by their deadline ÷ complaints due, where a complaint
  is due when its deadline falls in the period and has passed (deadline ≤ now); closed by its
  deadline = closed_at ≤ due_at (a reopened complaint is not closed).
* **satisfaction** = mean follow-up score of the complaints closed in the period.

Reads go through the ORM, so a signed-in client user only ever counts its own rows.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Date, and_, case, cast, func, select

from ..claims.models import Claim
from ..complaints.models import Complaint
from ..db import utcnow
from ..extensions import db
from ..shipments.models import Shipment, ShipmentLine

THRESHOLDS = {"complaint_rate": (Decimal("10"), "max"), "resolution_rate": (Decimal("90"), "min"),
              "satisfaction": (Decimal("70"), "min")}


@dataclass(frozen=True)
class Scope:
    start: date
    end: date
    client_id: int | None = None

    def begin_at(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=timezone.utc)

    def end_at(self) -> datetime:
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=timezone.utc)

    def confine(self, query, column):
        return query.where(column == self.client_id) if self.client_id is not None else query


def pct(part, whole, places: str = "0.1") -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def status(name: str, value: Decimal | None) -> str:
    """green / red against the published threshold; grey when there is nothing to measure."""
    if value is None:
        return "none"
    limit, kind = THRESHOLDS[name]
    ok = value <= limit if kind == "max" else value >= limit
    return "green" if ok else "red"


def complaint_kpis(scope: Scope, now: datetime | None = None) -> dict:
    now = now or utcnow()
    due_end = min(scope.end_at(), now)
    in_period = and_(Complaint.opened_on >= scope.start, Complaint.opened_on <= scope.end)
    is_due = and_(Complaint.due_at >= scope.begin_at(), Complaint.due_at < due_end)
    closed_in = and_(Complaint.closed_at >= scope.begin_at(), Complaint.closed_at < scope.end_at(),
                     Complaint.satisfaction.is_not(None))
    row = db.session.execute(scope.confine(select(
        func.sum(case((in_period, 1), else_=0)),
        func.sum(case((is_due, 1), else_=0)),
        func.sum(case((and_(is_due, Complaint.closed_at.is_not(None), Complaint.closed_at <= Complaint.due_at), 1),
                      else_=0)),
        func.sum(case((closed_in, Complaint.satisfaction), else_=0)),
        func.sum(case((closed_in, 1), else_=0)),
    ), Complaint.client_id)).one()
    opened, due, on_time, score_sum, scored = (int(v or 0) for v in row)
    shipments = db.session.scalar(scope.confine(
        select(func.count(Shipment.id)).where(Shipment.ship_date >= scope.start, Shipment.ship_date <= scope.end),
        Shipment.client_id)) or 0
    figures = {
        "opened": opened, "shipments": shipments, "due": due, "on_time": on_time, "scored": scored,
        "complaint_rate": pct(opened, shipments),
        "resolution_rate": pct(on_time, due),
        "satisfaction": (Decimal(score_sum) / scored).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if scored else None,
    }
    figures["status"] = {name: status(name, figures[name]) for name in THRESHOLDS}
    return figures


def claim_acceptance(scope: Scope) -> dict:
    rows = dict(db.session.execute(scope.confine(
        select(Claim.status, func.count(Claim.id))
        .where(Claim.decided_on >= scope.start, Claim.decided_on <= scope.end,
               Claim.status.in_(("accepted", "rejected"))).group_by(Claim.status), Claim.client_id)).all())
    accepted, rejected = rows.get("accepted", 0), rows.get("rejected", 0)
    return {"accepted": accepted, "rejected": rejected, "rate": pct(accepted, accepted + rejected)}


def rma_turnaround(scope: Scope) -> dict:
    """Mean days from receipt to shipping back, of the RMAs shipped back in the period."""
    from sqlalchemy.orm import aliased

    from ..rma.models import RmaEvent

    received, back = aliased(RmaEvent), aliased(RmaEvent)
    rows = db.session.execute(scope.confine(
        select(func.min(received.at), func.max(back.at))
        .join(received, and_(received.rma_id == back.rma_id, received.to_status == "received"))
        .where(back.to_status == "shipped_back", back.at >= scope.begin_at(), back.at < scope.end_at())
        .group_by(back.rma_id), back.client_id)).all()
    days = [(b - r).total_seconds() / 86400 for r, b in rows if r and b]
    mean = (Decimal(str(sum(days) / len(days)))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if days else None
    return {"count": len(days), "mean_days": mean}


def _day(column):
    return func.date(column) if db.engine.dialect.name == "sqlite" else cast(column, Date)


def _failure_sources(scope: Scope):
    """One aggregate query per source: (model, batch, cause, day, count), with the client column."""
    from ..rma.models import Rma, RmaLine
    from ..shipments.models import Serial

    def batch_of(serial_col):
        return lambda q: (q.outerjoin(Serial, Serial.serial == serial_col)
                          .outerjoin(ShipmentLine, ShipmentLine.id == Serial.line_id))

    rma = batch_of(RmaLine.serial)(
        select(RmaLine.model_id, ShipmentLine.batch_id, RmaLine.fault_cause, _day(Rma.created_at).label("day"),
               func.count(RmaLine.id))
        .join(Rma, Rma.id == RmaLine.rma_id)
    ).where(Rma.created_at >= scope.begin_at(), Rma.created_at < scope.end_at(), Rma.status != "declined")
    claims = batch_of(Claim.serial)(
        select(Claim.model_id, ShipmentLine.batch_id, Claim.fault_cause, Claim.repair_date.label("day"),
               func.count(Claim.id))
    ).where(Claim.repair_date >= scope.start, Claim.repair_date <= scope.end)
    complaints = (select(Complaint.model_id, Complaint.batch_id, Complaint.fault_cause,
                         Complaint.opened_on.label("day"), func.count(Complaint.id))
                  .where(Complaint.opened_on >= scope.start, Complaint.opened_on <= scope.end))
    return [(rma, Rma.client_id), (claims, Claim.client_id), (complaints, Complaint.client_id)]


def failures(scope: Scope) -> list[tuple[int | None, int | None, str | None, date, int]]:
    """(model id, batch id, cause, day, count) of every failure source, three GROUP BYs."""
    out = []
    for query, client_col in _failure_sources(scope):
        cols = query.selected_columns
        query = scope.confine(query, client_col).group_by(cols[0], cols[1], cols[2], cols[3])
        for model_id, batch_id, cause, day, count in db.session.execute(query):
            if isinstance(day, str):
                day = date.fromisoformat(day[:10])
            out.append((model_id, batch_id, cause, day, int(count)))
    return out


def pareto(rows) -> list[dict]:
    totals = defaultdict(int)
    for _model, _batch, cause, _day_, count in rows:
        totals[cause or "unknown"] += count
    grand = sum(totals.values())
    result, running = [], 0
    for cause, count in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])):
        running += count
        result.append({"cause": cause, "count": count, "cumulative": pct(running, grand)})
    return result


def month_key(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def failure_rate(scope: Scope, rows, by: str = "model", top: int = 5) -> dict:
    """Per month and model (or batch): failures in the month ÷ units of that model (batch)
    shipped up to the month's end (the installed base) × 100, for the `top` with most failures."""
    from ..catalogue.models import Batch, ProductModel

    index = 0 if by == "model" else 1
    counts = defaultdict(lambda: defaultdict(int))
    for row in rows:
        if row[index] is not None:
            counts[row[index]][month_key(row[3])] += row[4]
    months = []
    d = scope.start.replace(day=1)
    while d <= scope.end:
        months.append(month_key(d))
        d = (d + timedelta(days=32)).replace(day=1)
    chosen = sorted(counts, key=lambda k: (-sum(counts[k].values()), k))[:top]
    if not chosen:
        return {"months": months, "series": []}
    column = ShipmentLine.model_id if by == "model" else ShipmentLine.batch_id
    shipped = db.session.execute(scope.confine(
        select(column, Shipment.ship_date, func.sum(ShipmentLine.quantity))
        .join(Shipment, Shipment.id == ShipmentLine.shipment_id)
        .where(column.in_(chosen), Shipment.ship_date <= scope.end)
        .group_by(column, Shipment.ship_date), Shipment.client_id)).all()
    entity = ProductModel if by == "model" else Batch
    codes = dict(db.session.execute(select(entity.id, entity.code).where(entity.id.in_(chosen))).all())
    series = []
    for key in chosen:
        base = [(d, int(q)) for k, d, q in shipped if k == key]
        values = []
        for month in months:
            installed = sum(q for d, q in base if month_key(d) <= month)
            values.append(float(pct(counts[key][month], installed, "0.01")) if installed else None)
        series.append({"label": codes.get(key, str(key)), "data": values})
    return {"months": months, "series": series}


def dashboard(scope: Scope) -> dict:
    rows = failures(scope)
    return {"complaints": complaint_kpis(scope), "claims": claim_acceptance(scope),
            "rma": rma_turnaround(scope), "pareto": pareto(rows), "trend": failure_rate(scope, rows, "model"),
            "batch_trend": failure_rate(scope, rows, "batch")}
