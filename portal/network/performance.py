"""Station performance over a period: turnaround, repeat repairs within 30 days, claim
rejection rate and on-site first-time-fix rate.

The metric functions are pure (plain facts in, figures out); `station_performance` gathers
the facts through `sources` (RMA for authorised stations, claims for clients' stations) and
this package's on-site visits (the ODM's own home-city service, per technician). A source
that is not installed yields None: the page says "not available" rather than zero.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select

from ..extensions import db
from . import sources
from .models import AuthorisedStation, ClientStation
from .onsite import to_utc
from .onsite_models import OnsiteVisit

REPEAT_DAYS = 30
ONE_DECIMAL = Decimal("0.1")


def _ratio(part: int, whole: int) -> Decimal | None:
    """part ÷ whole as a percentage with one decimal, None when there is nothing to divide."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def turnaround_days(pairs: list[tuple[date, date | None]]) -> Decimal | None:
    """Mean days from received to returned, over the repairs returned; None if none was."""
    done = [(back - got).days for got, back in pairs if got is not None and back is not None]
    if not done:
        return None
    return (Decimal(sum(done)) / len(done)).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def repeat_count(repairs: list[tuple[str, date]], days: int = REPEAT_DAYS) -> int:
    """Repairs of a serial that the same station had repaired within `days` before."""
    last: dict[str, date] = {}
    repeats = 0
    for serial, day in sorted(repairs, key=lambda r: (r[1], r[0])):
        before = last.get(serial)
        if before is not None and (day - before) <= timedelta(days=days):
            repeats += 1
        last[serial] = day
    return repeats


def repeat_rate(repairs: list[tuple[str, date]], days: int = REPEAT_DAYS) -> Decimal | None:
    return _ratio(repeat_count(repairs, days), len(repairs))


def rejection_rate(statuses: list[str]) -> Decimal | None:
    """Rejected ÷ decided (accepted or rejected) claims, in %."""
    decided = [s for s in statuses if s in ("accepted", "rejected")]
    return _ratio(sum(1 for s in decided if s == "rejected"), len(decided))


def first_time_fix_rate(visits: list[tuple[str | None, bool]]) -> Decimal | None:
    """Visits fixed at once (outcome "fixed", no follow-up RMA) ÷ visits done, in %."""
    return _ratio(sum(1 for outcome, follow in visits if outcome == "fixed" and not follow), len(visits))


@dataclass
class Row:
    kind: str  # "authorised", "client", "technician"
    code: str
    name: str
    city: str = ""
    repairs: int | None = None
    turnaround: Decimal | None = None
    repeats: int | None = None
    repeat_rate: Decimal | None = None
    claims: int | None = None
    rejection_rate: Decimal | None = None
    visits: int | None = None
    first_time_fix: Decimal | None = None

    @property
    def has_figures(self) -> bool:
        return any(x is not None for x in (self.repairs, self.claims, self.visits))


@dataclass
class Report:
    start: date
    end: date
    rows: list[Row] = field(default_factory=list)
    rma_available: bool = True
    claims_available: bool = True


def onsite_facts(start: date, end: date) -> dict[int, list[tuple[str | None, bool]]]:
    """Done visits (completed or confirmed) that started in [start, end], per technician."""
    stmt = select(OnsiteVisit.technician_id, OnsiteVisit.outcome, OnsiteVisit.follow_up_rma).where(
        OnsiteVisit.status.in_(("completed", "confirmed")), OnsiteVisit.starts_at >= to_utc(start, time()),
        OnsiteVisit.starts_at < to_utc(end + timedelta(days=1), time()))
    found: dict[int, list] = defaultdict(list)
    for tech_id, outcome, follow in db.session.execute(stmt):
        found[tech_id].append((outcome, follow))
    return found


def station_performance(start: date, end: date) -> Report:
    from .onsite import technicians

    report = Report(start, end)
    repairs = sources.rma_repair_facts(start, end)
    report.rma_available = repairs is not None
    by_station: dict[int, list] = defaultdict(list)
    for fact in repairs or []:
        by_station[fact.station_id].append(fact)
    for station in db.session.scalars(select(AuthorisedStation).order_by(AuthorisedStation.code)):
        facts = by_station.get(station.id, [])
        row = Row("authorised", station.code, station.name, station.city)
        if repairs is not None and facts:
            row.repairs = len(facts)
            row.turnaround = turnaround_days([(f.received, f.returned) for f in facts])
            pairs = [(f.serial, f.received) for f in facts]
            row.repeats, row.repeat_rate = repeat_count(pairs), repeat_rate(pairs)
        report.rows.append(row)

    claims = sources.claim_facts(start, end)
    report.claims_available = claims is not None
    claims_by_station: dict[int, list] = defaultdict(list)
    for fact in claims or []:
        claims_by_station[fact.station_id].append(fact)
    stmt = select(ClientStation).order_by(ClientStation.client_id, ClientStation.code)
    for station in db.session.scalars(stmt):
        facts = claims_by_station.get(station.id, [])
        row = Row("client", station.code, station.name, station.city)
        if facts:
            pairs = [(f.serial, f.repair_date) for f in facts]
            row.claims = len(facts)
            row.repeats, row.repeat_rate = repeat_count(pairs), repeat_rate(pairs)
            row.rejection_rate = rejection_rate([f.status for f in facts])
        report.rows.append(row)

    visits = onsite_facts(start, end)
    for tech in technicians(active_only=False):
        done = visits.get(tech.id, [])
        row = Row("technician", tech.user.email.split("@")[0], tech.name)
        if done:
            row.visits, row.first_time_fix = len(done), first_time_fix_rate(done)
        report.rows.append(row)
    return report


def chart_data(report: Report, labels: dict[str, str]) -> dict:
    """Chart.js data: per row with any figure, the three rates (%)."""
    rows = [r for r in report.rows if any(x is not None for x in (r.repeat_rate, r.rejection_rate, r.first_time_fix))]
    as_float = lambda v: float(v) if v is not None else None  # noqa: E731  (Chart.js takes numbers)
    return {
        "labels": [r.code for r in rows],
        "datasets": [
            {"label": labels["repeat"], "data": [as_float(r.repeat_rate) for r in rows]},
            {"label": labels["rejection"], "data": [as_float(r.rejection_rate) for r in rows]},
            {"label": labels["ftf"], "data": [as_float(r.first_time_fix) for r in rows]},
        ],
    }
