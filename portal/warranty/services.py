"""Warranty look-up by serial number: one serial or up to BULK_LOOKUP_MAX at a time.

Decisions (see also the tests in tests/warranty/):
- A serial is matched exactly as the shipment recorded it. Input is only stripped of the
  white space around it: no case folding, because serials are stored case-sensitively
  (the unique index on `serial.serial` holds "sn1" and "SN1" apart).
- Pasted text is split on white space, commas and semicolons; a spreadsheet cell is one
  serial whatever it contains. Blank entries are ignored; a serial given twice is reported
  once, at its first place; results keep the order of the input.
- The limit counts the non-blank entries as given (before duplicates are merged).
- "In warranty" for a unit means its whole-unit category is covered on the date asked;
  a unit whose whole-unit warranty ended while some part categories (panel, main board...)
  are still covered is reported as "parts" ("some parts in warranty").
- Tenancy is the session's: a client user's look-up never sees another client's serials,
  which are reported as not found, exactly like serials nobody recorded.
- Who carries the warranty follows the client's contract in force on the unit's ship date
  (`warranty_carrier`, also used when an RMA is filed): under buyout with rebate or price
  discount the client carries all warranty service itself, so the unit is reported as
  "client_warranty" (the client's own warranty), with no ODM coverage per part category.
  A unit shipped before such a contract started keeps the ODM's warranty.
- The same contract gives the months per part category and the grace days
  (`warranty_terms_for`): a repair-fee compensation contract may give 24 months for panels
  or 30 grace days; categories it is silent on, and units shipped under no contract or
  under a scheme without such terms, keep the domestic 三包 months and no grace days.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from flask_babel import gettext as _

from contracts.domain import DOMESTIC_WARRANTY_MONTHS, PART_CATEGORIES, warranty_end

from ..i18n import current_locale, number
from ..schemes.models import Contract
from ..schemes.registry import current_schemes
from ..schemes.services import contract_histories, in_force
from ..shipments.services import serial_origins
from ..tabular import TabularError, read_rows

CHUNK_SIZE = 1000  # serials per IN (...) query
SERIAL_HEADERS = ("serial", "serial_number", "serial_no", "sn")
_SEPARATORS = re.compile(r"[\s,;]+")

STATUS_IN = "in"  # the whole unit is in warranty
STATUS_PARTS = "parts"  # the whole unit is out, some part categories are still covered
STATUS_OUT = "out"  # nothing covered any more
STATUS_NOT_FOUND = "not_found"
STATUS_CLIENT = "client_warranty"  # the client carries the warranty itself (its contract's scheme)

# Schemes under which the client carries all warranty service itself (DOMAIN.md: buyout with
# rebate, price discount): the ODM repairs such a unit only against a charge.
OWN_WARRANTY_SCHEMES = ("buyout_rebate", "price_discount")


@dataclass(frozen=True)
class CategoryWarranty:
    category: str
    months: int
    ends_on: date  # the last day covered
    in_warranty: bool


@dataclass(frozen=True)
class WarrantyResult:
    serial: str
    found: bool
    on: date  # the date the status is given for
    model_code: str | None = None
    model_name: str | None = None
    batch_code: str | None = None
    ship_date: date | None = None
    shipment_number: str | None = None
    client_id: int | None = None
    client_code: str | None = None
    client_name: str | None = None
    grace_days: int | None = None
    categories: tuple[CategoryWarranty, ...] = ()  # empty when not found or under the client's own warranty
    scheme_key: str | None = None  # the client's contract in force on the ship date, if any
    client_warranty: bool = False  # that contract makes the client carry the warranty itself

    def category(self, code: str) -> CategoryWarranty | None:
        return next((c for c in self.categories if c.category == code), None)

    @property
    def in_warranty(self) -> bool:
        unit = self.category("unit")
        return unit is not None and unit.in_warranty

    @property
    def status(self) -> str:
        if not self.found:
            return STATUS_NOT_FOUND
        if self.client_warranty:
            return STATUS_CLIENT
        if self.in_warranty:
            return STATUS_IN
        return STATUS_PARTS if any(c.in_warranty for c in self.categories) else STATUS_OUT


@dataclass(frozen=True)
class Summary:
    total: int
    found: int
    not_found: int
    in_warranty: int
    parts_only: int
    out_of_warranty: int
    client_warranty: int = 0  # covered by the client's own warranty (buyout, price discount)


class TooManySerials(ValueError):
    """More serials than one look-up may take; nothing was looked up."""

    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(message_too_many(limit))


def message_too_many(limit: int) -> str:
    return _("At most %(n)s serial numbers can be looked up at a time.", n=number(limit))


# --- the terms -------------------------------------------------------------------------

def warranty_terms_for(contract: Contract | None) -> tuple[dict[str, int], int]:
    """The warranty terms a contract gives its units: months per part category (every code
    of contracts.domain.PART_CATEGORIES) and grace days added to the ship date.

    The one place the terms are chosen. Pass the contract in force on the unit's ship date
    (`in_force`, as `warranty_carrier` picks it). The contract's stored `warranty_months` and
    `grace_days` are loaded by its scheme's own terms fields, whatever the scheme; a category
    or value the contract is silent on (or no contract, or a scheme that has no such terms)
    keeps the domestic 三包 default and 0 grace days. Only these two fields are loaded, so a
    flaw elsewhere in the terms does not stop the look-up; a flawed warranty term raises
    marshmallow.ValidationError rather than show a warranty the contract does not give.
    A contract of a scheme no longer installed cannot be read: the defaults apply."""
    months, grace = dict(DOMESTIC_WARRANTY_MONTHS), 0
    registry = current_schemes()
    if contract is None or not registry.is_installed(contract.scheme_key):
        return months, grace
    declared = registry.info(contract.scheme_key).terms_schema().fields
    stored = contract.terms or {}
    if "warranty_months" in declared and stored.get("warranty_months") is not None:
        months.update(declared["warranty_months"].deserialize(stored["warranty_months"]))
    if "grace_days" in declared and stored.get("grace_days") is not None:
        grace = declared["grace_days"].deserialize(stored["grace_days"])
    return months, grace


@dataclass(frozen=True)
class WarrantyCarrier:
    """Who carries the warranty of a unit, by the client's contract in force on its ship date."""

    scheme_key: str | None  # that contract's scheme; None when no contract was in force
    by_client: bool  # True: the client's own warranty, the ODM's warranty does not apply


