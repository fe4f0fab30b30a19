"""Filing an RMA: every serial is checked against the shipments before anything is written.

A serial must have been shipped to the RMA's client; another client's serial is reported
exactly like one nobody recorded ("unknown"), so a client never learns that it exists. A
serial given twice is refused. The warranty of each line is taken for its part category on
the day of the request, under the contract in force on the unit's ship date: a buyout or
price-discount client carries its own warranty, so its units are out of the ODM's warranty
(the rule is portal.warranty.services.warranty_carrier, shared with the warranty look-up);
that contract also gives the months and grace days (warranty_terms_for, as in the look-up).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from contracts.domain import FAULT_CAUSES, warranty_end

from .. import audit
from ..clients.models import Client
from ..db import utcnow
from ..extensions import db
from ..network.models import AuthorisedStation
from ..schemes.services import contract_for, contract_histories, in_force
from ..shipments.models import Serial, Shipment, ShipmentLine
from ..warranty.services import carrier_under, local_today, warranty_terms_for
from .models import DESTINATIONS, KINDS, Rma, RmaEvent, RmaLine

MAX_LINES = 1000


class RmaInvalid(ValueError):
    """Nothing was written; `errors` maps a field to its messages (serials: one per problem)."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(m for ms in errors.values() for m in ms))


@dataclass
class RmaRequest:
    client_id: int
    kind: str
    destination: str
    serials: list[str]
    fault_description: str
    suspected_cause: str | None = None
    station_id: int | None = None
    sources: list[str] = field(default_factory=list)  # where each serial came from ("line 3", "row 4")


def _check_fields(spec: RmaRequest, on: date, errors: dict) -> AuthorisedStation | None:
    if spec.kind not in KINDS:
        errors.setdefault("kind", []).append(_("Choose what you send back."))
    if spec.destination not in DESTINATIONS:
        errors.setdefault("destination", []).append(_("Choose where the units go."))
    if spec.suspected_cause and spec.suspected_cause not in FAULT_CAUSES:
        errors.setdefault("suspected_cause", []).append(_("Unknown fault cause."))
    if not (spec.fault_description or "").strip():
        errors.setdefault("fault_description", []).append(_("Describe the fault."))
    elif len(spec.fault_description) > 5000:
        errors.setdefault("fault_description", []).append(_("At most 5,000 characters."))
    boards = spec.kind in ("main_board", "power_board")
    if spec.destination == "board_repair" and not boards:
        errors.setdefault("destination", []).append(_("The board repair group repairs boards, not whole units."))
    if spec.destination == "unit_repair" and boards:
        errors.setdefault("destination", []).append(_("Boards go to the board repair group."))
    station = None
    if spec.destination == "station":
        station = db.session.get(AuthorisedStation, spec.station_id) if spec.station_id else None
        if station is None:
            errors.setdefault("station_id", []).append(_("Choose an authorised repair station."))
        elif not station.authorised_on(on):
            errors.setdefault("station_id", []).append(
                _("The station %(code)s is not authorised on %(day)s.", code=station.code, day=on.isoformat()))
        elif not (station.board_repair if boards else station.unit_repair):
            errors.setdefault("station_id", []).append(
                _("The station %(code)s does not repair this kind of return.", code=station.code))
    return station


def _rows(serials: list[str], client_id: int) -> dict[str, object]:
    found = {}
    for start in range(0, len(serials), 1000):
        chunk = serials[start:start + 1000]
        for row in db.session.execute(
            select(Serial.serial, Shipment.client_id, Shipment.ship_date, ShipmentLine.model_id)
            .join(ShipmentLine, Serial.line_id == ShipmentLine.id)
            .join(Shipment, ShipmentLine.shipment_id == Shipment.id)
            .where(Serial.serial.in_(chunk))
        ):
            if row.client_id == client_id:  # another client's serial stays unknown
                found[row.serial] = row
    return found


