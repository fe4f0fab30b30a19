"""Buyout with rebate: DOMAIN.md's worked example and the rule's edge cases."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from marshmallow import ValidationError

from contracts import ClaimHistory, CurrencyMismatch, InvalidFacts, dump_terms, load_terms
from tests.schemes.scheme_builders import (
    MANAGER,
    SCHEMES,
    D,
    adjudicate,
    amounts,
    claim,
    facts,
    settle,
    shipment,
    terms,
)

KEY = "buyout_rebate"
RATE = {"rebate_rate": "1.5"}


def test_worked_example_buyout_1_5_percent_cny():
    result = settle(KEY, RATE, facts(shipments=(
        shipment("KTV-55A", 1000, "1850.00", ref="S1"),
        shipment("KTV-55A", -20, "1850.00", ref="S2"),  # a return
        shipment("KTV-43B", 300, "1199.90", ref="S3"),
    )))
    assert amounts(result) == [
        ("KTV-43B", "credit", D("5399.55")),
        ("KTV-55A", "credit", D("27195.00")),
    ]
    assert result.total == D("32594.55")
    first = result.lines[1]
    assert first.section == "rebate" and first.description_key == "rebate_model"
    assert first.params == {"model": "KTV-55A", "quantity": 980, "base": D("1813000.00"),
                            "rate": D("1.5")}
    assert first.quantity == 980 and first.unit_price is None


def test_returns_reduce_the_base():
    without_return = settle(KEY, RATE, facts(shipments=(shipment(quantity=10, ref="a"),)))
    with_return = settle(KEY, RATE, facts(shipments=(
        shipment(quantity=10, ref="a"), shipment(quantity=-4, ref="b"),
    )))
    assert without_return.total == D("15.00")
    assert with_return.total == D("9.00")


def test_a_model_with_more_returns_than_shipments_gives_a_debit():
    result = settle(KEY, RATE, facts(shipments=(
        shipment("KTV-55A", 2, "1000.00", ref="a"),
        shipment("KTV-55A", -5, "1000.00", ref="b"),
        shipment("KTV-43B", 10, "100.00", ref="c"),
    )))
    assert amounts(result) == [("KTV-43B", "credit", D("15.00")),
                               ("KTV-55A", "debit", D("45.00"))]
    assert result.total == D("-30.00")


def test_zero_lines_are_skipped():
    result = settle(KEY, RATE, facts(shipments=(
        shipment(quantity=3, ref="a"), shipment(quantity=-3, ref="b"),
    )))
    assert result.lines == () and result.total == 0


def test_a_line_rounding_to_zero_is_skipped():
    result = settle(KEY, {"rebate_rate": "0.1"}, facts(shipments=(
        shipment(quantity=1, price="4.99", ref="a"),  # 0.00499 rounds to 0.00
    )))
    assert result.lines == ()


def test_jpy_rounds_to_whole_yen():
    result = settle(KEY, RATE, facts("JPY", shipments=(
        shipment(quantity=3, price="999", currency="JPY", ref="a"),  # 44.955 JPY
    )))
    assert amounts(result) == [("KTV-55A", "credit", D("45"))]
    assert result.lines[0].amount.as_tuple().exponent == 0


def test_half_up_rounding():
    result = settle(KEY, {"rebate_rate": "50"}, facts(shipments=(
        shipment(quantity=1, price="0.05", ref="a"),  # 0.025 -> 0.03
    )))
    assert result.total == D("0.03")


def test_a_shipment_in_another_currency_blocks_the_settlement():
    with pytest.raises(CurrencyMismatch) as error:
        settle(KEY, RATE, facts(shipments=(
            shipment(ref="S-OK"), shipment(ref="S-USD-7", currency="USD"),
        )))
    assert "S-USD-7" in str(error.value) and "USD" in str(error.value)
    assert "CNY" in str(error.value)


def test_a_shipment_outside_the_period_is_refused():
    outside = replace(shipment(ref="S-FEB"), ship_date=date(2024, 2, 1))
    with pytest.raises(InvalidFacts, match="S-FEB"):
        settle(KEY, RATE, facts(shipments=(outside,)))


def test_answers_only_for_its_own_key_and_never_adjudicates():
    loaded = terms(KEY, RATE)
    assert MANAGER.hook.portal_settle(scheme_key="nope", terms=loaded, facts=facts()) is None
    assert adjudicate(KEY, RATE, claim(), ClaimHistory()) is None


@pytest.mark.parametrize("bad", [
    {"rebate_rate": "-1"},
    {"rebate_rate": "0"},
    {"rebate_rate": "100.01"},
    {"rebate_rate": "abc"},
    {"rebate_rate": "NaN"},
    {},
    {"rebate_rate": "1.5", "spare_parts_allowance": "101"},
    {"rebate_rate": "1.5", "unknown": "1"},
])
def test_terms_schema_rejects_bad_input(bad):
    with pytest.raises(ValidationError):
        load_terms(SCHEMES[KEY], bad)


def test_terms_load_from_json_and_dump_back_with_decimal_strings():
    loaded = load_terms(SCHEMES[KEY], {"rebate_rate": 1.5, "spare_parts_allowance": "2"})
    assert loaded == {"rebate_rate": D("1.5"), "spare_parts_allowance": D("2")}
    dumped = dump_terms(SCHEMES[KEY], loaded)
    assert dumped == {"rebate_rate": "1.5", "spare_parts_allowance": "2"}
    assert load_terms(SCHEMES[KEY], json.loads(json.dumps(dumped))) == loaded
    assert load_terms(SCHEMES[KEY], {"rebate_rate": "100"}) == {"rebate_rate": D("100")}
