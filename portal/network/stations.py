"""Authorised repair stations and clients' own service stations: queries other capabilities
call (claims, RMA) and the rules about who may receive work.

    authorised_stations_for(day, capability, model_id=None) -> list[AuthorisedStation]
    ensure_can_receive(station, day, capability)          raises StationCannotReceive
    hk_service_point() -> AuthorisedStation | None
    client_stations(client_id) -> list[ClientStation]
"""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ..clients.services import like
from ..extensions import db
from .errors import NetworkError, StationCannotReceive
from .models import REGIONS, AuthorisedStation, ClientStation, station_model

# What a station may be authorised for: the name of its flag column, and its label.
CAPABILITIES = {
    "unit_repair": _l("Unit repair"),
    "board_repair": _l("Board repair"),
    "onsite": _l("On-site service"),
}
HK_SERVICE_POINT_CODE = "HK-SP"


def _capability_column(capability: str):
    if capability not in CAPABILITIES:
        raise ValueError(f"unknown capability {capability!r}")
    return getattr(AuthorisedStation, capability)


def authorised_on_clause(day: date):
    return (AuthorisedStation.authorised_from <= day) & or_(
        AuthorisedStation.authorised_until.is_(None), AuthorisedStation.authorised_until >= day)


def station_query(region: str = "", capability: str = "", q: str = "", status: str = "",
                  model_id: int | None = None, today: date | None = None):
    """Authorised stations (and service points) by region, code; filters for the list page.
    `status`: "active" (authorised today), "expired", "" (all)."""
    today = today or date.today()
    stmt = select(AuthorisedStation).options(selectinload(AuthorisedStation.models)).order_by(
        AuthorisedStation.region, AuthorisedStation.city, AuthorisedStation.code)
    if region in REGIONS:
        stmt = stmt.where(AuthorisedStation.region == region)
    if capability in CAPABILITIES:
        stmt = stmt.where(_capability_column(capability).is_(True))
    q = (q or "").strip()
    if q:
        pattern = like(q)
        stmt = stmt.where(or_(AuthorisedStation.code.ilike(pattern, escape="\\"),
                              AuthorisedStation.name.ilike(pattern, escape="\\"),
                              AuthorisedStation.city.ilike(pattern, escape="\\")))
    if status == "active":
        stmt = stmt.where(authorised_on_clause(today))
    elif status == "expired":
        stmt = stmt.where(~authorised_on_clause(today))
    if model_id:
        stmt = stmt.where(or_(
            AuthorisedStation.id.in_(select(station_model.c.station_id).where(station_model.c.model_id == model_id)),
            ~AuthorisedStation.id.in_(select(station_model.c.station_id))))
    return stmt


def authorised_stations_for(day: date, capability: str, model_id: int | None = None) -> list[AuthorisedStation]:
    """Stations (not service points) authorised on `day` for `capability` ("unit_repair",
    "board_repair", "onsite") and, when given, for the model (a station with no model list is
    authorised for every model). Ordered by region, city, code."""
    stmt = station_query(capability=capability, model_id=model_id).where(
        authorised_on_clause(day), AuthorisedStation.is_service_point.is_(False))
    return list(db.session.scalars(stmt))


def can_receive(station: AuthorisedStation, day: date, capability: str, model_id: int | None = None) -> bool:
    try:
        ensure_can_receive(station, day, capability, model_id)
    except StationCannotReceive:
        return False
    return True


def ensure_can_receive(station: AuthorisedStation, day: date, capability: str, model_id: int | None = None) -> None:
    """Raise StationCannotReceive (translated message) unless `station` may receive work of
    `capability` on `day` (and for `model_id`, when given)."""
    column_name = _capability_column(capability).key
    if day < station.authorised_from:
        raise StationCannotReceive(_("Station %(code)s is authorised only from %(day)s.",
                                     code=station.code, day=station.authorised_from.isoformat()))
    if station.authorised_until is not None and day > station.authorised_until:
        raise StationCannotReceive(_("The authorisation of station %(code)s expired on %(day)s; it cannot receive work.",
                                     code=station.code, day=station.authorised_until.isoformat()))
    if not getattr(station, column_name):
        raise StationCannotReceive(_("Station %(code)s is not authorised for %(capability)s.",
                                     code=station.code, capability=str(CAPABILITIES[capability]).lower()))
    if model_id is not None and station.models and model_id not in {m.id for m in station.models}:
        raise StationCannotReceive(_("Station %(code)s is not authorised for this model.", code=station.code))


def hk_service_point() -> AuthorisedStation | None:
    """The ODM's Hong Kong service point (overseas returns of units and boards)."""
    return db.session.scalar(select(AuthorisedStation).where(
        AuthorisedStation.is_service_point.is_(True), AuthorisedStation.region == "hong_kong"
    ).order_by(AuthorisedStation.id).limit(1))


def client_stations(client_id: int, active_only: bool = True) -> list[ClientStation]:
    """A client's own service stations (they submit repair claims), by code."""
    stmt = select(ClientStation).where(ClientStation.client_id == client_id).order_by(ClientStation.code)
    if active_only:
        stmt = stmt.where(ClientStation.active.is_(True))
    return list(db.session.scalars(stmt))


def client_station_query(client_id: int | None = None, region: str = "", q: str = ""):
    """Client stations for the list page; the tenancy hook confines a client user to its own."""
    stmt = select(ClientStation).order_by(ClientStation.client_id, ClientStation.code)
    if client_id:
        stmt = stmt.where(ClientStation.client_id == client_id)
    if region in REGIONS:
        stmt = stmt.where(ClientStation.region == region)
    q = (q or "").strip()
    if q:
        pattern = like(q)
        stmt = stmt.where(or_(ClientStation.code.ilike(pattern, escape="\\"),
                              ClientStation.name.ilike(pattern, escape="\\"),
                              ClientStation.city.ilike(pattern, escape="\\")))
    return stmt


CLIENT_STATION_FIELDS = ("code", "name", "city", "region", "address", "contact_name", "contact_phone",
                         "contact_email", "active")


def save_client_station(station: ClientStation | None, client_id: int, values: dict) -> ClientStation:
    """Create (station None) or update a client's station; a code already used by the client
    is a NetworkError on the code field, with nothing written."""
    if values.get("region") not in REGIONS:
        raise NetworkError(_("Choose a region."), "region")
    clash = db.session.scalar(select(ClientStation.id).where(
        ClientStation.client_id == client_id, ClientStation.code == values.get("code"),
        ClientStation.id != (station.id if station is not None else -1)))
    if clash is not None:
        raise NetworkError(_("This client already has a station with code %(code)s.", code=values.get("code")),
                           "code")
    if station is None:
        station = ClientStation(client_id=client_id)
        db.session.add(station)
    for name in CLIENT_STATION_FIELDS:
        if name in values:
            setattr(station, name, values[name])
    db.session.flush()
    return station
