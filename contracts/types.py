"""The plain data a scheme receives (facts) and returns (results, decisions).

Frozen dataclasses with slots: no ORM objects, no session, nothing that reaches back into
the portal. Money is ``Decimal`` (never float), dates are ``datetime.date``, quantities are
``int``. Mapping fields are to be treated as read-only.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Literal, TypeAlias

if TYPE_CHECKING:
    from marshmallow import Schema

Locale: TypeAlias = str  # one of contracts.domain.LOCALES
ParamValue: TypeAlias = "str | int | Decimal | date"  # the portal formats it per locale
Direction = Literal["credit", "debit"]
Outcome = Literal["accepted", "rejected", "review"]
ShipmentGrain = Literal["line", "model_day", "model_price"]

CREDIT: Direction = "credit"  # the ODM owes the client
DEBIT: Direction = "debit"  # the client owes the ODM
ACCEPTED: Outcome = "accepted"
REJECTED: Outcome = "rejected"
REVIEW: Outcome = "review"

# How fine the shipment facts a scheme receives are (``SchemeInfo.shipment_grain``), finest
# first. At every grain the facts keep, per model, the net quantity and Σ quantity × unit
# price of the lines they stand for, exactly:
#   "line"        one ShipmentFact per shipment line (the default);
#   "model_day"   one per (model, ship date, unit price, currency): quantities summed;
#   "model_price" one per (model, unit price, currency): quantities summed, the latest
#                 ship date of the group.
# An aggregated fact's ``shipment_no`` and ``batch_code`` are "*" and its ``ref`` is
# "*/<model>/<ship date, model_day only>/<unit price>", except in a group whose currency is
# not the contract's: there the ref is that of the group's first line, so a currency
# mismatch still names a real shipment line.
SHIPMENT_GRAINS: tuple[ShipmentGrain, ...] = ("line", "model_day", "model_price")
AGGREGATED = "*"


# --- what a scheme declares ---------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class SchemeInfo:
    """A scheme's declaration, answered by ``portal_scheme_info``.

    ``names``/``explanations``: locale -> text, for all of contracts.domain.LOCALES.
    ``terms_schema``: a marshmallow Schema *class*; every field carries
    ``metadata={"label": {locale: text}, "help": {locale: text}}``.
    ``messages``: key -> locale -> template with ``{name}`` placeholders, for every
    ``section``, ``description_key`` and claim reason key the scheme emits.
    ``handles_claims``: True when the scheme answers ``portal_adjudicate_claim``.
    ``shipment_grain``: how fine the shipment facts the scheme needs are (one of
    ``SHIPMENT_GRAINS``). Declare the coarsest grain whose facts give the same result as
    single lines: a rebate on Σ quantity × price per model needs only "model_price", and
    settles a period of hundreds of thousands of lines from a few hundred facts. A scheme
    that reads ``ref``, ``shipment_no`` or ``batch_code``, or makes one line per shipment
    line, keeps "line".
    ``needs_shipped_before``: True when the scheme reads ``PeriodFacts.shipped_before`` (the
    quantities shipped since the contract start, e.g. an entitlement that accrues); the
    portal aggregates that history only for such a scheme, the others get it empty.
    """

    key: str
    names: Mapping[Locale, str]
    explanations: Mapping[Locale, str]
    terms_schema: type[Schema]
    messages: Mapping[str, Mapping[Locale, str]]
    version: str
    handles_claims: bool = False
    shipment_grain: ShipmentGrain = "line"
    needs_shipped_before: bool = False

    def name(self, locale: Locale) -> str:
        return self.names.get(locale) or self.names["en"]

    def message(self, key: str, locale: Locale) -> str:
        texts = self.messages[key]
        return texts.get(locale) or texts["en"]


# --- facts: what happened to the client ------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Period:
    """A settlement period; both ends are inclusive."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


@dataclass(frozen=True, slots=True)
class ShipmentFact:
    """One shipment line. A return of goods is a line with a negative quantity."""

    ref: str
    shipment_no: str
    model_code: str
    batch_code: str
    quantity: int
    unit_price: Decimal
    currency: str
    ship_date: date

    @property
    def value(self) -> Decimal:
        """quantity × unit price, unrounded (negative for a return)."""
        return self.quantity * self.unit_price


@dataclass(frozen=True, slots=True)
class PartIssueFact:
    """Spare parts issued to the client for a model (quantity > 0)."""

    ref: str
    part_number: str
    part_category: str
    model_code: str
    quantity: int
    issue_date: date
    currency: str


@dataclass(frozen=True, slots=True)
class ClaimPart:
    part_number: str
    category: str
    quantity: int


