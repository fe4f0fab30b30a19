"""Offers and contracts: the ODM offers schemes, the client chooses, the ODM confirms.

Life of an offer (``Offer.status``)::

    offered --(client admin chooses)--> chosen --(admin/finance confirms)--> confirmed
       |  ^                               |
       |  +--(client chooses another)-----+--(admin/finance declines, reason)--> declined
       +--(admin/finance withdraws, or another offer of the client is confirmed)--> withdrawn

Decisions (docs/schemes.md):
- A client has at most one *chosen* offer: choosing another puts the previous choice back
  among the open ones, so the client may change its mind until the ODM decides. The other
  open offers stay open while the choice waits; when the ODM confirms one, every other
  open or chosen offer of that client is withdrawn. After a decline the client may choose
  again among the open ones.
- Only offers of an *enabled* scheme can be made, chosen or confirmed. Disabling a scheme
  leaves its contracts (and their settlements) alone.
- A confirmed offer becomes a Contract starting on the next period boundary after the
  confirmation day: the first day of the next month, or of the next quarter when the new
  or the current contract is quarterly (so no period of either is cut). When the client
  already has a contract starting on or after that day (confirmed, not yet begun), the new
  one starts on the boundary after that one's start. The contract in force then ends the
  day before: periods never mix two schemes, and the history is kept.
- The decline reason is kept in ``Offer.note``.

Writers flush but do not commit: the caller (view, API) commits, so a refusal leaves
nothing written.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from contracts import dump_terms, load_terms

from ..audit import record
from ..clients.models import Client
from ..clients.services import CURRENCIES
from ..db import utcnow
from ..extensions import db
from .messages import translate_errors
from .models import OFFER_STATES, Contract, Offer
from .periods import PERIOD_KINDS, next_boundary
from .registry import current_schemes
from .services import contract_for, latest_contract

OPEN_STATES = ("offered", "chosen")
REASON_MAX = 500


class OfferInvalid(Exception):
    """Field errors of an offer: ``errors`` = {field: [message], "terms": {...}} with the
    terms errors shaped as marshmallow's (translated)."""

    def __init__(self, errors: dict[str, Any]) -> None:
        super().__init__(errors)
        self.errors = errors


class OfferConflict(Exception):
    """The offer is not in a state that allows the action; ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _check_scheme(key: str) -> list[str]:
    registry = current_schemes()
    if not registry.is_installed(key):
        return [_("This scheme is not installed.")]
    if not registry.is_enabled(key):
        return [_("This scheme is not enabled; an administrator must enable it first.")]
    return []


def validate_offer(scheme_key: str, terms: Any, currency: str, period_kind: str) -> dict:
    """The offer's fields checked; returns the terms as stored (JSON) or raises OfferInvalid."""
    errors: dict[str, Any] = {}
    scheme_errors = _check_scheme(scheme_key)
    if scheme_errors:
        errors["scheme_key"] = scheme_errors
    if currency not in CURRENCIES:
        errors["currency"] = [_("Choose one of: %(choices)s.", choices=", ".join(CURRENCIES))]
    if period_kind not in PERIOD_KINDS:
        errors["period_kind"] = [_("Choose a month or a quarter.")]
    stored = None
    if not scheme_errors:
        info = current_schemes().info(scheme_key)
        if not isinstance(terms, dict):
            errors["terms"] = [_("Enter the terms as an object of named values.")]
        else:
            try:
                stored = dump_terms(info, load_terms(info, terms))
            except ValidationError as error:
                errors["terms"] = translate_errors(error.messages)
    if errors:
        raise OfferInvalid(errors)
    return stored


def create_offer(client: Client, scheme_key: str, terms: Any, currency: str | None,
                 period_kind: str, user) -> Offer:
    """Offer ``scheme_key`` with ``terms`` to ``client`` (currency: the client's by default)."""
    currency = (currency or client.currency or "").upper()
    stored = validate_offer(scheme_key, terms, currency, period_kind)
    offer = Offer(client_id=client.id, scheme_key=scheme_key, terms=stored, currency=currency,
                  period_kind=period_kind, status="offered", note="", offered_by_id=user.id)
    db.session.add(offer)
    db.session.flush()
    record("contract.offer", offer, user=user, scheme=scheme_key, currency=currency, period_kind=period_kind)
    return offer


def _require(offer: Offer, states: tuple[str, ...], message: str) -> None:
    if offer.status not in states:
        raise OfferConflict(message)


def _require_enabled(offer: Offer) -> None:
    problems = _check_scheme(offer.scheme_key)
    if problems:
        raise OfferConflict(problems[0])


def _lock(offer: Offer) -> None:
    """Serialise decisions on one client's offers and contracts (a row lock on the client
    on PostgreSQL), then re-read the offer: two people deciding at once cannot both win."""
    db.session.execute(select(Client.id).where(Client.id == offer.client_id).with_for_update()).all()
    db.session.execute(select(Offer).where(Offer.id == offer.id)
                       .execution_options(populate_existing=True)).scalars().all()


