"""The declared shipment grain: what aggregated facts look like, and that every built-in
scheme settles its declared grain exactly as it settles single lines."""
from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts import SHIPMENT_GRAINS, CurrencyMismatch, ShipmentFact, check_currency
from contracts.toolkit import aggregate_shipments
from tests.schemes.scheme_builders import SCHEMES, D, facts, part_issue, settle, shipment

FAST = settings(max_examples=60, deadline=None, database=None)
DECLARED = {"buyout_rebate": "model_price", "price_discount": "line",
            "parts_ratio": "model_day", "repair_compensation": "model_price"}
TERMS = {
    "buyout_rebate": {"rebate_rate": "1.5"},
    "price_discount": {"discount_rate": "3"},
    "parts_ratio": {"category_ratios": {"main_board": "1", "panel": "2.5"},
                    "category_prices": {"main_board": "310.00", "panel": "980.00"}},
    "repair_compensation": {"labour_fees": {"L1": "50.00", "L2": "80.00", "L3": "120.00"},
                            "handling_fee": "5.00", "category_prices": {"main_board": "310.00"}},
}


def at_grain(period_facts, grain):
    """The same facts as the portal gathers them for a scheme declaring ``grain``."""
    return replace(period_facts, shipment_grain=grain,
                   shipments=aggregate_shipments(period_facts.shipments, grain, period_facts.currency))


# Few models, prices and days, so that lines often fall into the same group.
@st.composite
def colliding_shipments(draw, currency="CNY"):
    rows = draw(st.lists(st.tuples(st.sampled_from(("KTV-55A", "KTV-43B", "KTM-27C")),
                                   st.integers(-30, 300),
                                   st.sampled_from(("1850.00", "1199.90", "0.05", "999.99")),
                                   st.sampled_from((1, 2, 10, 31))), max_size=25))
    return tuple(shipment(model, quantity, price, ref=f"SH-{index // 4}/{index}", day=day,
                          currency=currency, shipment_no=f"SH-{index // 4}", batch=f"B{index % 2}")
                 for index, (model, quantity, price, day) in enumerate(rows))


def test_each_built_in_declares_its_grain():
    assert {key: info.shipment_grain for key, info in SCHEMES.items()} == DECLARED
    assert SHIPMENT_GRAINS == ("line", "model_day", "model_price")


def test_model_price_sums_lines_per_model_and_price():
    lines = (shipment("KTV-55A", 1000, "1850.00", ref="SH-1/1", day=10, shipment_no="SH-1"),
             shipment("KTV-43B", 300, "1199.90", ref="SH-1/2", day=10, shipment_no="SH-1"),
             shipment("KTV-55A", -20, "1850.00", ref="SH-2/3", day=20, shipment_no="SH-2"),
             shipment("KTV-55A", 5, "1700.00", ref="SH-2/4", day=3, shipment_no="SH-2"))
    got = aggregate_shipments(lines, "model_price", "CNY")
    assert got == (
        ShipmentFact("*/KTV-43B/1199.90", "*", "KTV-43B", "*", 300, D("1199.90"), "CNY", date(2024, 1, 10)),
        ShipmentFact("*/KTV-55A/1700.00", "*", "KTV-55A", "*", 5, D("1700.00"), "CNY", date(2024, 1, 3)),
        ShipmentFact("*/KTV-55A/1850.00", "*", "KTV-55A", "*", 980, D("1850.00"), "CNY", date(2024, 1, 20)),
    )
    assert aggregate_shipments(lines, "line", "CNY") == lines


def test_model_day_keeps_each_ship_date():
    lines = (shipment(quantity=100, ref="a", day=10), shipment(quantity=50, ref="b", day=10),
             shipment(quantity=-7, ref="c", day=20))
    got = aggregate_shipments(lines, "model_day", "CNY")
    assert [(f.ref, f.quantity, f.ship_date) for f in got] == [
        ("*/KTV-55A/2024-01-10/100.00", 150, date(2024, 1, 10)),
        ("*/KTV-55A/2024-01-20/100.00", -7, date(2024, 1, 20))]


