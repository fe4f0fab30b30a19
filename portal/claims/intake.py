"""The rules a claim obeys as it arrives, shared by the form, the API and the bulk upload.

Values come as text (form, upload) or typed (API, through marshmallow); ``check_claim``
parses and checks one claim against an ``IntakeContext`` (the client, its compensation
contract and small caches of stations, parts, models and pre-authorisations) and returns the
errors per field, each message translated, and the row to insert. Lookups for many claims are
prefetched in bulk (``IntakeContext.prefetch``), so an upload makes a few queries, not one per row.
"""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import OperationalError

from contracts.domain import FAULT_CAUSES, PART_CATEGORIES, REPAIR_LEVELS, minor_units

from ..catalogue.models import Part, ProductModel
from ..clients.models import Client
from ..extensions import db
from ..labels import label
from ..network.models import ClientStation
from ..schemes.models import Contract
from ..shipments.validation import Errors
from .models import Claim, PreAuthorisation

SERIAL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,63}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_PART_ITEM = re.compile(r"([^:\sx×*]+)(?:\s*[:x×*]\s*(\S+))?")
_PART_SPLIT = re.compile(r"[;,\n]+")
_PREAUTH = re.compile(r"(?:PA-)?0*(\d{1,9})", re.IGNORECASE)
AMOUNT_LIMIT = Decimal(10) ** 10
MAX_PARTS = 20
DESCRIPTION_MAX = 4000
CHUNK = 1000
# Per-serial locks (PostgreSQL advisory locks, key = (namespace, bucket of the serial)). Serials
# are hashed into a fixed number of buckets so that a bulk upload holds at most LOCK_BUCKETS
# locks, whatever its size; two different serials rarely share a bucket, and then merely wait.
LOCK_NAMESPACE = 0x434C  # "CL": the claims' advisory locks
LOCK_BUCKETS = 256


@dataclass
class ClaimInput:
    """One claim as typed. ``parts``: text ("P1001:2; P2002") or [(part_number, quantity)]."""

    serial: Any = ""
    repair_date: Any = ""
    station: Any = ""
    fault_cause: Any = ""
    repair_level: Any = ""
    repaired_category: Any = ""
    parts: Any = ""
    claimed_labour: Any = ""
    claimed_parts: Any = ""
    claimed_handling: Any = ""
    currency: Any = ""
    description: Any = ""
    model: Any = ""
    preauthorisation: Any = ""


@dataclass
class IntakeContext:
    client: Client
    contract: Contract
    today: date
    stations: dict[str, ClientStation] = field(default_factory=dict)
    parts: dict[str, tuple[int, str]] = field(default_factory=dict)  # number -> (id, category)
    models: dict[str, int] = field(default_factory=dict)
    preauths: dict[int, PreAuthorisation] = field(default_factory=dict)

    @classmethod
    def build(cls, client: Client, contract: Contract, today: date) -> IntakeContext:
        ctx = cls(client, contract, today)
        ctx.stations = {s.code: s for s in db.session.scalars(
            select(ClientStation).where(ClientStation.client_id == client.id))}
        return ctx

    def prefetch(self, inputs: list[ClaimInput]) -> None:
        """Look up in bulk the parts, models and pre-authorisations the inputs name."""
        numbers, models, preauths = set(), set(), set()
        for given in inputs:
            numbers.update(number for number, _qty in parse_parts(given.parts, Errors()))
            if _text(given.model):
                models.add(_text(given.model))
            found = _preauth_id(given.preauthorisation)
            if found:
                preauths.add(found)
        for chunk in _chunks(numbers - set(self.parts)):
            self.parts.update((n, (i, c)) for n, i, c in db.session.execute(
                select(Part.number, Part.id, Part.category).where(Part.number.in_(chunk))))
        for chunk in _chunks(models - set(self.models)):
            self.models.update(db.session.execute(
                select(ProductModel.code, ProductModel.id).where(ProductModel.code.in_(chunk))).all())
        for chunk in _chunks(preauths - set(self.preauths)):
            self.preauths.update((p.id, p) for p in db.session.scalars(
                select(PreAuthorisation).where(PreAuthorisation.id.in_(chunk),
                                               PreAuthorisation.client_id == self.client.id)))