def warranty_carrier(contracts: Sequence[Contract], ship_date: date) -> WarrantyCarrier:
    """THE rule, for the look-up and for RMAs alike: is a unit shipped on `ship_date` covered
    by the ODM's warranty, or by the client's own, given the client's contracts (its history,
    newest first: portal.schemes.services.contract_histories)? The contract in force on the
    ship date decides, not today's: a unit shipped before a buyout started keeps the ODM's."""
    return carrier_under(in_force(contracts, ship_date))


def carrier_under(contract: Contract | None) -> WarrantyCarrier:
    """Who carries the warranty under `contract` (the one in force on a ship date)."""
    scheme = contract.scheme_key if contract is not None else None
    return WarrantyCarrier(scheme, scheme in OWN_WARRANTY_SCHEMES)


def scheme_name(key: str | None) -> str | None:
    """A scheme's name in the user's language, from the scheme registry (the key when the
    scheme is not installed any more)."""
    if key is None:
        return None
    registry = current_schemes()
    return registry.info(key).name(current_locale()) if registry.is_installed(key) else key


def local_today() -> date:
    """Today in the portal's time zone (BABEL_DEFAULT_TIMEZONE), not the server's."""
    zone = current_app.config.get("BABEL_DEFAULT_TIMEZONE") if has_app_context() else None
    return datetime.now(ZoneInfo(zone)).date() if zone else date.today()


def coverage(ship_date: date, on: date, months_by_category: dict[str, int], grace_days: int = 0
             ) -> tuple[CategoryWarranty, ...]:
    """The warranty of each part category for a unit shipped on `ship_date`, on date `on`."""
    out = []
    for category in PART_CATEGORIES:
        months = months_by_category.get(category, DOMESTIC_WARRANTY_MONTHS[category])
        ends_on = warranty_end(ship_date, months, grace_days)
        out.append(CategoryWarranty(category, months, ends_on, on <= ends_on))
    return tuple(out)


