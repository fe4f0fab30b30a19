"""Repair-fee compensation, the period's settlement: credits for accepted claims, the list
of rejected ones, the period cap, the terms schema."""
from __future__ import annotations

import json
from datetime import date

import pytest
from marshmallow import ValidationError

from contracts import (
    ClaimDecision,
    CurrencyMismatch,
    DecidedClaim,
    InvalidFacts,
    RejectedClaim,
    dump_terms,
    load_terms,
)
from plugins.compensation_terms import DEFAULT_EXCLUDED_CAUSES
from tests.schemes.scheme_builders import SCHEMES, D, amounts, claim, facts, settle

KEY = "repair_compensation"
TERMS = {
    "labour_fees": {"L1": "50.00", "L2": "80.00", "L3": "120.00"},
    "handling_fee": "5.00",
    "part_prices": {"MB-55A": "310.00"},
    "cap_per_claim": "300.00",
}


def accepted(ref, adjusted, day, claimed="420.00", currency="CNY"):
    return DecidedClaim(
        claim(ref, serial=f"SN-{ref}", decided_on=date(2024, 1, day), currency=currency),
        ClaimDecision("accepted", (), D(claimed), D("395.00"), D(adjusted)),
    )


def rejected(ref, day, *reasons):
    return DecidedClaim(
        claim(ref, serial=f"SN-{ref}", decided_on=date(2024, 1, day)),
        ClaimDecision("rejected", reasons, D("420.00"), D("395.00"), D("0.00")),
    )


def test_accepted_claims_are_credited_and_rejected_ones_listed():
    result = settle(KEY, TERMS, facts(claims=(
        rejected("CL-2", 20, "repeat_within_30_days"),
        accepted("CL-1", "300.00", 8),
    )))
    assert amounts(result) == [("CL-1", "credit", D("300.00"))]
    assert result.total == D("300.00")
    line = result.lines[0]
    assert line.description_key == "claim_accepted" and line.section == "claims_accepted"
    assert (line.params["claimed"], line.params["adjusted"]) == (D("420.00"), D("300.00"))
    assert result.rejected_claims == (
        RejectedClaim("CL-2", "SN-CL-2", ("repeat_within_30_days",)),)


def test_period_cap_trims_the_claims_decided_last():
    claims = (accepted("C", "200.00", 20), accepted("A", "200.00", 5),
              accepted("B2", "200.00", 12), accepted("B1", "200.00", 12))
    result = settle(KEY, {**TERMS, "cap_per_period": "500.00"}, facts(claims=claims))
    assert amounts(result) == [
        ("A", "credit", D("200.00")), ("B1", "credit", D("200.00")),
        ("B2", "credit", D("100.00")), ("C", "credit", D("0.00")),
    ]
    assert result.total == D("500.00")
    assert [line.description_key for line in result.lines] == [
        "claim_accepted", "claim_accepted", "claim_trimmed", "claim_trimmed"]
    assert result.lines[2].params["paid"] == D("100.00")


def test_period_cap_not_reached_changes_nothing():
    result = settle(KEY, {**TERMS, "cap_per_period": "1000"}, facts(claims=(
        accepted("A", "300.00", 3), accepted("B", "250.50", 4))))
    assert result.total == D("550.50")
    assert {line.description_key for line in result.lines} == {"claim_accepted"}


def test_a_claim_still_under_review_blocks_the_settlement():
    pending = DecidedClaim(claim("CL-9", decided_on=date(2024, 1, 9)),
                           ClaimDecision("review", ("above_review_threshold",), D("420"),
                                         D("395"), D("300")))
    with pytest.raises(InvalidFacts, match="CL-9"):
        settle(KEY, TERMS, facts(claims=(pending,)))


def test_a_rejection_without_reason_is_refused():
    with pytest.raises(InvalidFacts, match="CL-3"):
        settle(KEY, TERMS, facts(claims=(rejected("CL-3", 9),)))


def test_a_claim_decided_outside_the_period_is_refused():
    late = accepted("CL-FEB", "100", 9)
    moved = DecidedClaim(claim("CL-FEB", decided_on=date(2024, 2, 1)), late.decision)
    with pytest.raises(InvalidFacts, match="CL-FEB"):
        settle(KEY, TERMS, facts(claims=(moved,)))


def test_a_claim_in_another_currency_blocks():
    with pytest.raises(CurrencyMismatch, match="claim CL-USD"):
        settle(KEY, TERMS, facts(claims=(accepted("CL-USD", "100", 3, currency="USD"),)))


def test_terms_defaults_follow_the_domestic_rules():
    loaded = load_terms(SCHEMES[KEY], TERMS)
    assert loaded["excluded_fault_causes"] == list(DEFAULT_EXCLUDED_CAUSES)
    assert loaded["submission_window_days"] == 60 and loaded["grace_days"] == 0
    assert loaded["warranty_months"] == {}
    assert "cap_per_period" not in loaded


def test_terms_round_trip_through_json():
    data = {**TERMS, "cap_per_period": "5000", "warranty_months": {"panel": 24},
            "excluded_fault_causes": ["human_damage"], "review_threshold": None}
    loaded = load_terms(SCHEMES[KEY], data)
    dumped = dump_terms(SCHEMES[KEY], loaded)
    assert dumped["labour_fees"] == {"L1": "50.00", "L2": "80.00", "L3": "120.00"}
    assert dumped["cap_per_period"] == "5000" and dumped["warranty_months"] == {"panel": 24}
    assert load_terms(SCHEMES[KEY], json.loads(json.dumps(dumped))) == loaded


@pytest.mark.parametrize("bad", [
    {**TERMS, "labour_fees": {"L1": "50", "L2": "80", "L3": "120", "L4": "200"}},
    {**TERMS, "labour_fees": {"L1": "50", "L2": "80"}},
    {**TERMS, "labour_fees": {"L1": "-50", "L2": "80", "L3": "120"}},
    {**TERMS, "handling_fee": "-5"},
    {**TERMS, "cap_per_claim": "0"},
    {**TERMS, "excluded_fault_causes": ["bad_luck"]},
    {**TERMS, "submission_window_days": 60.5},
    {**TERMS, "submission_window_days": -1},
    {**TERMS, "warranty_months": {"unit": "twelve"}},
    {**TERMS, "grace_days": "3.5"},
    {key: value for key, value in TERMS.items() if key != "handling_fee"},
])
def test_terms_schema_rejects_bad_input(bad):
    with pytest.raises(ValidationError):
        load_terms(SCHEMES[KEY], bad)