def test_a_group_in_another_currency_is_named_by_its_first_line():
    lines = (shipment(ref="SH-1/1"), shipment(ref="SH-7/9", currency="USD"),
             shipment(ref="SH-7/10", currency="USD"))
    got = aggregate_shipments(lines, "model_price", "CNY")
    assert [(f.ref, f.currency, f.quantity) for f in got] == [("*/KTV-55A/100.00", "CNY", 1),
                                                            ("SH-7/9", "USD", 2)]
    with pytest.raises(CurrencyMismatch, match="SH-7/9"):
        check_currency(at_grain(facts(shipments=lines), "model_price"))


def test_an_unknown_grain_is_refused():
    with pytest.raises(ValueError, match="model_week"):
        aggregate_shipments((), "model_week", "CNY")


@FAST
@given(lines=colliding_shipments(), grain=st.sampled_from(SHIPMENT_GRAINS))
def test_every_grain_keeps_quantity_and_value_per_model(lines, grain):
    def per_model(shipments):
        quantity, value = Counter(), Counter()
        for fact in shipments:
            quantity[fact.model_code] += fact.quantity
            value[fact.model_code] += fact.value
        return quantity, value

    got = aggregate_shipments(lines, grain, "CNY")
    assert per_model(got) == per_model(lines)
    assert len(got) <= len(lines)
    assert aggregate_shipments(reversed(lines), grain, "CNY") == (
        got if grain != "line" else tuple(reversed(lines)))


@FAST
@given(data=st.data(), key=st.sampled_from(sorted(DECLARED)))
def test_settling_the_declared_grain_gives_identical_lines_and_totals(data, key):
    lines = data.draw(colliding_shipments())
    issues = data.draw(st.lists(st.tuples(st.sampled_from(("KTV-55A", "KTV-43B")),
                                          st.sampled_from(("main_board", "panel")),
                                          st.integers(1, 5), st.integers(1, 31)), max_size=8))
    period_facts = facts(
        shipments=lines, shipped_before={"KTV-55A": data.draw(st.integers(-20, 400))},
        part_issues=tuple(part_issue(f"P-{category}", quantity, ref=f"I{n}", category=category,
                                     model=model, day=day)
                          for n, (model, category, quantity, day) in enumerate(issues)))
    from_lines = settle(key, TERMS[key], period_facts)
    from_grain = settle(key, TERMS[key], at_grain(period_facts, SCHEMES[key].shipment_grain))
    assert from_grain.lines == from_lines.lines
    assert from_grain.ledger == from_lines.ledger
    assert from_grain.total == from_lines.total


def test_price_discount_needs_single_lines():
    lines = (shipment(quantity=1, price="0.10", ref="a"), shipment(quantity=1, price="0.10", ref="b"),
             shipment(quantity=1, price="0.10", ref="c"))
    terms = TERMS["price_discount"]
    # 3 % of 0.10 rounds to 0.00 on each line (skipped), but 0.01 on the three summed
    assert settle("price_discount", terms, facts(shipments=lines)).total == 0
    assert settle("price_discount", terms, at_grain(facts(shipments=lines), "model_price")).total == D("0.01")


def test_parts_ratio_needs_ship_dates():
    period_facts = facts(shipments=(shipment(quantity=100, ref="a", day=2),
                                    shipment(quantity=100, ref="b", day=20)),
                         part_issues=(part_issue(ref="I1", day=10),))
    terms = TERMS["parts_ratio"]
    assert settle("parts_ratio", terms, period_facts).lines == ()  # 100 units by day 10: 1 free
    coarse = settle("parts_ratio", terms, at_grain(period_facts, "model_price"))
    assert coarse.total == D("-310.00")  # every unit dated day 20: nothing free on day 10
