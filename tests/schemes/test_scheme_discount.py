"""Price discount: DOMAIN.md's worked example and the rule's edge cases."""
from __future__ import annotations

import pytest
from marshmallow import ValidationError

from contracts import CurrencyMismatch, dump_terms, load_terms
from tests.schemes.scheme_builders import SCHEMES, D, amounts, facts, settle, shipment

KEY = "price_discount"
RATE = {"discount_rate": "3"}


def test_worked_example_discount_3_percent_usd():
    result = settle(KEY, RATE, facts("USD", shipments=(
        shipment("KTM-27C", 120, "249.99", currency="USD", ref="L1", day=3),
        shipment("KTM-27C", 7, "249.99", currency="USD", ref="L2", day=9),
    )))
    assert amounts(result) == [("L1", "credit", D("899.96")), ("L2", "credit", D("52.50"))]
    assert result.total == D("952.46")
    line = result.lines[0]
    assert (line.quantity, line.unit_price) == (120, D("249.99"))
    assert line.section == "discount" and line.description_key == "discount_shipment"
    assert line.params["shipment_no"] == "SH-1" and line.params["rate"] == D("3")


def test_one_line_per_shipment_line_not_per_model():
    result = settle(KEY, RATE, facts(shipments=(
        shipment(quantity=1, price="0.10", ref="a"),
        shipment(quantity=1, price="0.10", ref="b"),
    )))
    # each 0.003 rounds to 0.00 on its own: per-line rounding, no line at all
    assert result.lines == ()


def test_a_return_line_is_a_debit():
    result = settle(KEY, RATE, facts(shipments=(
        shipment(quantity=10, price="100.00", ref="S1", day=2),
        shipment(quantity=-2, price="100.00", ref="R1", day=20),
    )))
    assert amounts(result) == [("S1", "credit", D("30.00")), ("R1", "debit", D("6.00"))]
    assert result.total == D("24.00")


def test_lines_follow_ship_date_then_shipment_number_whatever_the_fact_order():
    shipments = (
        shipment(ref="c", day=20, shipment_no="SH-9"),
        shipment(ref="b", day=5, shipment_no="SH-2"),
        shipment(ref="a", day=5, shipment_no="SH-1"),
    )
    forward = settle(KEY, RATE, facts(shipments=shipments))
    backward = settle(KEY, RATE, facts(shipments=shipments[::-1]))
    assert [line.reference for line in forward.lines] == ["a", "b", "c"]
    assert forward == backward


def test_jpy_rounds_to_whole_yen():
    result = settle(KEY, RATE, facts("JPY", shipments=(
        shipment(quantity=7, price="2499", currency="JPY", ref="a"),  # 524.79 JPY
    )))
    assert amounts(result) == [("a", "credit", D("525"))]


def test_currency_mismatch_blocks():
    with pytest.raises(CurrencyMismatch, match="S-EUR"):
        settle(KEY, RATE, facts("USD", shipments=(shipment(ref="S-EUR", currency="EUR"),)))


@pytest.mark.parametrize("bad", [
    {"discount_rate": "-3"}, {"discount_rate": "0"}, {"discount_rate": "150"},
    {"discount_rate": None}, {"discount_rate": True}, {},
])
def test_terms_schema_rejects_bad_input(bad):
    with pytest.raises(ValidationError):
        load_terms(SCHEMES[KEY], bad)


def test_terms_round_trip():
    loaded = load_terms(SCHEMES[KEY], {"discount_rate": "3.25"})
    assert dump_terms(SCHEMES[KEY], loaded) == {"discount_rate": "3.25"}
