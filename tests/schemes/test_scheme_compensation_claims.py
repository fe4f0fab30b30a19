"""Repair-fee compensation, adjudication of one claim: DOMAIN.md's worked example, each
rejection reason on its own, the amounts, review and pre-authorisation."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from contracts import ClaimHistory, ClaimPart, InvalidFacts, ShippedUnit
from tests.schemes.scheme_builders import MANAGER, D, adjudicate, claim, terms

KEY = "repair_compensation"
TERMS = {
    "labour_fees": {"L1": "50.00", "L2": "80.00", "L3": "120.00"},
    "handling_fee": "5.00",
    "part_prices": {"MB-55A": "310.00"},
    "cap_per_claim": "300.00",
}
SHIPPED = date(2023, 6, 1)
HISTORY = ClaimHistory(shipped_units={"SN-1": ShippedUnit("KTV-55A", SHIPPED)})


def decide(the_claim=None, terms=None, history=HISTORY):
    return adjudicate(KEY, terms or TERMS, the_claim or claim(), history)


def reasons_of(**claim_fields):
    return decide(claim(**claim_fields)).reasons


def test_worked_example_capped_claim_then_repeat_within_30_days():
    first = decide(claim("CL-1", repair_date=date(2024, 1, 5)))
    assert first.outcome == "accepted"
    assert (first.claimed_amount, first.schedule_amount, first.adjusted_amount) == (
        D("420.00"), D("395.00"), D("300.00"))
    assert first.reasons == ("reduced_to_schedule", "capped_per_claim")

    history = ClaimHistory(shipped_units=HISTORY.shipped_units,
                           accepted_repairs={"SN-1": (date(2024, 1, 5),)})
    second = decide(claim("CL-2", repair_date=date(2024, 1, 17)), history=history)
    assert second.outcome == "rejected"
    assert second.reasons == ("repeat_within_30_days",)
    assert second.adjusted_amount == D("0.00")


def test_a_clean_claim_below_schedule_and_cap_is_paid_as_claimed():
    decision = decide(claim(labour="80.00", parts_amount="150.00", handling="5.00"))
    assert decision.outcome == "accepted" and decision.reasons == ()
    assert decision.adjusted_amount == D("235.00")


def test_without_a_cap_the_schedule_limits():
    terms = {key: value for key, value in TERMS.items() if key != "cap_per_claim"}
    decision = decide(terms=terms)
    assert decision.adjusted_amount == D("395.00")
    assert decision.reasons == ("reduced_to_schedule",)


def test_not_shipped_to_this_client():
    assert reasons_of(serial="SN-OTHER") == ("not_shipped_to_client",)


def test_serial_of_another_model():
    assert reasons_of(model="KTV-43B") == ("model_mismatch",)


@pytest.mark.parametrize("category, months", [("main_board", 36), ("power_board", 12),
                                              ("panel", 36), ("unit", 12)])
def test_warranty_months_per_category_default_to_the_three_guarantees(category, months):
    last_day = date(SHIPPED.year + months // 12, SHIPPED.month, SHIPPED.day) - timedelta(days=1)
    inside = claim(repaired=category, repair_date=last_day, parts=())
    outside = claim(repaired=category, repair_date=last_day + timedelta(days=1), parts=())
    assert decide(inside).reasons in ((), ("reduced_to_schedule",))
    assert decide(outside).reasons == ("out_of_warranty",)


def test_contract_warranty_months_and_grace_days_win():
    repair = date(2024, 6, 10)  # 12 months and 9 days after shipping
    power = claim(repaired="power_board", repair_date=repair, parts=())
    assert decide(power).reasons == ("out_of_warranty",)
    assert "out_of_warranty" not in decide(power, {**TERMS, "grace_days": 10}).reasons
    assert "out_of_warranty" not in decide(
        power, {**TERMS, "warranty_months": {"power_board": 18}}).reasons
    assert decide(claim(repair_date=repair), {**TERMS, "warranty_months": {"main_board": 6}}
                  ).reasons == ("out_of_warranty",)


def test_unknown_repaired_category():
    assert reasons_of(repaired="speaker", parts=()) == ("unknown_part_category",)


@pytest.mark.parametrize("cause", ["transport_client_logistics", "panel_impact",
                                   "human_damage", "lightning"])
def test_the_non_covered_causes_are_excluded_by_default(cause):
    assert reasons_of(cause=cause) == ("excluded_fault_cause",)


@pytest.mark.parametrize("cause", ["normal_failure", "transport_odm_packaging"])
def test_covered_causes_pass(cause):
    assert decide(claim(cause=cause)).outcome == "accepted"


def test_the_contract_can_change_the_exclusions():
    terms = {**TERMS, "excluded_fault_causes": ["human_damage"]}
    assert decide(claim(cause="lightning"), terms).outcome == "accepted"
    assert decide(claim(cause="human_damage"), terms).reasons == ("excluded_fault_cause",)


def test_unknown_fault_cause():
    assert reasons_of(cause="alien_attack") == ("unknown_fault_cause",)


def test_submission_window_is_60_days_by_default():
    repaired = date(2024, 1, 5)
    assert reasons_of(repair_date=repaired, submitted_on=repaired + timedelta(days=60)) == (
        "reduced_to_schedule", "capped_per_claim")
    assert reasons_of(repair_date=repaired, submitted_on=repaired + timedelta(days=61)) == (
        "late_submission",)
    short = decide(claim(repair_date=repaired, submitted_on=repaired + timedelta(days=31)),
                   {**TERMS, "submission_window_days": 30})
    assert short.reasons == ("late_submission",)


def test_submitted_before_the_repair():
    assert reasons_of(repair_date=date(2024, 1, 5), submitted_on=date(2024, 1, 4)) == (
        "submitted_before_repair",)


@pytest.mark.parametrize("days_apart, repeat", [(0, True), (12, True), (30, True),
                                                (-30, True), (31, False), (-31, False)])
def test_repeat_window_is_30_days_either_side(days_apart, repeat):
    earlier = date(2024, 3, 1)
    history = ClaimHistory(shipped_units=HISTORY.shipped_units,
                           accepted_repairs={"SN-1": (earlier,)})
    the_claim = claim(repair_date=earlier + timedelta(days=days_apart))
    reasons = decide(the_claim, history=history).reasons
    assert ("repeat_within_30_days" in reasons) is repeat


def test_an_accepted_repair_of_another_serial_is_no_repeat():
    history = ClaimHistory(shipped_units=HISTORY.shipped_units,
                           accepted_repairs={"SN-2": (date(2024, 1, 5),)})
    assert decide(history=history).outcome == "accepted"


def test_unknown_repair_level():
    decision = decide(claim(level="L4"))
    assert decision.reasons == ("unknown_repair_level",)
    assert decision.schedule_amount == D("315.00")  # the priced part and handling only


def test_unknown_part_price_is_named_once():
    parts = (ClaimPart("XX-1", "main_board", 1), ClaimPart("XX-2", "main_board", 2))
    assert reasons_of(parts=parts) == ("unknown_part_price",)


def test_a_category_price_prices_a_part():
    terms = {**TERMS, "category_prices": {"power_board": "100.00"}}
    parts = (ClaimPart("PB-1", "power_board", 2),)
    decision = decide(claim(parts=parts, repaired="power_board"), terms)
    assert decision.schedule_amount == D("285.00")


def test_every_failed_rule_is_its_own_reason():
    the_claim = claim(serial="SN-STRANGER", cause="lightning", level="L9",
                      repair_date=date(2024, 1, 5), submitted_on=date(2024, 4, 1))
    assert decide(the_claim).reasons == (
        "not_shipped_to_client", "excluded_fault_cause", "late_submission",
        "unknown_repair_level")


def test_preauthorisation_threshold_on_the_schedule_amount():
    terms = {**TERMS, "preauthorisation_threshold": "350.00"}
    assert decide(claim(), terms).reasons == ("preauthorisation_missing",)
    assert decide(claim(preauthorised=True), terms).outcome == "accepted"
    assert decide(claim(parts=()), terms).outcome == "accepted"  # schedule 85.00


def test_review_threshold_on_the_adjusted_amount():
    terms = {**TERMS, "review_threshold": "250.00"}
    decision = decide(claim(), terms)
    assert decision.outcome == "review"
    assert decision.reasons[0] == "above_review_threshold"
    assert decision.adjusted_amount == D("300.00")
    assert decide(claim(parts=()), terms).outcome == "accepted"


def test_jpy_claim_amounts_round_to_whole_yen():
    terms = {"labour_fees": {"L1": "5000", "L2": "8000", "L3": "12000"},
             "handling_fee": "500.4", "part_prices": {"MB-55A": "31000.35"}}
    decision = decide(claim(currency="JPY", labour="8000", parts_amount="31000",
                            handling="600"), terms)
    assert decision.schedule_amount == D("39501")
    assert decision.adjusted_amount == D("39501")


@pytest.mark.parametrize("bad", [dict(labour="-1"), dict(parts=(ClaimPart("MB-55A",
                                                                          "main_board", 0),))])
def test_impossible_claim_figures_are_refused(bad):
    with pytest.raises(InvalidFacts, match="CL-1"):
        decide(claim(**bad))


def test_other_keys_get_no_answer():
    assert MANAGER.hook.portal_adjudicate_claim(
        scheme_key="buyout_rebate", terms=terms(KEY, TERMS), claim=claim(), history=HISTORY
    ) is None
