"""The Hong Kong service point: its weekly visit schedule, the dated visits, and what waits there.

Returns reach the point two ways: RMAs routed there (portal.rma, `destination =
"hk_service_point"`, read by `sources.rma_waiting_at_service_point`), and items staff record at
the point by hand or that another capability registers with `receive_at_service_point(...)`
(ServicePointItem). The next visit collects both; collected items point at their visit.
"""
from __future__ import annotations

from datetime import date, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from ..auth.models import STAFF_ROLES, User
from ..catalogue.models import ProductModel
from ..extensions import db
from .errors import NetworkError
from .models import AuthorisedStation
from .service_point_models import ITEM_KINDS, ServicePointItem, ServicePointSchedule, ServicePointVisit
from .stations import hk_service_point


def schedule_of(station: AuthorisedStation) -> ServicePointSchedule | None:
    return db.session.scalar(select(ServicePointSchedule).where(ServicePointSchedule.station_id == station.id))


def next_visit_day(schedule: ServicePointSchedule | None, today: date) -> date | None:
    """The next scheduled visit on or after `today`."""
    if schedule is None:
        return None
    return today + timedelta(days=(schedule.weekday - today.weekday()) % 7)


def set_schedule(station: AuthorisedStation, weekday: int, visit_time: time, note: str = "") -> ServicePointSchedule:
    if not station.is_service_point:
        raise NetworkError(_("Only a service point has a visit schedule."))
    if weekday not in range(7):
        raise NetworkError(_("Choose a day of the week."), "weekday")
    schedule = schedule_of(station) or ServicePointSchedule(station_id=station.id)
    schedule.weekday, schedule.visit_time, schedule.note = weekday, visit_time, note
    db.session.add(schedule)
    db.session.flush()
    return schedule


def receive_at_service_point(client_id: int, kind: str, received_on: date, *, serial: str = "",
                             model_id: int | None = None, description: str = "", rma_ref: str = "",
                             station: AuthorisedStation | None = None) -> ServicePointItem:
    """Record a unit or board that arrived at the service point (default: Hong Kong) and waits
    for the next visit. Other capabilities may call this (RMA: pass its number as `rma_ref`)."""
    station = station or hk_service_point()
    if station is None or not station.is_service_point:
        raise NetworkError(_("There is no service point to receive this item."))
    if kind not in ITEM_KINDS:
        raise NetworkError(_("Choose unit or board."), "kind")
    if not (serial or description).strip():
        raise NetworkError(_("Enter a serial number or a description."), "serial")
    if model_id is not None and db.session.get(ProductModel, model_id) is None:
        raise NetworkError(_("Choose a model from the list."), "model_id")
    item = ServicePointItem(client_id=client_id, station_id=station.id, kind=kind, received_on=received_on,
                            serial=serial.strip(), model_id=model_id, description=description.strip(),
                            rma_ref=rma_ref.strip())
    db.session.add(item)
    db.session.flush()
    return item


def waiting_items(station: AuthorisedStation) -> list[ServicePointItem]:
    """Items at the point not collected yet, oldest first (clients and models loaded at once)."""
    from sqlalchemy.orm import joinedload

    stmt = (select(ServicePointItem).options(joinedload(ServicePointItem.model))
            .where(ServicePointItem.station_id == station.id, ServicePointItem.collected_visit_id.is_(None))
            .order_by(ServicePointItem.received_on, ServicePointItem.id))
    return list(db.session.scalars(stmt))


def visit_query(station: AuthorisedStation):
    return (select(ServicePointVisit).where(ServicePointVisit.station_id == station.id)
            .order_by(ServicePointVisit.visit_date.desc(), ServicePointVisit.id.desc()))


def record_visit(station: AuthorisedStation, visit_date: date, visitor_id: int, item_ids: list[int],
                 notes: str, today: date) -> ServicePointVisit:
    """A visit made (who went, what was collected): the items chosen leave the waiting list.
    Every item must be waiting at this point; otherwise nothing is written."""
    if not station.is_service_point:
        raise NetworkError(_("Only a service point has visits."))
    if visit_date > today:
        raise NetworkError(_("A visit is recorded once made: the date cannot be in the future."), "visit_date")
    visitor = db.session.get(User, visitor_id)
    if visitor is None or visitor.role not in STAFF_ROLES or not visitor.active:
        raise NetworkError(_("Choose the member of staff who went."), "visitor_id")
    items = []
    if item_ids:
        items = list(db.session.scalars(select(ServicePointItem).where(ServicePointItem.id.in_(item_ids))))
        if len(items) != len(set(item_ids)) or any(
                i.station_id != station.id or i.collected_visit_id is not None for i in items):
            raise NetworkError(_("Some of the chosen items are not waiting at this service point any more."),
                               "item_ids")
    visit = ServicePointVisit(station_id=station.id, visit_date=visit_date, visitor_id=visitor.id,
                              notes=notes.strip())
    db.session.add(visit)
    db.session.flush()
    for item in items:
        item.collected_visit_id = visit.id
    db.session.flush()
    return visit
