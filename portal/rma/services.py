"""Reading RMAs for pages and the API: lists (one query, columns only), work queues per
group, the turnaround of each stage from the timeline, and the price lists."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from ..db import utcnow
from ..extensions import db
from . import states
from .models import Rma, RmaEvent, RmaLine, RmaPartUsed

QUEUES = ("board_repair", "unit_repair", "hk_service_point", "station")


@dataclass
class RmaFilters:
    status: str | None = None
    destination: str | None = None
    client_id: int | None = None
    number: str | None = None
    open_only: bool = False


def rmas_query(filters: RmaFilters):
    query = select(Rma).options(selectinload(Rma.client)).order_by(Rma.id.desc())
    if filters.status:
        query = query.where(Rma.status == filters.status)
    if filters.destination:
        query = query.where(Rma.destination == filters.destination)
    if filters.client_id:
        query = query.where(Rma.client_id == filters.client_id)
    if filters.number:
        query = query.where(Rma.number.contains(filters.number.strip(), autoescape=True))
    if filters.open_only:
        query = query.where(Rma.status.not_in(states.FINAL))
    return query


def queue_query(group: str):
    """The RMAs of one group on which the team has the next move, the longest waiting first."""
    return (select(Rma).options(selectinload(Rma.client))
            .where(Rma.destination == group, Rma.status.in_(states.STAFF_STATES))
            .order_by(Rma.status_changed_at))


def get_rma(rma_id: int) -> Rma:
    return db.one_or_404(
        select(Rma).where(Rma.id == rma_id).options(
            joinedload(Rma.client), joinedload(Rma.station),
            selectinload(Rma.lines).joinedload(RmaLine.model),
            selectinload(Rma.lines).selectinload(RmaLine.parts).joinedload(RmaPartUsed.part),
            selectinload(Rma.events)))


def age(rma: Rma, now: datetime | None = None) -> timedelta:
    """Overall turnaround: request to close (or to now while open)."""
    return (rma.closed_at or now or utcnow()) - rma.created_at


def in_stage(rma: Rma, now: datetime | None = None) -> timedelta:
    return (now or utcnow()) - rma.status_changed_at if rma.status not in states.FINAL else timedelta(0)


@dataclass(frozen=True)
class Stage:
    status: str
    started: datetime
    ended: datetime | None
    duration: timedelta


def stages(rma: Rma, now: datetime | None = None) -> list[Stage]:
    """How long the RMA stayed in each state, from its events."""
    now = now or utcnow()
    events = list(rma.events)
    out = []
    for index, event in enumerate(events):
        ended = events[index + 1].at if index + 1 < len(events) else None
        if ended is None and event.to_status in states.FINAL:
            continue
        out.append(Stage(event.to_status, event.at, ended, (ended or now) - event.at))
    return out


def duration_text(delta: timedelta) -> str:
    """A short duration: 3 d 4 h, 5 h 12 min, 7 min (translated units)."""
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    if days:
        return _("%(days)s d %(hours)s h", days=days, hours=hours)
    if hours:
        return _("%(hours)s h %(minutes)s min", hours=hours, minutes=mins)
    return _("%(minutes)s min", minutes=mins)


# --- for other capabilities (the service network) --------------------------------------------

def shipped_towards(destination: str) -> list[Rma]:
    """RMAs routed to ``destination`` that the client has shipped and the ODM has not yet
    received, the longest waiting first, with their clients."""
    return list(db.session.scalars(
        select(Rma).options(selectinload(Rma.client))
        .where(Rma.destination == destination, Rma.status == "shipped")
        .order_by(Rma.status_changed_at, Rma.id)))


@dataclass(frozen=True)
class StationRepair:
    """One RMA line an authorised station received (and maybe shipped back), from the timeline."""
    station_id: int
    serial: str
    received_at: datetime
    shipped_back_at: datetime | None


def station_repairs_received(start: date, end: date) -> list[StationRepair]:
    """Lines of RMAs routed to authorised stations and first received in [start, end] (UTC
    days), with when each RMA was first shipped back: one query."""
    received = _first_event_at("received")
    returned = _first_event_at("shipped_back")
    stmt = (select(Rma.station_id, RmaLine.serial, received.c.at, returned.c.at)
            .join(RmaLine, RmaLine.rma_id == Rma.id)
            .join(received, received.c.rma_id == Rma.id)
            .outerjoin(returned, returned.c.rma_id == Rma.id)
            .where(Rma.station_id.is_not(None),
                   received.c.at >= datetime.combine(start, time(), tzinfo=timezone.utc),
                   received.c.at < datetime.combine(end + timedelta(days=1), time(), tzinfo=timezone.utc)))
    return [StationRepair(*row) for row in db.session.execute(stmt)]


def _first_event_at(status: str):
    """rma_id -> when the RMA first reached ``status`` (a subquery)."""
    return (select(RmaEvent.rma_id, func.min(RmaEvent.at).label("at"))
            .where(RmaEvent.to_status == status).group_by(RmaEvent.rma_id).subquery())