class SerialsBusy(Exception):
    """SQLite only: another submission holds the database's write lock; nothing was written."""


def lock_serials(serials) -> None:
    """Make concurrent submissions on the same serial numbers run one after the other, until the
    transaction ends: the adjudication's duplicate/repeat check reads the other claims of each
    serial, and without the lock two claims filed at the same moment would not see each other.
    Call before reading anything about those claims. PostgreSQL: transaction-scoped advisory
    locks taken in a fixed order (no deadlock). SQLite: the database's write lock, taken by a
    no-op UPDATE (a reader could not upgrade later while the other writer commits)."""
    serials = {text for text in (_text(value) for value in serials) if text}
    if not serials:
        return
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        for bucket in sorted({zlib.crc32(serial.encode()) % LOCK_BUCKETS for serial in serials}):
            db.session.execute(select(func.pg_advisory_xact_lock(LOCK_NAMESPACE, bucket)))
    elif dialect == "sqlite":
        table = Claim.__table__
        try:
            with db.session.begin_nested():
                db.session.execute(update(table).where(table.c.id < 0).values(status=table.c.status))
        except OperationalError as error:
            if "locked" not in str(error).lower() and "busy" not in str(error).lower():
                raise
            raise SerialsBusy(_("Claims are being filed by someone else at this moment; try again.")) from None


def _chunks(values):
    values = sorted(values)
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _preauth_id(value) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    match = _PREAUTH.fullmatch(_text(value))
    return int(match[1]) if match else None


# --- parsing ------------------------------------------------------------------------------

def parse_parts(value, errors: Errors) -> list[tuple[str, int]]:
    """[(part_number, quantity)] from a list or from text like "P1001:2; P2002" (quantity 1)."""
    items: list[tuple[str, Any]] = []
    if isinstance(value, (list, tuple)):
        items = [(_text(number), quantity) for number, quantity in value]
    else:
        for chunk in _PART_SPLIT.split(_text(value)):
            chunk = chunk.strip()
            if not chunk:
                continue
            match = _PART_ITEM.fullmatch(chunk)
            if match is None:
                errors.add("parts", _("'%(value)s' is not a part: write PART-NUMBER:QUANTITY.", value=chunk))
                continue
            items.append((match[1], match[2] if match[2] is not None else 1))
    parsed = []
    for number, quantity in items:
        try:
            whole = int(str(quantity).strip()) if not isinstance(quantity, bool) else None
        except ValueError:
            whole = None
        if whole is None or whole <= 0 or whole > 1000:
            errors.add("parts", _("The quantity of part %(part)s must be a whole number from 1 to 1,000.", part=number))
            continue
        parsed.append((number, whole))
    return parsed


def parse_day(value, errors: Errors, name: str) -> date | None:
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        errors.add(name, _("The repair date is missing."))
        return None
    if _ISO_DATE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    errors.add(name, _("'%(value)s' is not a valid date in the form yyyy-mm-dd.", value=text))
    return None


def parse_amount(value, errors: Errors, name: str, currency: str) -> Decimal | None:
    if isinstance(value, Decimal):
        amount = value
    else:
        text = _text(value)
        if not text:
            amount = Decimal(0)
        else:
            try:
                amount = Decimal(text)
            except InvalidOperation:
                errors.add(name, _("'%(value)s' is not an amount.", value=text))
                return None
    if not amount.is_finite():
        errors.add(name, _("'%(value)s' is not an amount.", value=str(value)))
        return None
    if amount < 0:
        errors.add(name, _("An amount cannot be negative."))
        return None
    if amount >= AMOUNT_LIMIT:
        errors.add(name, _("The amount is too large."))
        return None
    places = minor_units(currency)
    if -amount.as_tuple().exponent > places:
        errors.add(name, _("Give at most %(n)s decimals.", n=places))
        return None
    return amount.quantize(Decimal(1).scaleb(-places))


# --- checking -----------------------------------------------------------------------------

def _choice(value, name: str, allowed, kind: str | None, errors: Errors) -> str:
    text = _text(value)
    if text not in allowed:
        shown = ", ".join(label(kind, code) if kind else code for code in allowed)
        errors.add(name, _("Choose one of: %(choices)s.", choices=shown))
    return text


