"""The hooks a warranty scheme implements. Specs only: this module is the reference.

The portal calls every hook with keyword arguments. An implementation may declare only the
arguments it uses (pluggy passes those). Implement a hook with ``@contracts.hookimpl`` in a
module registered under the ``odm_portal.schemes`` entry-point group.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from contracts import hookspec
from contracts.types import (
    ClaimDecision,
    ClaimFact,
    ClaimHistory,
    PeriodFacts,
    SchemeInfo,
    SettlementResult,
)


@hookspec
def portal_scheme_info() -> SchemeInfo:
    """Declare the scheme this plugin provides.

    Receives nothing. Returns a :class:`contracts.types.SchemeInfo`: the scheme key, its
    names and explanations in the five locales, its terms schema class (fields labelled in
    the five locales), the message templates of its sections, line descriptions and claim
    reasons, its version, and whether it adjudicates claims.

    Not firstresult: every installed scheme answers, and the portal collects the list (a
    duplicate key is an error). Called when the plugin manager is built, so it must be cheap
    and must not fail.
    """


@hookspec(firstresult=True)
def portal_settle(
    scheme_key: str, terms: Mapping[str, Any], facts: PeriodFacts
) -> SettlementResult | None:
    """Compute one client's settlement for one period.

    Receives ``scheme_key`` (the contract's scheme), ``terms`` (the contract's terms as
    loaded by the scheme's own ``terms_schema().load(...)``: Decimals, ints, dicts) and
    ``facts`` (:class:`contracts.types.PeriodFacts`: the period's shipments, part issues and
    decided claims, in the contract's currency).

    Returns a :class:`contracts.types.SettlementResult` (lines rounded to the currency's
    minor unit, positive amounts with a direction; the entitlement ledger; rejected claims),
    or ``None`` when ``scheme_key`` is not this plugin's. firstresult: the first non-None
    answer wins, so a plugin must answer only for its own key.

    Must be pure: the same arguments give the same result, nothing is written anywhere. It
    may raise a :mod:`contracts.errors` error (currency mismatch, incomplete terms); the
    portal then writes nothing and shows the message.
    """


@hookspec(firstresult=True)
def portal_adjudicate_claim(
    scheme_key: str, terms: Mapping[str, Any], claim: ClaimFact, history: ClaimHistory
) -> ClaimDecision | None:
    """Decide one repair claim as it arrives.

    Receives ``scheme_key``, ``terms`` (loaded as for ``portal_settle``), the ``claim``
    (:class:`contracts.types.ClaimFact`) and its ``history``
    (:class:`contracts.types.ClaimHistory`: the units shipped to this client and the repair
    dates of its previously accepted claims, by serial).

    Returns a :class:`contracts.types.ClaimDecision`: ``accepted``, ``rejected`` (every
    failed rule as its own reason key) or ``review`` (a person decides), with the claimed,
    schedule and adjusted amounts. Returns ``None`` when ``scheme_key`` is not this
    plugin's, or when the scheme does not compensate repairs (only schemes declaring
    ``handles_claims=True`` answer). firstresult. Pure, like ``portal_settle``.
    """
