"""Adjudication of one repair claim under the repair-fee compensation scheme.

Every failed rule is its own reason key (all are checked, so the client sees everything
to fix at once). An accepted claim's adjusted amount is the least of the amount claimed,
the schedule amount (labour for its level + its parts at the agreed prices + handling) and
the cap per claim; its reasons then note the reductions applied.
"""
from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from contracts.domain import FAULT_CAUSES, in_warranty, round_money
from contracts.errors import InvalidFacts
from contracts.terms import agreed_part_price
from contracts.types import (
    ACCEPTED,
    REJECTED,
    REVIEW,
    ClaimDecision,
    ClaimFact,
    ClaimHistory,
)
from plugins.compensation_terms import warranty_months

REPEAT_WINDOW_DAYS = 30  # DOMAIN.md: a repeat of an accepted claim within 30 days


def check_claim(claim: ClaimFact) -> None:
    """Refuse a claim whose figures cannot be right (the portal validates at intake)."""
    amounts = (claim.claimed_labour, claim.claimed_parts, claim.claimed_handling)
    if not all(isinstance(amount, Decimal) and amount >= 0 for amount in amounts):
        raise InvalidFacts(claim.ref, "claimed amounts must be Decimals ≥ 0")
    if any(part.quantity <= 0 for part in claim.parts):
        raise InvalidFacts(claim.ref, "every claimed part needs a positive quantity")


def eligibility_reasons(terms: Mapping[str, Any], claim: ClaimFact,
                        history: ClaimHistory) -> list[str]:
    """The coverage rules that fail: shipment, warranty, cause, window, repeat."""
    reasons = []
    unit = history.shipped_units.get(claim.serial)
    if unit is None:
        reasons.append("not_shipped_to_client")
    else:
        if unit.model_code != claim.model_code:
            reasons.append("model_mismatch")
        months = warranty_months(terms).get(claim.repaired_category)
        if months is None:
            reasons.append("unknown_part_category")
        elif not in_warranty(unit.ship_date, claim.repair_date, months, terms["grace_days"]):
            reasons.append("out_of_warranty")
    if claim.fault_cause not in FAULT_CAUSES:
        reasons.append("unknown_fault_cause")
    elif claim.fault_cause in terms["excluded_fault_causes"]:
        reasons.append("excluded_fault_cause")
    delay = (claim.submitted_on - claim.repair_date).days
    if delay < 0:
        reasons.append("submitted_before_repair")
    elif delay > terms["submission_window_days"]:
        reasons.append("late_submission")
    # Either order counts: two accepted repairs of one serial within the window are a repeat.
    earlier = history.accepted_repairs.get(claim.serial, ())
    if any(abs((claim.repair_date - day).days) <= REPEAT_WINDOW_DAYS for day in earlier):
        reasons.append("repeat_within_30_days")
    return reasons


def schedule_amount(terms: Mapping[str, Any], claim: ClaimFact) -> tuple[Decimal, list[str]]:
    """Labour for the level + parts at the agreed prices + handling, rounded; and the
    reasons it cannot be priced (the unknown items then count as zero)."""
    reasons = []
    labour = terms["labour_fees"].get(claim.repair_level)
    if labour is None:
        reasons.append("unknown_repair_level")
    parts = Decimal(0)
    for part in claim.parts:
        price = agreed_part_price(terms, part.part_number, part.category)
        if price is None:
            if "unknown_part_price" not in reasons:
                reasons.append("unknown_part_price")
        else:
            parts += part.quantity * price
    total = (labour or Decimal(0)) + parts + terms["handling_fee"]
    return round_money(total, claim.currency), reasons


def adjudicate(terms: Mapping[str, Any], claim: ClaimFact,
               history: ClaimHistory) -> ClaimDecision:
    check_claim(claim)
    currency = claim.currency
    claimed = round_money(claim.claimed_amount, currency)
    schedule, reasons = schedule_amount(terms, claim)
    reasons = eligibility_reasons(terms, claim, history) + reasons
    threshold = terms.get("preauthorisation_threshold")
    priced = "unknown_repair_level" not in reasons and "unknown_part_price" not in reasons
    if threshold is not None and priced and schedule > threshold and not claim.preauthorised:
        reasons.append("preauthorisation_missing")
    if reasons:
        return ClaimDecision(REJECTED, tuple(reasons), claimed, schedule,
                             round_money(Decimal(0), currency))
    adjusted, notes = _adjust(claimed, schedule, terms.get("cap_per_claim"), currency)
    review = terms.get("review_threshold")
    if review is not None and adjusted > review:
        return ClaimDecision(REVIEW, ("above_review_threshold", *notes), claimed, schedule,
                             adjusted)
    return ClaimDecision(ACCEPTED, tuple(notes), claimed, schedule, adjusted)


def _adjust(claimed: Decimal, schedule: Decimal, cap: Decimal | None,
            currency: str) -> tuple[Decimal, list[str]]:
    """min(claimed, schedule, cap), with a note for each reduction that bit."""
    adjusted, notes = claimed, []
    if schedule < adjusted:
        adjusted = schedule
        notes.append("reduced_to_schedule")
    if cap is not None and cap < adjusted:
        adjusted = cap
        notes.append("capped_per_claim")
    return round_money(adjusted, currency), notes