def check_claim(given: ClaimInput, ctx: IntakeContext) -> tuple[Errors, dict | None, list[dict]]:
    """(errors, claim row, part rows) for one claim; the rows are None/[] when it has errors."""
    errors = Errors()
    currency = ctx.contract.currency
    serial = _text(given.serial)
    if not serial:
        errors.add("serial", _("The serial number is missing."))
    elif not SERIAL.fullmatch(serial):
        errors.add("serial", _("'%(value)s' is not a serial number (letters, digits, . _ / -; at most 64).",
                               value=serial[:80]))
    repair_date = parse_day(given.repair_date, errors, "repair_date")
    if repair_date is not None and repair_date > ctx.today:
        errors.add("repair_date", _("The repair date cannot be in the future."))
    station = ctx.stations.get(_text(given.station))
    if not _text(given.station):
        errors.add("station", _("Choose the repair station."))
    elif station is None:
        errors.add("station", _("Station %(code)s is not one of your company's stations.", code=_text(given.station)))
    elif not station.active:
        errors.add("station", _("Station %(code)s is no longer active.", code=station.code))
    model_id = None
    if _text(given.model):
        model_id = ctx.models.get(_text(given.model))
        if model_id is None:
            errors.add("model", _("There is no model %(code)s.", code=_text(given.model)))
    cause = _choice(given.fault_cause, "fault_cause", FAULT_CAUSES, "fault_cause", errors)
    level = _choice(given.repair_level, "repair_level", REPAIR_LEVELS, None, errors)
    category = _choice(given.repaired_category, "repaired_category", PART_CATEGORIES, "category", errors)
    parts = parse_parts(given.parts, errors)
    if len(parts) > MAX_PARTS:
        errors.add("parts", _("At most %(n)s parts per claim.", n=MAX_PARTS))
    part_rows, seen = [], set()
    for number, quantity in parts:
        found = ctx.parts.get(number)
        if found is None:
            errors.add("parts", _("There is no part %(number)s.", number=number))
        elif number in seen:
            errors.add("parts", _("Part %(number)s is listed twice.", number=number))
        else:
            seen.add(number)
            part_rows.append({"part_id": found[0], "quantity": quantity, "client_id": ctx.client.id})
    given_currency = _text(given.currency).upper() or currency
    if given_currency != currency:
        errors.add("currency", _("Your claims are in %(expected)s under your contract, not %(currency)s.",
                                 expected=currency, currency=given_currency[:8]))
    amounts = {name: parse_amount(getattr(given, name), errors, name, currency)
               for name in ("claimed_labour", "claimed_parts", "claimed_handling")}
    if all(a is not None for a in amounts.values()) and sum(amounts.values()) <= 0:
        errors.add("claimed_labour", _("Claim an amount above zero."))
    description = _text(given.description)
    if len(description) > DESCRIPTION_MAX:
        errors.add("description", _("At most %(n)s characters.", n=DESCRIPTION_MAX))
    preauth_id = None
    if _text(given.preauthorisation):
        preauth_id = _preauth_id(given.preauthorisation)
        preauth = ctx.preauths.get(preauth_id) if preauth_id else None
        if preauth is None:
            errors.add("preauthorisation", _("There is no such pre-authorisation of your company."))
        elif preauth.status != "approved":
            errors.add("preauthorisation", _("Pre-authorisation %(ref)s has not been approved.", ref=preauth.ref))
        elif preauth.serial != serial:
            errors.add("preauthorisation", _("Pre-authorisation %(ref)s is for serial %(serial)s.",
                                             ref=preauth.ref, serial=preauth.serial))
    if errors:
        return errors, None, []
    row = {"client_id": ctx.client.id, "serial": serial, "model_id": model_id, "station_id": station.id,
           "repair_date": repair_date, "submitted_on": ctx.today, "fault_cause": cause, "repair_level": level,
           "repaired_category": category, "currency": currency, "description": description,
           "preauthorisation_id": preauth_id, "status": "pending", "reasons": [], "signals": [],
           "staff_comment": "", "answer": "", **amounts}
    return errors, row, part_rows