def validate(spec: RmaRequest, on: date) -> tuple[dict[str, list[str]], dict, AuthorisedStation | None]:
    errors: dict[str, list[str]] = {}
    station = _check_fields(spec, on, errors)
    serials = [s.strip() for s in spec.serials]
    where = spec.sources or [_("entry %(n)s", n=i + 1) for i in range(len(serials))]
    problems = errors.setdefault("serials", [])
    if not any(serials):
        problems.append(_("Enter or upload at least one serial number."))
    elif len([s for s in serials if s]) > MAX_LINES:
        problems.append(_("At most %(n)s units in one RMA.", n=MAX_LINES))
    else:
        rows = _rows(list(dict.fromkeys(s for s in serials if s)), spec.client_id)
        seen: dict[str, str] = {}
        for serial, place in zip(serials, where):
            if not serial:
                continue
            if len(serial) > 64:
                problems.append(_("%(where)s: a serial number has at most 64 characters.", where=place))
            elif serial in seen:
                problems.append(_("%(where)s: %(serial)s is already on this RMA (%(first)s).",
                                  where=place, serial=serial, first=seen[serial]))
            elif serial not in rows:
                problems.append(_("%(where)s: unknown serial number %(serial)s.", where=place, serial=serial))
            seen.setdefault(serial, place)
        if not problems:
            return {k: v for k, v in errors.items() if v}, rows, station
    return {k: v for k, v in errors.items() if v}, {}, station


def _warranty(client_id: int, category: str, ship_date: date, on: date, cache: dict) -> tuple[bool, date | None]:
    """(in the ODM's warranty on `on`, its last covered day); (False, None) when the client
    carries the unit's warranty itself. The contract in force on the ship date decides who
    carries it and its months and grace days, as in the warranty look-up. `cache` holds the
    client's contracts (loaded once per RMA) and the terms per ship date."""
    if "contracts" not in cache:
        cache["contracts"] = contract_histories([client_id])[client_id]
    if ship_date not in cache:
        contract = in_force(cache["contracts"], ship_date)
        cache[ship_date] = carrier_under(contract), warranty_terms_for(contract)
    carrier, (months, grace) = cache[ship_date]
    if carrier.by_client:
        return False, None
    ends = warranty_end(ship_date, months[category], grace)
    return on <= ends, ends


def create_rma(spec: RmaRequest, user=None, on: date | None = None) -> Rma:
    """Validate and add the RMA, its lines and its first event; raises RmaInvalid with
    nothing written. The caller commits."""
    on = on or local_today()
    errors, rows, station = validate(spec, on)
    if errors:
        raise RmaInvalid(errors)
    client = db.session.get(Client, spec.client_id)
    today_contract = contract_for(client.id, on)
    rma = Rma(client_id=client.id, kind=spec.kind, destination=spec.destination,
              station_id=station.id if station else None, fault_description=spec.fault_description.strip(),
              suspected_cause=spec.suspected_cause or None, status="requested", status_changed_at=utcnow(),
              currency=today_contract.currency if today_contract else client.currency,
              scheme_key=today_contract.scheme_key if today_contract else None,
              created_by_id=getattr(user, "id", None))
    cache: dict = {}
    for position, serial in enumerate(dict.fromkeys(s.strip() for s in spec.serials if s.strip()), start=1):
        row = rows[serial]
        covered, ends = _warranty(client.id, spec.kind, row.ship_date, on, cache)
        rma.lines.append(RmaLine(client_id=client.id, position=position, serial=serial, category=spec.kind,
                                 model_id=row.model_id, ship_date=row.ship_date, in_warranty=covered,
                                 warranty_ends_on=ends))
    rma.line_count = len(rma.lines)
    db.session.add(rma)
    db.session.flush()
    rma.number = f"RMA-{rma.id:06d}"
    rma.events.append(RmaEvent(client_id=client.id, action="request", from_status=None, to_status="requested",
                               user_id=getattr(user, "id", None), user_name=getattr(user, "name", "") or "",
                               details={"units": rma.line_count}))
    audit.record("rma.request", rma, number=rma.number, units=rma.line_count)
    db.session.flush()
    return rma