def choose_offer(offer: Offer, user) -> Offer:
    """The client admin chooses this offer; a previous choice goes back to the open ones."""
    _lock(offer)
    _require(offer, ("offered", "chosen"), _("This offer is no longer open."))
    _require_enabled(offer)
    if offer.status == "chosen":
        return offer
    previous = db.session.scalars(
        select(Offer).where(Offer.client_id == offer.client_id, Offer.status == "chosen",
                            Offer.id != offer.id))
    for other in previous:
        other.status, other.chosen_by_id, other.chosen_at = "offered", None, None
    offer.status, offer.chosen_by_id, offer.chosen_at = "chosen", user.id, utcnow()
    db.session.flush()
    record("contract.choose", offer, user=user, scheme=offer.scheme_key)
    return offer


def contract_start(client_id: int, period_kind: str, today: date) -> date:
    """The first day of the contract an offer confirmed on ``today`` makes."""
    current = contract_for(client_id, today)
    kinds = {period_kind} | ({current.period_kind} if current else set())
    kind = "quarter" if "quarter" in kinds else "month"
    start = next_boundary(kind, today)
    latest = latest_contract(client_id)
    if latest is not None and latest.starts_on >= start:
        later_kind = "quarter" if "quarter" in {kind, latest.period_kind} else "month"
        start = next_boundary(later_kind, latest.starts_on)
    return start


def confirm_offer(offer: Offer, user, today: date | None = None) -> Contract:
    """Make the chosen offer the client's contract from the next period boundary."""
    today = today or date.today()
    _lock(offer)
    _require(offer, ("chosen",), _("Only an offer the client has chosen can be confirmed."))
    _require_enabled(offer)
    info = current_schemes().info(offer.scheme_key)
    try:
        terms = dump_terms(info, load_terms(info, offer.terms))
    except ValidationError as error:
        raise OfferInvalid({"terms": translate_errors(error.messages)}) from None
    starts_on = contract_start(offer.client_id, offer.period_kind, today)
    day_before = starts_on - timedelta(days=1)
    for running in db.session.scalars(
            select(Contract).where(Contract.client_id == offer.client_id,
                                   Contract.starts_on < starts_on)):
        if running.ends_on is None or running.ends_on > day_before:
            running.ends_on = day_before
    contract = Contract(client_id=offer.client_id, scheme_key=offer.scheme_key, terms=terms,
                        currency=offer.currency, period_kind=offer.period_kind,
                        starts_on=starts_on, ends_on=None, offer_id=offer.id,
                        confirmed_by_id=user.id)
    db.session.add(contract)
    offer.status, offer.decided_by_id, offer.decided_at = "confirmed", user.id, utcnow()
    for other in db.session.scalars(
            select(Offer).where(Offer.client_id == offer.client_id, Offer.id != offer.id,
                                Offer.status.in_(OPEN_STATES))):
        other.status = "withdrawn"
    db.session.flush()
    record("contract.confirm", contract, user=user, offer=offer.id, scheme=offer.scheme_key,
           starts_on=starts_on.isoformat())
    return contract


def decline_offer(offer: Offer, user, reason: str) -> Offer:
    """Decline the client's choice, with the reason it will read."""
    reason = (reason or "").strip()
    if not reason:
        raise OfferInvalid({"reason": [_("Give the reason the client will read.")]})
    if len(reason) > REASON_MAX:
        raise OfferInvalid({"reason": [_("Use at most %(n)d characters.", n=REASON_MAX)]})
    _lock(offer)
    _require(offer, ("chosen",), _("Only an offer the client has chosen can be declined."))
    offer.status, offer.note = "declined", reason
    offer.decided_by_id, offer.decided_at = user.id, utcnow()
    db.session.flush()
    record("contract.decline", offer, user=user, scheme=offer.scheme_key, reason=reason)
    return offer


def withdraw_offer(offer: Offer, user) -> Offer:
    """Take back an open (or chosen, not yet decided) offer."""
    _lock(offer)
    _require(offer, OPEN_STATES, _("This offer is no longer open."))
    offer.status, offer.decided_by_id, offer.decided_at = "withdrawn", user.id, utcnow()
    db.session.flush()
    record("contract.withdraw", offer, user=user, scheme=offer.scheme_key)
    return offer


def offers_query(client_id: int | None = None, statuses: tuple[str, ...] = ()):
    """Offers, newest first (client users: the tenancy hook confines them to their own)."""
    stmt = (select(Offer).options(joinedload(Offer.client))
            .order_by(Offer.created_at.desc(), Offer.id.desc()))
    if client_id is not None:
        stmt = stmt.where(Offer.client_id == client_id)
    statuses = tuple(s for s in statuses if s in OFFER_STATES)
    if statuses:
        stmt = stmt.where(Offer.status.in_(statuses))
    return stmt


def open_offers(client_id: int) -> list[Offer]:
    return list(db.session.scalars(offers_query(client_id, OPEN_STATES)))


def contracts_query(client_id: int | None = None):
    """Contracts, newest start first, with their client."""
    stmt = (select(Contract).options(joinedload(Contract.client))
            .order_by(Contract.starts_on.desc(), Contract.id.desc()))
    if client_id is not None:
        stmt = stmt.where(Contract.client_id == client_id)
    return stmt
