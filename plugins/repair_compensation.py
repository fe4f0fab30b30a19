"""Repair-fee compensation (维修费补偿).

Claims are adjudicated one by one as they arrive (plugins.compensation_rules). The period's
settlement credits the accepted claims decided in it at their adjusted amounts, in
(decision date, reference) order; a period cap trims the claims decided last (a claim
trimmed to nothing stays on the statement as a zero line). Rejected claims are listed with
their reasons.
"""
from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from contracts import InvalidFacts, SchemeInfo, SettlementResult, check_facts, hookimpl
from contracts.domain import round_money
from contracts.toolkit import money_line
from contracts.types import (
    ACCEPTED,
    REJECTED,
    ClaimDecision,
    ClaimFact,
    ClaimHistory,
    DecidedClaim,
    PeriodFacts,
    RejectedClaim,
    SettlementLine,
)
from plugins.compensation_rules import adjudicate
from plugins.compensation_terms import RepairCompensationTerms
from plugins.compensation_texts import EXPLANATIONS, MESSAGES, NAMES

KEY = "repair_compensation"

INFO = SchemeInfo(
    key=KEY, version="1.0", names=NAMES, explanations=EXPLANATIONS,
    terms_schema=RepairCompensationTerms, messages=MESSAGES, handles_claims=True,
    # Shipments are only checked (currency, period), never settled: the coarsest grain.
    shipment_grain="model_price",
)


def decision_order(decided: DecidedClaim) -> tuple:
    return (decided.claim.decided_on, decided.claim.ref)


def _claim_line(decided: DecidedClaim, paid: Decimal, currency: str) -> SettlementLine:
    claim, decision = decided.claim, decided.decision
    adjusted = round_money(decision.adjusted_amount, currency)
    return money_line(
        paid,
        currency=currency,
        section="claims_accepted",
        description_key="claim_accepted" if paid == adjusted else "claim_trimmed",
        params={"serial": claim.serial, "model": claim.model_code,
                "repair_date": claim.repair_date, "level": claim.repair_level,
                "claimed": decision.claimed_amount, "schedule": decision.schedule_amount,
                "adjusted": adjusted, "paid": paid},
        reference=claim.ref,
    )


def _split(claims: tuple[DecidedClaim, ...]) -> tuple[list[DecidedClaim], list[DecidedClaim]]:
    accepted, rejected = [], []
    for decided in sorted(claims, key=decision_order):
        outcome = decided.decision.outcome
        if outcome == ACCEPTED:
            accepted.append(decided)
        elif outcome == REJECTED and decided.decision.reasons:
            rejected.append(decided)
        elif outcome == REJECTED:
            raise InvalidFacts(decided.claim.ref, "a rejected claim needs at least one reason")
        else:
            raise InvalidFacts(decided.claim.ref, f"claim is still {outcome!r}, not decided")
    return accepted, rejected


def settle(terms: Mapping[str, Any], facts: PeriodFacts) -> SettlementResult:
    check_facts(facts)
    currency = facts.currency
    accepted, rejected = _split(facts.claims)
    cap = terms.get("cap_per_period")
    left = cap
    lines = []
    for decided in accepted:
        paid = round_money(decided.decision.adjusted_amount, currency)
        if left is not None:
            paid = min(paid, round_money(max(left, Decimal(0)), currency))
            left -= paid
        lines.append(_claim_line(decided, paid, currency))
    return SettlementResult(
        lines=tuple(lines),
        rejected_claims=tuple(
            RejectedClaim(d.claim.ref, d.claim.serial, d.decision.reasons) for d in rejected
        ),
    )


@hookimpl
def portal_scheme_info() -> SchemeInfo:
    return INFO


@hookimpl
def portal_adjudicate_claim(
    scheme_key: str, terms: Mapping[str, Any], claim: ClaimFact, history: ClaimHistory
) -> ClaimDecision | None:
    if scheme_key != KEY:
        return None
    return adjudicate(terms, claim, history)


@hookimpl
def portal_settle(
    scheme_key: str, terms: Mapping[str, Any], facts: PeriodFacts
) -> SettlementResult | None:
    if scheme_key != KEY:
        return None
    return settle(terms, facts)
