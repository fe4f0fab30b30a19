"""The rules a shipment obeys, shared by the form, the API and the import.

Parsing turns typed text into values (`parse_*`: the form and the import read text; the API
gets typed JSON from marshmallow). `Lookups` resolves client, model and batch codes through
small caches. `check_header` and `check_line` apply the business rules and return errors
keyed by field name (the API's and the form's field names), each message already translated.
Uniqueness of serials and shipment numbers needs the database and the rest of the file: the
callers (`services.validate_shipment`, `importer`) check those in bulk.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from babel.numbers import get_currency_precision, is_currency
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from ..catalogue.models import Batch, ProductModel
from ..clients.models import Client

NUMBER_MAX = 40  # Shipment.number
SERIAL_MAX = 64  # Serial.serial
QUANTITY_MAX = 1_000_000_000
PRICE_LIMIT = Decimal(10) ** 12  # Money is Numeric(14, 2)

_SERIAL_SPLIT = re.compile(r"[\s,;]+")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


class Errors(dict):
    """Messages per field: {"quantity": ["..."], ...}."""

    def add(self, name: str, message: str) -> None:
        self.setdefault(name, []).append(message)

    def messages(self) -> list[str]:
        return [m for name in self for m in self[name]]


# --- parsing text -------------------------------------------------------------------------

def split_serials(text: str | None) -> list[str]:
    """Serials separated by spaces, commas, semicolons or line breaks."""
    return [s for s in _SERIAL_SPLIT.split(text or "") if s]


def parse_date(text: str, errors: Errors, name: str = "ship_date") -> date | None:
    text = (text or "").strip()
    if not text:
        errors.add(name, _("The ship date is missing."))
        return None
    if _ISO_DATE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    errors.add(name, _("Ship date '%(value)s' is not a valid date in the form yyyy-mm-dd.", value=text))
    return None


def parse_quantity(text: str, errors: Errors, name: str = "quantity") -> int | None:
    text = (text or "").strip()
    if not text:
        errors.add(name, _("The quantity is missing."))
        return None
    if not _INTEGER.fullmatch(text):
        errors.add(name, _("Quantity '%(value)s' is not a whole number.", value=text))
        return None
    return int(text)


def parse_price(text: str, errors: Errors, name: str = "unit_price") -> Decimal | None:
    text = (text or "").strip()
    if not text:
        errors.add(name, _("The unit price is missing."))
        return None
    if not _DECIMAL.fullmatch(text):
        errors.add(name, _("Unit price '%(value)s' is not a number.", value=text))
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        errors.add(name, _("Unit price '%(value)s' is not a number.", value=text))
        return None


# --- looking codes up ---------------------------------------------------------------------

@dataclass(frozen=True)
class ClientRef:
    id: int
    code: str
    currency: str


@dataclass(frozen=True)
class ModelRef:
    id: int
    code: str


@dataclass(frozen=True)
class BatchRef:
    id: int
    code: str
    model_id: int
    model_code: str


class Lookups:
    """Code → reference caches for one form, request or import (unknown codes are cached too,
    so a file full of one bad code asks the database once)."""

    MAX = 10_000

    def __init__(self, session):
        self.session = session
        self._clients: dict[str, ClientRef | None] = {}
        self._models: dict[str, ModelRef | None] = {}
        self._batches: dict[str, BatchRef | None] = {}

    def _cached(self, cache: dict, code: str, load):
        if code not in cache:
            if len(cache) >= self.MAX:
                cache.clear()
            cache[code] = load(code)
        return cache[code]

    def client(self, code: str) -> ClientRef | None:
        def load(code):
            row = self.session.execute(
                select(Client.id, Client.code, Client.currency).where(Client.code == code)
            ).first()
            return ClientRef(*row) if row else None

        return self._cached(self._clients, code, load)

    def model(self, code: str) -> ModelRef | None:
        def load(code):
            row = self.session.execute(
                select(ProductModel.id, ProductModel.code).where(ProductModel.code == code)
            ).first()
            return ModelRef(*row) if row else None

        return self._cached(self._models, code, load)

    def batch(self, code: str) -> BatchRef | None:
        def load(code):
            row = self.session.execute(
                select(Batch.id, Batch.code, Batch.model_id, ProductModel.code)
                .join(ProductModel, Batch.model_id == ProductModel.id)
                .where(Batch.code == code)
            ).first()
            return BatchRef(*row) if row else None

        return self._cached(self._batches, code, load)


# --- the rules ----------------------------------------------------------------------------

def currency_digits(currency: str) -> int:
    return get_currency_precision(currency)


def check_header(lookups: Lookups, number: str | None, client_code: str | None, errors: Errors) -> ClientRef | None:
    """The shipment number's form and the client; returns the client when known."""
    number = (number or "").strip()
    if not number:
        errors.add("number", _("The shipment number is missing."))
    elif len(number) > NUMBER_MAX:
        errors.add("number", _("The shipment number is longer than %(n)s characters.", n=NUMBER_MAX))
    client_code = (client_code or "").strip()
    if not client_code:
        errors.add("client_code", _("The client code is missing."))
        return None
    client = lookups.client(client_code)
    if client is None:
        errors.add("client_code", _("Unknown client code '%(code)s'.", code=client_code))
    return client