# --- reading the input -----------------------------------------------------------------

def split_serials(text: str | None) -> list[str]:
    """Serials pasted as text: one per line, or separated by spaces, commas or semicolons."""
    return [s for s in _SEPARATORS.split(text or "") if s]


def normalise(serials: Iterable[str]) -> list[str]:
    """Strip each serial, drop blanks, keep the first of duplicates, keep the order."""
    seen: dict[str, None] = {}
    for raw in serials:
        serial = (raw or "").strip()
        if serial:
            seen.setdefault(serial, None)
    return list(seen)


def count_serials(serials: Iterable[str]) -> int:
    return sum(1 for s in serials if s and s.strip())


def check_limit(serials: list[str], limit: int) -> None:
    if count_serials(serials) > limit:
        raise TooManySerials(limit)


def serials_from_file(stream, filename: str, limit: int) -> tuple[list[str], str]:
    """Serials from an uploaded CSV or XLSX file and the name of the column they came from.

    The first row is a header: the column named `serial` (or serial_number, serial_no, sn)
    is read, otherwise the first column. Reading stops as soon as the file holds more than
    `limit` serials (TooManySerials); an unreadable file raises TabularError."""
    serials: list[str] = []
    column: str | None = None
    for row in read_rows(stream, filename):
        if column is None:
            names = list(row.values)
            if not names:
                raise TabularError(_("The file has no header row naming its columns."))
            column = next((n for n in SERIAL_HEADERS if n in row.values), names[0])
        value = row.values.get(column, "").strip()
        if value:
            serials.append(value)
            if len(serials) > limit:
                raise TooManySerials(limit)
    return serials, column or ""


# --- the look-up -----------------------------------------------------------------------

def lookup(serials: Iterable[str], on: date | None = None) -> list[WarrantyResult]:
    """The warranty of each serial on date `on` (default: today), in the order given,
    duplicates once, blanks ignored. One query per CHUNK_SIZE serials, whatever the count,
    and one for the contracts of the clients found; the caller enforces BULK_LOOKUP_MAX
    (check_limit)."""
    wanted = normalise(serials)
    on = on or local_today()
    rows = serial_origins(wanted, CHUNK_SIZE)
    contracts = contract_histories(row.client_id for row in rows.values()) if rows else {}

    terms: dict[int | None, tuple[dict[str, int], int]] = {}  # contract id -> its terms
    cover: dict[tuple[int, date], tuple[WarrantyCarrier, int, tuple[CategoryWarranty, ...]]] = {}
    results = []
    for serial in wanted:
        row = rows.get(serial)
        if row is None:
            results.append(WarrantyResult(serial=serial, found=False, on=on))
            continue
        key = (row.client_id, row.ship_date)
        if key not in cover:  # units of one client and ship date share one contract
            contract = in_force(contracts[row.client_id], row.ship_date)
            carrier = carrier_under(contract)
            contract_id = contract.id if contract is not None else None
            if contract_id not in terms:
                terms[contract_id] = warranty_terms_for(contract)
            months, grace = terms[contract_id]
            cover[key] = carrier, grace, (() if carrier.by_client else coverage(row.ship_date, on, months, grace))
        carrier, grace, categories = cover[key]
        results.append(
            WarrantyResult(
                serial=serial, found=True, on=on,
                model_code=row.model_code, model_name=row.model_name, batch_code=row.batch_code,
                ship_date=row.ship_date, shipment_number=row.shipment_number,
                client_id=row.client_id, client_code=row.client_code, client_name=row.client_name,
                grace_days=None if carrier.by_client else grace, categories=categories,
                scheme_key=carrier.scheme_key, client_warranty=carrier.by_client,
            )
        )
    return results


def summarise(results: list[WarrantyResult]) -> Summary:
    statuses = [r.status for r in results]
    return Summary(
        total=len(results),
        found=sum(1 for s in statuses if s != STATUS_NOT_FOUND),
        not_found=statuses.count(STATUS_NOT_FOUND),
        in_warranty=statuses.count(STATUS_IN),
        parts_only=statuses.count(STATUS_PARTS),
        out_of_warranty=statuses.count(STATUS_OUT),
        client_warranty=statuses.count(STATUS_CLIENT),
    )