@dataclass(frozen=True, slots=True)
class ClaimFact:
    """A repair done by the client's network, submitted for compensation."""

    ref: str
    serial: str
    model_code: str
    station_code: str
    repair_date: date
    submitted_on: date
    decided_on: date | None
    fault_cause: str
    repair_level: str
    repaired_category: str
    parts: tuple[ClaimPart, ...]
    claimed_labour: Decimal
    claimed_parts: Decimal
    claimed_handling: Decimal
    currency: str
    preauthorised: bool = False

    @property
    def claimed_amount(self) -> Decimal:
        return self.claimed_labour + self.claimed_parts + self.claimed_handling


@dataclass(frozen=True, slots=True)
class ShippedUnit:
    model_code: str
    ship_date: date


@dataclass(frozen=True, slots=True)
class ClaimHistory:
    """What adjudicating one claim needs to know beyond the claim.

    ``shipped_units``: serial -> unit, only units shipped to *this* client.
    ``accepted_repairs``: serial -> repair dates of this client's previously accepted
    claims (the claim being adjudicated excluded).
    """

    shipped_units: Mapping[str, ShippedUnit] = field(default_factory=dict)
    accepted_repairs: Mapping[str, tuple[date, ...]] = field(default_factory=dict)


# --- results: what a scheme returns ---------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ClaimDecision:
    """A claim's decision. ``reasons`` are message keys: for a rejection every failed rule,
    for an acceptance or a review the adjustments made (capped, reduced to the schedule)."""

    outcome: Outcome
    reasons: tuple[str, ...]
    claimed_amount: Decimal
    schedule_amount: Decimal
    adjusted_amount: Decimal


@dataclass(frozen=True, slots=True)
class DecidedClaim:
    claim: ClaimFact
    decision: ClaimDecision


@dataclass(frozen=True, slots=True)
class PeriodFacts:
    """Everything that happened to one client in one period, in the contract's currency.

    ``shipments``: shipment lines whose ship date is in the period, at ``shipment_grain``
    (the scheme's declared grain: single lines, or lines summed per model and price).
    ``shipped_before``: model -> net quantity shipped from ``contract_start`` to the day
    before ``period.start`` (returns deducted); only for a scheme that declares
    ``SchemeInfo.needs_shipped_before``, empty for the others.
    ``free_issued_before``: (model, category) -> free spare parts issued before the period
    (the ``used`` column of the previous period's ledger).
    ``part_issues``: spare-part issues dated in the period, in any order.
    ``claims``: repair claims decided in the period, each with its final decision; only
    for a scheme that handles claims (``SchemeInfo.handles_claims``), empty for the others.
    """

    client_code: str
    currency: str
    contract_start: date
    period: Period
    shipments: tuple[ShipmentFact, ...] = ()
    shipped_before: Mapping[str, int] = field(default_factory=dict)
    free_issued_before: Mapping[tuple[str, str], int] = field(default_factory=dict)
    part_issues: tuple[PartIssueFact, ...] = ()
    claims: tuple[DecidedClaim, ...] = ()
    shipment_grain: ShipmentGrain = "line"


@dataclass(frozen=True, slots=True)
class SettlementLine:
    """One rounded line of a statement.

    ``amount`` is positive and already rounded to the currency's minor unit; ``direction``
    says who owes it. ``section`` and ``description_key`` are keys of the scheme's messages;
    ``params`` fill the description's placeholders.
    """

    section: str
    direction: Direction
    amount: Decimal
    currency: str
    description_key: str
    params: Mapping[str, ParamValue]
    reference: str
    quantity: int | None = None
    unit_price: Decimal | None = None

    @property
    def signed_amount(self) -> Decimal:
        """Positive for a credit (ODM owes the client), negative for a debit."""
        return self.amount if self.direction == CREDIT else -self.amount


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """Spare-part entitlement of one (model, category) at the period's end.

    ``accrued``, ``used`` and ``remaining`` are cumulative since the contract start;
    ``free_in_period`` and ``charged_in_period`` count this period's issues only.
    """

    model_code: str
    category: str
    accrued: int
    used: int
    remaining: int
    free_in_period: int = 0
    charged_in_period: int = 0


@dataclass(frozen=True, slots=True)
class RejectedClaim:
    reference: str
    serial: str
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SettlementResult:
    lines: tuple[SettlementLine, ...] = ()
    ledger: tuple[LedgerRow, ...] = ()
    rejected_claims: tuple[RejectedClaim, ...] = ()

    @property
    def total(self) -> Decimal:
        """Sum of the rounded lines: positive when the ODM owes the client, negative when
        the client owes the ODM."""
        return sum((line.signed_amount for line in self.lines), Decimal(0))
