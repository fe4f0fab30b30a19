"""On-site service within the home city: requests, scheduling without double-booking,
results and client confirmation, and each technician's week.

Times: the form speaks the home city's local time (config NETWORK_TIMEZONE, default
Asia/Shanghai); the database keeps UTC.

Double-booking guard: scheduling locks the technician's row (SELECT ... FOR UPDATE on
PostgreSQL) and bumps its `schedule_version` before looking for overlaps, inside a SAVEPOINT.
Two concurrent schedulers for one technician therefore run one after the other (PostgreSQL:
the row lock; SQLite: the database write lock the UPDATE takes), and the second sees the
first's visit and is refused. A refusal rolls the SAVEPOINT back: nothing is saved.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import joinedload

from ..auth.models import User
from ..db import utcnow
from ..extensions import db
from .errors import NetworkError, SchedulingConflict
from .onsite_models import OUTCOMES, OnsiteVisit, Technician

BUSY = ("scheduled", "completed", "confirmed")  # visits that hold a technician's time
MIN_MINUTES, MAX_MINUTES = 15, 12 * 60
DAY_START, DAY_END = 8, 20  # hours shown on the week grid


def local_zone() -> ZoneInfo:
    name = current_app.config.get("NETWORK_TIMEZONE", "Asia/Shanghai") if has_app_context() else "Asia/Shanghai"
    return ZoneInfo(name)


def to_utc(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=local_zone()).astimezone(ZoneInfo("UTC"))


def local(moment: datetime | None) -> datetime | None:
    return moment.astimezone(local_zone()) if moment is not None else None


# --- technicians ----------------------------------------------------------------------------

def technicians(active_only: bool = True) -> list[Technician]:
    stmt = select(Technician).join(Technician.user).order_by(User.name)
    if active_only:
        stmt = stmt.where(Technician.active.is_(True))
    return list(db.session.scalars(stmt))


def add_technician(user_id: int, skills: str = "") -> Technician:
    """Mark an internal after-sales user (role staff) as a technician."""
    user = db.session.get(User, user_id)
    if user is None or user.role != "staff" or not user.active:
        raise NetworkError(_("A technician is an active after-sales staff user."), "user_id")
    found = db.session.scalar(select(Technician).where(Technician.user_id == user.id))
    if found is not None:
        found.active, found.skills = True, skills or found.skills
        db.session.flush()
        return found
    tech = Technician(user_id=user.id, skills=skills.strip())
    db.session.add(tech)
    db.session.flush()
    return tech


# --- requests -------------------------------------------------------------------------------

def request_visit(client_id: int, requested_by_id: int | None, values: dict, today: date) -> OnsiteVisit:
    """A client asks for a visit: address and fault are required; a preferred date is not past."""
    address, fault = (values.get("address") or "").strip(), (values.get("fault") or "").strip()
    if not address:
        raise NetworkError(_("Enter the address of the visit."), "address")
    if not fault:
        raise NetworkError(_("Describe the fault."), "fault")
    preferred = values.get("preferred_date")
    if preferred is not None and preferred < today:
        raise NetworkError(_("The preferred date cannot be in the past."), "preferred_date")
    visit = OnsiteVisit(
        client_id=client_id, requested_by_id=requested_by_id, model_id=values.get("model_id") or None,
        address=address, fault=fault, serials="\n".join(_serials(values.get("serials") or "")),
        contact_name=(values.get("contact_name") or "").strip(), contact_phone=(values.get("contact_phone") or "").strip(),
        preferred_times=(values.get("preferred_times") or "").strip(), preferred_date=preferred)
    db.session.add(visit)
    db.session.flush()
    return visit


def _serials(text: str) -> list[str]:
    seen = []
    for token in text.replace(",", "\n").replace(";", "\n").split():
        if token not in seen:
            seen.append(token)
    return seen


def visit_query(status: str = "", technician_id: int | None = None):
    stmt = (select(OnsiteVisit).options(joinedload(OnsiteVisit.technician), joinedload(OnsiteVisit.model))
            .order_by(OnsiteVisit.created_at.desc(), OnsiteVisit.id.desc()))
    if status:
        stmt = stmt.where(OnsiteVisit.status == status)
    if technician_id:
        stmt = stmt.where(OnsiteVisit.technician_id == technician_id)
    return stmt


# --- scheduling -----------------------------------------------------------------------------

def schedule_visit(visit: OnsiteVisit, technician_id: int, day: date, start: time, minutes: int,
                   now: datetime | None = None) -> OnsiteVisit:
    """Give the visit a technician and a slot. Raises SchedulingConflict when the technician has
    another visit overlapping it, NetworkError on bad input; either way nothing is saved."""
    if visit.status not in ("requested", "scheduled"):
        raise NetworkError(_("Only a requested or scheduled visit can be (re)scheduled."))
    if not (MIN_MINUTES <= minutes <= MAX_MINUTES):
        raise NetworkError(_("A visit lasts between %(low)d minutes and %(high)d hours.",
                             low=MIN_MINUTES, high=MAX_MINUTES // 60), "minutes")
    starts = to_utc(day, start)
    ends = starts + timedelta(minutes=minutes)
    if starts < (now or utcnow()):
        raise NetworkError(_("The slot must be in the future."), "day")
    try:
        return _schedule_locked(visit, technician_id, starts, ends)
    except OperationalError as error:  # SQLite: another writer holds the database; nothing was saved
        if "locked" not in str(error).lower() and "busy" not in str(error).lower():
            raise
        raise SchedulingConflict(_("The technician's calendar is being changed by someone else; try again."),
                                 "day") from None


def _schedule_locked(visit: OnsiteVisit, technician_id: int, starts: datetime, ends: datetime) -> OnsiteVisit:
    with db.session.begin_nested():
        # Lock the technician's row alone (the joined user may not be locked on PostgreSQL), then load it fresh.
        db.session.execute(select(Technician.id).where(Technician.id == technician_id).with_for_update())
        tech = db.session.scalar(select(Technician).where(Technician.id == technician_id)
                                 .execution_options(populate_existing=True))
        if tech is None or not tech.active:
            raise NetworkError(_("Choose an active technician."), "technician_id")
        tech.schedule_version += 1
        db.session.flush()  # takes the write lock (SQLite) before we read the calendar
        clash = db.session.scalar(
            select(OnsiteVisit).where(OnsiteVisit.technician_id == tech.id, OnsiteVisit.id != visit.id,
                                      OnsiteVisit.status.in_(BUSY), OnsiteVisit.starts_at < ends,
                                      OnsiteVisit.ends_at > starts)
            .order_by(OnsiteVisit.starts_at).limit(1))
        if clash is not None:
            raise SchedulingConflict(_(
                "%(name)s already has a visit from %(start)s to %(end)s; choose another slot or technician.",
                name=tech.name, start=local(clash.starts_at).strftime("%Y-%m-%d %H:%M"),
                end=local(clash.ends_at).strftime("%H:%M")), "day")
        visit.technician_id, visit.starts_at, visit.ends_at = tech.id, starts, ends
        visit.status = "scheduled"
        db.session.flush()
    return visit


def complete_visit(visit: OnsiteVisit, outcome: str, parts_used: str, follow_up_rma: bool, notes: str) -> OnsiteVisit:
    if visit.status != "scheduled":
        raise NetworkError(_("Only a scheduled visit can be completed."))
    if outcome not in OUTCOMES:
        raise NetworkError(_("Say whether the fault was fixed."), "outcome")
    visit.outcome, visit.parts_used, visit.follow_up_rma = outcome, parts_used.strip(), bool(follow_up_rma)
    visit.result_notes, visit.status, visit.completed_at = notes.strip(), "completed", utcnow()
    db.session.flush()
    return visit


def confirm_visit(visit: OnsiteVisit, feedback: str) -> OnsiteVisit:
    if visit.status != "completed":
        raise NetworkError(_("Only a completed visit can be confirmed."))
    visit.status, visit.confirmed_at, visit.client_feedback = "confirmed", utcnow(), feedback.strip()
    db.session.flush()
    return visit


def cancel_visit(visit: OnsiteVisit) -> OnsiteVisit:
    if visit.status not in ("requested", "scheduled"):
        raise NetworkError(_("Only a requested or scheduled visit can be cancelled."))
    visit.status = "cancelled"
    db.session.flush()
    return visit


# --- the week -------------------------------------------------------------------------------

def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass
class WeekGrid:
    monday: date
    days: list[date]
    hours: list[int]
    cells: dict[tuple[int, int], list[OnsiteVisit]]  # (weekday, hour) -> visits starting then
    early_late: dict[int, list[OnsiteVisit]]  # weekday -> visits outside the grid's hours
    spans: dict[tuple[int, int], int] = field(default_factory=dict)  # rows a starting cell covers
    covered: set[tuple[int, int]] = field(default_factory=set)  # cells inside a longer visit's span

    def span_cells(self) -> None:
        """Let a visit's cell run down the hours it lasts, unless another visit starts there."""
        for (weekday, hour), visits in sorted(self.cells.items()):
            if (weekday, hour) in self.covered:
                continue
            end = max(local(v.ends_at) for v in visits)
            start_of_hour = local(visits[0].starts_at).replace(minute=0, second=0, microsecond=0)
            rows = max(1, -(-int((end - start_of_hour).total_seconds()) // 3600))
            rows = min(rows, DAY_END - hour)
            for extra in range(1, rows):
                if (weekday, hour + extra) in self.cells:
                    rows = extra
                    break
            self.spans[(weekday, hour)] = rows
            self.covered.update((weekday, hour + extra) for extra in range(1, rows))

    @property
    def previous(self) -> date:
        return self.monday - timedelta(days=7)

    @property
    def next(self) -> date:
        return self.monday + timedelta(days=7)


def technician_week(technician_id: int, day: date) -> WeekGrid:
    """The week (Monday to Sunday, local time) holding `day`: the technician's visits by day and hour."""
    monday = monday_of(day)
    start, end = to_utc(monday, time()), to_utc(monday + timedelta(days=7), time())
    stmt = (select(OnsiteVisit).options(joinedload(OnsiteVisit.model))
            .where(OnsiteVisit.technician_id == technician_id, OnsiteVisit.status.in_(BUSY),
                   OnsiteVisit.starts_at < end, OnsiteVisit.ends_at > start)
            .order_by(OnsiteVisit.starts_at))
    grid = WeekGrid(monday, [monday + timedelta(days=i) for i in range(7)], list(range(DAY_START, DAY_END)), {}, {})
    for visit in db.session.scalars(stmt):
        at = local(visit.starts_at)
        weekday = (at.date() - monday).days
        if weekday < 0:
            weekday, hour = 0, DAY_START
        else:
            hour = at.hour
        if DAY_START <= hour < DAY_END:
            grid.cells.setdefault((weekday, hour), []).append(visit)
        else:
            grid.early_late.setdefault(weekday, []).append(visit)
    grid.span_cells()
    return grid
