"""Pre-authorisation requests: a station asks before a repair above the contract's
pre-authorisation threshold; the after-sales team approves or declines."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from contracts.domain import REPAIR_LEVELS

from ..audit import record
from ..db import utcnow
from ..extensions import db
from ..network.models import ClientStation
from ..shipments.validation import Errors
from .intake import SERIAL, parse_amount
from .models import PreAuthorisation
from .review import COMMENT_MAX, ReviewError

PLANNED_MAX = 4000


@dataclass
class PreAuthInput:
    serial: object = ""
    station: object = ""
    repair_level: object = ""
    planned_repair: object = ""
    estimated_amount: object = ""


class PreAuthInvalid(Exception):
    def __init__(self, errors: Errors):
        super().__init__("invalid pre-authorisation request")
        self.errors = errors


def request_preauth(client_id: int, currency: str, given: PreAuthInput, user) -> PreAuthorisation:
    errors = Errors()
    serial = str(given.serial or "").strip()
    if not SERIAL.fullmatch(serial):
        errors.add("serial", _("Give the serial number (letters, digits, . _ / -; at most 64)."))
    code = str(given.station or "").strip()
    station = db.session.scalars(select(ClientStation).where(
        ClientStation.client_id == client_id, ClientStation.code == code, ClientStation.active)).first()
    if station is None:
        errors.add("station", _("Choose one of your company's active stations."))
    level = str(given.repair_level or "").strip()
    if level not in REPAIR_LEVELS:
        errors.add("repair_level", _("Choose one of: %(choices)s.", choices=", ".join(REPAIR_LEVELS)))
    planned = str(given.planned_repair or "").strip()
    if not planned:
        errors.add("planned_repair", _("Describe the planned repair."))
    elif len(planned) > PLANNED_MAX:
        errors.add("planned_repair", _("At most %(n)s characters.", n=PLANNED_MAX))
    amount = parse_amount(given.estimated_amount, errors, "estimated_amount", currency)
    if amount is not None and amount <= 0:
        errors.add("estimated_amount", _("Give the estimated amount."))
    if errors:
        raise PreAuthInvalid(errors)
    preauth = PreAuthorisation(client_id=client_id, serial=serial, station_id=station.id, repair_level=level,
                               planned_repair=planned, estimated_amount=amount or Decimal(0), currency=currency,
                               requested_by_id=user.id)
    db.session.add(preauth)
    db.session.flush()
    record("claim.preauthorisation.request", preauth)
    return preauth


def decide_preauth(preauth: PreAuthorisation, user, approve: bool, comment: str) -> None:
    if preauth.status != "pending":
        raise ReviewError(_("This request has already been decided."), "action")
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ReviewError(_("Write why the request is declined."))
    if len(comment) > COMMENT_MAX:
        raise ReviewError(_("At most %(n)s characters.", n=COMMENT_MAX))
    preauth.status = "approved" if approve else "declined"
    preauth.comment = comment
    preauth.decided_by_id = user.id
    preauth.decided_at = utcnow()
    record("claim.preauthorisation.decide", preauth, decision=preauth.status)
