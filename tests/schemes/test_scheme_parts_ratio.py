"""Spare-parts ratio: DOMAIN.md's worked example, the entitlement floor, issue order,
the ledger and the terms schema."""
from __future__ import annotations

import pytest
from marshmallow import ValidationError

from contracts import CurrencyMismatch, InvalidFacts, LedgerRow, TermsIncomplete, load_terms
from tests.schemes.scheme_builders import SCHEMES, D, amounts, facts, part_issue, settle, shipment

KEY = "parts_ratio"
TERMS = {"category_ratios": {"main_board": "1"}, "part_prices": {"MB-55A": "310.00"}}


def test_worked_example_three_boards_on_an_entitlement_of_two():
    result = settle(KEY, TERMS, facts(
        shipments=(shipment("KTV-55A", 250, "1850.00", ref="S1", day=2),),
        part_issues=(part_issue(ref="I1", day=10), part_issue(ref="I2", day=11),
                     part_issue(ref="I3", day=12)),
    ))
    assert amounts(result) == [("I3", "debit", D("310.00"))]
    assert result.total == D("-310.00")
    assert result.ledger == (LedgerRow("KTV-55A", "main_board", accrued=2, used=2,
                                       remaining=0, free_in_period=2, charged_in_period=1),)
    line = result.lines[0]
    assert (line.quantity, line.unit_price, line.section) == (1, D("310.00"), "parts_charged")
    assert line.params["issued"] == 1 and line.params["charged"] == 1


def test_one_issue_of_three_is_partly_free():
    result = settle(KEY, TERMS, facts(
        shipments=(shipment("KTV-55A", 250, ref="S1", day=2),),
        part_issues=(part_issue(quantity=3, ref="I1"),),
    ))
    assert amounts(result) == [("I1", "debit", D("310.00"))]
    assert result.lines[0].quantity == 1 and result.lines[0].params["issued"] == 3


def test_entitlement_is_floored():
    result = settle(KEY, TERMS, facts(
        shipped_before={"KTV-55A": 199},  # 1.99 -> 1
        part_issues=(part_issue(quantity=2, ref="I1"),),
    ))
    assert amounts(result) == [("I1", "debit", D("310.00"))]
    assert result.ledger[0].accrued == 1


def test_issues_are_taken_by_date_then_reference_not_fact_order():
    issues = (part_issue(ref="I-B", day=10), part_issue(ref="I-A", day=10),
              part_issue(ref="I-0", day=3))
    result = settle(KEY, TERMS, facts(shipped_before={"KTV-55A": 200}, part_issues=issues))
    assert amounts(result) == [("I-B", "debit", D("310.00"))]
    assert result == settle(KEY, TERMS, facts(shipped_before={"KTV-55A": 200},
                                              part_issues=issues[::-1]))


def test_a_shipment_counts_from_its_ship_date_same_day_included():
    result = settle(KEY, TERMS, facts(
        shipments=(shipment(quantity=100, ref="S1", day=10),
                   shipment(quantity=100, ref="S2", day=20)),
        part_issues=(part_issue(ref="before", day=9), part_issue(ref="same-day", day=10),
                     part_issue(ref="early", day=11), part_issue(ref="after", day=20)),
    ))
    # day 9: nothing shipped yet; day 10: 100 units -> 1; day 11: used up; day 20: 200 -> 2
    assert [ref for ref, _, _ in amounts(result)] == ["before", "early"]
    assert result.ledger[0] == LedgerRow("KTV-55A", "main_board", 2, 2, 0, 2, 2)


def test_free_parts_issued_before_the_period_are_deducted():
    result = settle(KEY, TERMS, facts(
        shipped_before={"KTV-55A": 300}, free_issued_before={("KTV-55A", "main_board"): 2},
        part_issues=(part_issue(quantity=2, ref="I1"),),
    ))
    assert amounts(result) == [("I1", "debit", D("310.00"))]
    assert result.ledger[0] == LedgerRow("KTV-55A", "main_board", 3, 3, 0, 1, 1)


