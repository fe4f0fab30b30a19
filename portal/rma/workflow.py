"""Moving an RMA through its states (the table is portal.rma.states), diagnosing its units,
and telling the client when it has to act. Pages and the API call `perform` (or `apply`
inside a larger transaction); an illegal step raises TransitionRefused and changes nothing."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from contracts.domain import FAULT_CAUSES, REPAIR_LEVELS, round_money

from .. import audit
from ..catalogue.models import Part
from ..db import utcnow
from ..extensions import db
from ..labels import label
from ..warranty.services import local_today
from . import charges, notify, states
from .models import OUTCOMES, Rma, RmaEvent, RmaLine, RmaPartUsed

STAFF_ROLES = ("staff", "quality", "admin")
TEXT_MAX = 80


class TransitionRefused(ValueError):
    def __init__(self, message: str, field: str | None = None):
        self.message, self.field = message, field
        super().__init__(message)


def _text(data: dict, name: str, required_message: str | None = None, limit: int = TEXT_MAX) -> str:
    value = (data.get(name) or "").strip()
    if required_message and not value:
        raise TransitionRefused(required_message, name)
    if len(value) > limit:
        raise TransitionRefused(_("At most %(n)s characters.", n=limit), name)
    return value


def may_act(user, transition: states.Transition, rma: Rma) -> bool:
    if user is None:
        return False
    if user.role in STAFF_ROLES:
        return True
    return transition.actor == states.CLIENT and user.client_id == rma.client_id


def actions_for(user, rma: Rma) -> list[states.Transition]:
    return [t for t in states.available(rma.status) if may_act(user, t, rma)]


def apply(rma: Rma, action: str, user, **data) -> states.Transition:
    """Take `action` on `rma` as `user`; raises TransitionRefused (nothing changed) when the
    table has no such step from the current state, the user may not take it, or data is missing."""
    transition = states.find(rma.status, action)
    if transition is None:
        raise TransitionRefused(_("An RMA that is %(status)s cannot be moved by “%(action)s”.",
                                  status=label("rma_status", rma.status), action=label("rma_action", action)))
    if not may_act(user, transition, rma):
        raise TransitionRefused(_("Only the after-sales team can take this step."))
    note = _text(data, "note", limit=1000)
    details: dict = {}
    handler = _HANDLERS.get(action)
    if handler is not None:
        details = handler(rma, transition, data) or {}
    now = utcnow()
    rma.events.append(RmaEvent(client_id=rma.client_id, action=action, from_status=rma.status,
                               to_status=transition.target, user_id=getattr(user, "id", None),
                               user_name=getattr(user, "name", "") or "", note=note, details=details, at=now))
    rma.status, rma.status_changed_at = transition.target, now
    if transition.target in states.FINAL:
        rma.closed_at = now
    audit.record(f"rma.{action}", rma, number=rma.number, to=transition.target)
    db.session.flush()
    return transition


def perform(rma: Rma, action: str, user, **data) -> states.Transition:
    """apply, commit, then e-mail the client when it has to act (or its units are on the way)."""
    try:
        transition = apply(rma, action, user, **data)
    except TransitionRefused:
        db.session.rollback()
        raise
    db.session.commit()
    notify.after(rma, transition)
    return transition


# --- what each step needs -----------------------------------------------------------------

def _decline(rma, transition, data):
    rma.decline_reason = _text(data, "reason", _("Give the reason for declining."), 500)
    return {"reason": rma.decline_reason}


def _ship(rma, transition, data):
    rma.carrier = _text(data, "carrier", _("Name the carrier."))
    rma.tracking = _text(data, "tracking", _("Give the tracking number."))
    return {"carrier": rma.carrier, "tracking": rma.tracking}


def _receive(rma, transition, data):
    scanned = [s.strip() for s in data.get("serials") or [] if s and s.strip()]
    if not scanned:
        raise TransitionRefused(_("Scan or type the serial numbers of the units received."), "serials")
    scanned = list(dict.fromkeys(scanned))
    expected = {line.serial: line for line in rma.lines}
    unexpected = [s for s in scanned if s not in expected]
    if any(len(s) > 64 for s in unexpected):
        raise TransitionRefused(_("A serial number has at most 64 characters."), "serials")
    missing = [serial for serial in expected if serial not in scanned]
    if len(missing) == len(expected):
        raise TransitionRefused(_("None of the scanned units is on this RMA."), "serials")
    for line in rma.lines:
        line.receipt = "missing" if line.serial in missing else "received"
    position = len(rma.lines)
    for serial in unexpected:
        position += 1
        rma.lines.append(RmaLine(client_id=rma.client_id, position=position, serial=serial, category=rma.kind,
                                 receipt="unexpected"))
    return {"received": len(scanned) - len(unexpected), "missing": missing, "unexpected": unexpected}


def _diagnose(rma, transition, data):
    waiting = [line.serial for line in rma.lines if line.receipt == "received" and line.diagnosed_at is None]
    if waiting:
        raise TransitionRefused(_("Diagnose every unit received first: %(serials)s.", serials=", ".join(waiting[:10])))
    return {"charge": str(total_charge(rma))}


def _quote(rma, transition, data):
    total = total_charge(rma)
    if total <= 0:
        raise TransitionRefused(_("Nothing is chargeable on this RMA: record the work as done instead."))
    rma.quote_total = total
    return {"total": str(total), "currency": rma.currency}


def _repair(rma, transition, data):
    if transition.source == "diagnosed" and total_charge(rma) > 0:
        raise TransitionRefused(_("This RMA has chargeable repairs: send the quote first."))
    return {"outcomes": {line.serial: line.outcome for line in rma.lines if line.outcome}}


def _ship_back(rma, transition, data):
    rma.return_carrier = _text(data, "carrier", _("Name the carrier."))
    rma.return_tracking = _text(data, "tracking", _("Give the tracking number."))
    if rma.quote_total and any(e.action == "accept" for e in rma.events):
        rma.charged_on = local_today()
    return {"carrier": rma.return_carrier, "tracking": rma.return_tracking}


_HANDLERS = {"decline": _decline, "ship": _ship, "receive": _receive, "diagnose": _diagnose, "quote": _quote,
             "repair": _repair, "ship_back": _ship_back}


def total_charge(rma: Rma):
    return round_money(sum((line.charge for line in rma.lines if line.receipt == "received"), charges.ZERO),
                       rma.currency)


# --- diagnosis of one unit --------------------------------------------------------------

@dataclass
class Diagnosis:
    fault_cause: str
    repair_level: str | None
    outcome: str
    parts: list[tuple[str, int]]  # (part number, quantity)
    note: str = ""


def diagnose_line(line: RmaLine, diagnosis: Diagnosis, user) -> RmaLine:
    """Record the diagnosis and the charge of one received unit; when it is the last one,
    the RMA moves to "diagnosed". Raises TransitionRefused with nothing changed."""
    rma = line.rma
    if rma.status != "received":
        raise TransitionRefused(_("Units are diagnosed once the RMA is received and before it is diagnosed."))
    if getattr(user, "role", None) not in STAFF_ROLES:
        raise TransitionRefused(_("Only the after-sales team can take this step."))
    if line.receipt != "received":
        raise TransitionRefused(_("Only a unit that was received can be diagnosed."))
    if diagnosis.fault_cause not in FAULT_CAUSES:
        raise TransitionRefused(_("Choose the fault cause."), "fault_cause")
    if diagnosis.outcome not in OUTCOMES:
        raise TransitionRefused(_("Choose repaired, refurbished or scrapped."), "outcome")
    level = diagnosis.repair_level or None
    if level is not None and level not in REPAIR_LEVELS:
        raise TransitionRefused(_("Choose the repair level."), "repair_level")
    numbers = [n.strip() for n, _q in diagnosis.parts]
    found = {p.number: p for p in db.session.scalars(select(Part).where(Part.number.in_(numbers)))} if numbers else {}
    parts = []
    for number, quantity in diagnosis.parts:
        part = found.get(number.strip())
        if part is None:
            raise TransitionRefused(_("Unknown part number %(number)s.", number=number), "parts")
        if not isinstance(quantity, int) or not 0 < quantity <= 99:
            raise TransitionRefused(_("A quantity is a whole number from 1 to 99."), "parts")
        parts.append((part, quantity))
    rule = charges.charge_rule(diagnosis.fault_cause, line.in_warranty)
    if rule == charges.LABOUR_PARTS and level is None:
        raise TransitionRefused(_("This repair is charged by repair level: choose it."), "repair_level")
    try:
        charge = charges.compute(diagnosis.fault_cause, line.in_warranty, level, parts, rma.currency)
    except charges.NoPriceList as exc:
        raise TransitionRefused(str(exc)) from exc
    line.fault_cause, line.repair_level, line.outcome = diagnosis.fault_cause, level, diagnosis.outcome
    line.diagnosis = (diagnosis.note or "").strip()[:5000]
    line.charge_rule, line.labour, line.parts_amount, line.charge = (
        charge.rule, charge.labour, charge.parts_amount, charge.total)
    line.quality_record = charge.quality_record
    line.diagnosed_at, line.diagnosed_by_id = utcnow(), getattr(user, "id", None)
    line.parts.clear()
    for priced in charge.parts:
        line.parts.append(RmaPartUsed(client_id=rma.client_id, part=priced.part, quantity=priced.quantity,
                                      unit_price=priced.unit_price, amount=priced.amount))
    if charge.quality_record:
        audit.record("quality.packaging_transport_damage", rma, number=rma.number, serial=line.serial)
    db.session.flush()
    if all(other.diagnosed_at is not None for other in rma.lines if other.receipt == "received"):
        apply(rma, "diagnose", user)
    return line
