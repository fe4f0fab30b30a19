"""What each offered scheme would have settled for the client over its own last year.

The plugins compute it, on the client's real facts, exactly as a settlement would: each
offer is settled period by period (its own months or quarters) over the same window, the
parts-ratio ledger carried from one period to the next as from a contract starting on the
window's first day. Facts come from ``portal.settlements.facts.gather_facts``, the same
function settlements use (every fact provider registered there: shipments now, part issues
and claims when those capabilities register theirs).

The window is the last twelve complete months; when any compared offer is quarterly, the
last four complete quarters (so every offer settles whole periods of its own kind). A
scheme that cannot settle the facts (a currency mismatch, incomplete terms, a failing
plugin) shows its error in its own row; the others still show their figures.
"""
from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from marshmallow import ValidationError

from contracts import (
    ContractError,
    CurrencyMismatch,
    InvalidFacts,
    MalformedResult,
    Period,
    PeriodFacts,
    TermsIncomplete,
)

from ..clients.models import Client
from ..labels import label
from ..settlements.facts import fact_providers, gather_facts
from .periods import last_full_periods, periods_between
from .registry import SchemeNotInstalled, current_schemes

log = logging.getLogger(__name__)



@dataclass(frozen=True)
class Candidate:
    """Something to compare: an offer, or the client's current contract."""

    label: str
    scheme_key: str
    terms: Mapping[str, Any]
    currency: str
    period_kind: str
    offer_id: int | None = None


@dataclass
class Run:
    candidate: Candidate
    name: str
    periods: list[tuple[Period, Decimal]] = field(default_factory=list)
    buckets: list[Decimal | None] = field(default_factory=list)
    error: str | None = None

    @property
    def total(self) -> Decimal | None:
        if self.error is not None:
            return None
        return sum((amount for _period, amount in self.periods), Decimal(0))


@dataclass
class Comparison:
    kind: str  # "month" or "quarter": the buckets of the chart and of the table's columns
    buckets: list[Period]
    runs: list[Run]
    providers: tuple[str, ...]  # the kinds of facts counted (names of the fact providers)

    @property
    def window(self) -> Period:
        return Period(self.buckets[0].start, self.buckets[-1].end)


def describe_error(error: Exception) -> str:
    """Why a scheme could not settle, for the comparison's reader."""
    if isinstance(error, CurrencyMismatch):
        return _("%(kind)s %(ref)s is in %(currency)s but this offer is in %(expected)s; "
                 "nothing is converted.", kind=label("fact_kind", error.kind),
                 ref=error.ref, currency=error.currency, expected=error.expected)
    if isinstance(error, TermsIncomplete):
        return _("The terms do not cover your figures: %(why)s", why=error.why)
    if isinstance(error, InvalidFacts):
        return _("Fact %(ref)s cannot be settled: %(why)s", ref=error.ref, why=error.why)
    if isinstance(error, SchemeNotInstalled):
        return _("This scheme is not installed any more.")
    if isinstance(error, MalformedResult):
        return _("The scheme returned a result the portal cannot use: %(why)s", why=error.why)
    if isinstance(error, ValidationError):
        return _("The offer's terms are not valid for the installed version of this scheme.")
    if isinstance(error, ContractError):
        return str(error)
    return _("The scheme failed: %(error)s", error=f"{type(error).__name__}: {error}")


def candidates_for(offers: Iterable, current=None) -> list[Candidate]:
    found = []
    if current is not None:
        found.append(Candidate(_("Current contract"), current.scheme_key, current.terms,
                               current.currency, current.period_kind))
    for offer in offers:
        found.append(Candidate(_("Offer %(n)s", n=offer.id), offer.scheme_key, offer.terms,
                               offer.currency, offer.period_kind, offer.id))
    return found


def compare(client: Client, candidates: list[Candidate], today: date, locale: str) -> Comparison:
    """Settle every candidate over the client's last year, with the plugins."""
    registry = current_schemes()
    kind = "quarter" if any(c.period_kind == "quarter" for c in candidates) else "month"
    buckets = last_full_periods(kind, today, 12 if kind == "month" else 4)
    window = Period(buckets[0].start, buckets[-1].end)
    cache: dict[tuple[str, Period, str, bool, bool], PeriodFacts | Exception] = {}

    def facts_for(currency: str, period: Period, grain: str, claims: bool, history: bool) -> PeriodFacts:
        key = (currency, period, grain, claims, history)
        if key not in cache:
            try:
                cache[key] = gather_facts(client.id, currency, window.start, period.start, period.end,
                                          grain=grain, claims=claims, shipped_before=history)
            except Exception as error:  # a fact that cannot be gathered: shown, not a 500
                cache[key] = error
        found = cache[key]
        if isinstance(found, Exception):
            raise found
        return found

    runs = []
    for candidate in candidates:
        name = (registry.info(candidate.scheme_key).name(locale)
                if registry.is_installed(candidate.scheme_key) else candidate.scheme_key)
        run = Run(candidate, name)
        try:
            info = registry.info(candidate.scheme_key)  # SchemeNotInstalled: shown in its row
            free_before: dict[tuple[str, str], int] = {}
            for period in periods_between(candidate.period_kind, window.start, window.end):
                facts = dataclasses.replace(facts_for(candidate.currency, period, info.shipment_grain,
                                                      info.handles_claims, info.needs_shipped_before),
                                            free_issued_before=dict(free_before))
                result = registry.settle(candidate.scheme_key, candidate.terms, facts)
                free_before.update({(row.model_code, row.category): row.used for row in result.ledger})
                run.periods.append((period, result.total))
        except Exception as error:  # noqa: BLE001  (any plugin failure is shown per scheme)
            if not isinstance(error, (ContractError, ValidationError)):
                log.exception("scheme %s failed in the comparison", candidate.scheme_key)
            run.error, run.periods = describe_error(error), []
        run.buckets = _into_buckets(run, buckets)
        runs.append(run)
    return Comparison(kind, buckets, runs, tuple(fact_providers()))


def _into_buckets(run: Run, buckets: list[Period]) -> list[Decimal | None]:
    if run.error is not None:
        return [None] * len(buckets)
    sums = [Decimal(0)] * len(buckets)
    for period, amount in run.periods:
        for index, bucket in enumerate(buckets):
            if period.start in bucket:
                sums[index] += amount
                break
    return sums