@dataclass
class LineInput:
    """One line as typed; None where a value is missing or could not be parsed (already reported)."""

    model_code: str | None
    quantity: int | None
    unit_price: Decimal | None
    currency: str | None
    batch_code: str | None = None
    serials: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CheckedLine:
    model_id: int | None
    batch_id: int | None


def check_line(lookups: Lookups, client: ClientRef | None, line: LineInput, errors: Errors) -> CheckedLine:
    """Model and batch, quantity, unit price, currency and the serial count of one line."""
    model = batch = None
    model_code = (line.model_code or "").strip()
    if line.model_code is None:
        pass  # already reported by the caller
    elif not model_code:
        errors.add("model_code", _("The model code is missing."))
    else:
        model = lookups.model(model_code)
        if model is None:
            errors.add("model_code", _("Unknown model code '%(code)s'.", code=model_code))
    batch_code = (line.batch_code or "").strip()
    if batch_code:
        batch = lookups.batch(batch_code)
        if batch is None:
            errors.add("batch_code", _("Unknown batch code '%(code)s'.", code=batch_code))
        elif model is not None and batch.model_id != model.id:
            errors.add("batch_code", _("Batch %(batch)s belongs to model %(other)s, not %(model)s.",
                                       batch=batch.code, other=batch.model_code, model=model.code))

    quantity = line.quantity
    if quantity is not None:
        if quantity == 0:
            errors.add("quantity", _("The quantity must not be zero (a negative quantity is returned goods)."))
        elif abs(quantity) > QUANTITY_MAX:
            errors.add("quantity", _("The quantity is too large."))

    currency = (line.currency or "").strip().upper()
    if line.currency is not None:
        if not currency:
            errors.add("currency", _("The currency is missing."))
        elif not is_currency(currency):
            errors.add("currency", _("'%(code)s' is not an ISO 4217 currency code.", code=currency))
            currency = ""
        elif client is not None and currency != client.currency:
            errors.add("currency", _("Currency %(currency)s differs from the client's %(client_currency)s.",
                                     currency=currency, client_currency=client.currency))

    price = line.unit_price
    if price is not None:
        if not price.is_finite():
            errors.add("unit_price", _("Unit price '%(value)s' is not a number.", value=str(price)))
        elif price < 0:
            errors.add("unit_price", _("The unit price must not be negative."))
        elif price >= PRICE_LIMIT:
            errors.add("unit_price", _("The unit price is too large."))
        else:
            price_currency = currency or (client.currency if client else "")
            if price_currency:
                digits = currency_digits(price_currency)
                if price != price.quantize(Decimal(1).scaleb(-digits)):
                    errors.add("unit_price", _(
                        "Unit price %(value)s has more decimals than %(currency)s allows (%(digits)s).",
                        value=str(price), currency=price_currency, digits=digits))

    serials = line.serials
    for serial in serials:
        if len(serial) > SERIAL_MAX:
            errors.add("serials", _("Serial '%(serial)s…' is longer than %(n)s characters.",
                                    serial=serial[:20], n=SERIAL_MAX))
    if serials and quantity is not None and quantity != 0:
        if quantity < 0:
            errors.add("serials", _("A returned-goods line (negative quantity) carries no serials."))
        elif len(serials) != quantity:
            errors.add("serials", ngettext("%(num)d serial for a quantity of %(quantity)d.",
                                           "%(num)d serials for a quantity of %(quantity)d.",
                                           len(serials), quantity=quantity))
    return CheckedLine(model.id if model else None, batch.id if batch else None)