def test_returns_lower_the_accrual_but_the_entitlement_never_goes_negative():
    result = settle(KEY, TERMS, facts(
        shipped_before={"KTV-55A": 300}, free_issued_before={("KTV-55A", "main_board"): 3},
        shipments=(shipment(quantity=-150, ref="R1", day=2),),
        part_issues=(part_issue(ref="I1", day=5),),
    ))
    assert amounts(result) == [("I1", "debit", D("310.00"))]
    assert result.ledger[0] == LedgerRow("KTV-55A", "main_board", 1, 3, 0, 0, 1)


def test_a_model_ratio_overrides_the_category_ratio():
    terms = {**TERMS, "model_ratios": {"KTV-43B": {"main_board": "2"}},
             "category_prices": {"main_board": "250.00"}}
    result = settle(KEY, terms, facts(
        shipped_before={"KTV-55A": 100, "KTV-43B": 100},
        part_issues=(part_issue("MB-55A", 2, ref="I55", model="KTV-55A"),
                     part_issue("MB-43B", 3, ref="I43", model="KTV-43B")),
    ))
    # KTV-55A: 1 free, 1 charged at its part price; KTV-43B: 2 free, 1 at the category price
    assert amounts(result) == [("I43", "debit", D("250.00")), ("I55", "debit", D("310.00"))]


def test_every_shipped_model_gets_a_ledger_row_per_ratio_category():
    terms = {"category_ratios": {"main_board": "1", "power_board": "0.5"},
             "category_prices": {"main_board": "300", "power_board": "120"}}
    result = settle(KEY, terms, facts(shipped_before={"KTV-55A": 400, "KTV-43B": 10}))
    assert result.lines == ()
    assert [(r.model_code, r.category, r.accrued, r.remaining) for r in result.ledger] == [
        ("KTV-43B", "main_board", 0, 0), ("KTV-43B", "power_board", 0, 0),
        ("KTV-55A", "main_board", 4, 4), ("KTV-55A", "power_board", 2, 2),
    ]


def test_a_category_without_a_ratio_is_always_charged():
    terms = {**TERMS, "category_prices": {"remote": "12.50"}}
    result = settle(KEY, terms, facts(
        shipped_before={"KTV-55A": 1000},
        part_issues=(part_issue("RC-1", 2, ref="I1", category="remote"),),
    ))
    assert amounts(result) == [("I1", "debit", D("25.00"))]


def test_a_charged_part_without_an_agreed_price_blocks_the_settlement():
    with pytest.raises(TermsIncomplete, match="PB-9"):
        settle(KEY, TERMS, facts(part_issues=(
            part_issue("PB-9", ref="I1", category="power_board"),)))


def test_jpy_prices_round_to_whole_yen():
    terms = {"category_ratios": {"panel": "1"}, "category_prices": {"panel": "12345.6"}}
    result = settle(KEY, terms, facts("JPY", part_issues=(
        part_issue("PN-1", ref="I1", category="panel", currency="JPY"),)))
    assert amounts(result) == [("I1", "debit", D("12346"))]


def test_currency_mismatch_blocks_on_a_part_issue():
    with pytest.raises(CurrencyMismatch, match="part issue I-HK"):
        settle(KEY, TERMS, facts(part_issues=(part_issue(ref="I-HK", currency="HKD"),)))


def test_a_part_issue_needs_a_positive_quantity():
    with pytest.raises(InvalidFacts, match="I0"):
        settle(KEY, TERMS, facts(part_issues=(part_issue(quantity=0, ref="I0"),)))


@pytest.mark.parametrize("bad", [
    {**TERMS, "category_ratios": {"main_board": "101"}},
    {**TERMS, "category_ratios": {"main_board": "-1"}},
    {**TERMS, "category_ratios": {"speaker": "1"}},
    {**TERMS, "category_ratios": {}},
    {"category_ratios": {"main_board": "1"}},  # no price at all
    {**TERMS, "part_prices": {"MB-55A": "-310"}},
    {**TERMS, "model_ratios": {"KTV-55A": {"main_board": "x"}}},
    {**TERMS, "category_prices": {"tuner": "5"}},
])
def test_terms_schema_rejects_bad_input(bad):
    with pytest.raises(ValidationError):
        load_terms(SCHEMES[KEY], bad)
