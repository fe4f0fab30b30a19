"""Tests of the tiered rebate without the portal: pluggy, the contract's types and checks."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from marshmallow import ValidationError
from odm_tiered_rebate import scheme

from contracts import (
    SHIPMENT_GRAINS,
    Period,
    PeriodFacts,
    ShipmentFact,
    build_plugin_manager,
    collect_schemes,
    dump_terms,
    load_terms,
    validate_result,
)
from contracts.toolkit import aggregate_shipments

MANAGER = build_plugin_manager(scheme, entry_points=False)  # this plugin alone
INFO = collect_schemes(MANAGER)["tiered_rebate"]
TIERS = {"tiers": [{"min_quantity": 0, "rate": "1"}, {"min_quantity": 500, "rate": "1.5"},
                   {"min_quantity": 1000, "rate": "2"}]}


def shipments(*rows: tuple[str, int, str]) -> tuple[ShipmentFact, ...]:
    return tuple(ShipmentFact(f"S{n}", "SH-1", model, "B1", quantity, Decimal(price), "EUR",
                              date(2024, 3, 10)) for n, (model, quantity, price) in enumerate(rows))


def settle(terms: dict, rows: tuple[ShipmentFact, ...], grain: str = "line"):
    """Settle as the portal does; ``grain``: the shipments summed as for that grain."""
    facts = PeriodFacts("ACME", "EUR", date(2024, 1, 1),
                        Period(date(2024, 3, 1), date(2024, 3, 31)),
                        shipments=aggregate_shipments(rows, grain, "EUR"), shipment_grain=grain)
    result = MANAGER.hook.portal_settle(scheme_key="tiered_rebate",
                                        terms=load_terms(INFO, terms), facts=facts)
    return validate_result(result, "EUR", scheme_key="tiered_rebate", info=INFO)


def test_volume_selects_the_tier_for_the_whole_period():
    result = settle(TIERS, shipments(("KTV-55A", 400, "300.00"), ("KTV-43B", 150, "199.99")))
    # 550 units reach the 500 tier: 1.5 % of 120,000.00 and of 29,998.50
    assert [(line.reference, line.amount) for line in result.lines] == [
        ("KTV-43B", Decimal("449.98")), ("KTV-55A", Decimal("1800.00"))]
    assert result.total == Decimal("2249.98")


def test_returns_can_drop_the_period_to_a_lower_tier():
    result = settle(TIERS, shipments(("KTV-55A", 520, "100.00"), ("KTV-55A", -30, "100.00")))
    assert result.lines[0].params["rate"] == Decimal("1")


def test_below_the_first_tier_there_is_no_rebate():
    terms = {"tiers": [{"min_quantity": 100, "rate": "2"}]}
    assert settle(terms, shipments(("KTV-55A", 99, "100.00"))).lines == ()


def test_other_schemes_keys_get_no_answer():
    assert MANAGER.hook.portal_settle(scheme_key="buyout_rebate", terms={}, facts=None) is None


@pytest.mark.parametrize("bad", [
    {"tiers": []},
    {"tiers": [{"min_quantity": 0, "rate": "0"}]},
    {"tiers": [{"min_quantity": 0, "rate": "120"}]},
    {"tiers": [{"min_quantity": -1, "rate": "1"}]},
    {"tiers": [{"min_quantity": 10, "rate": "1"}, {"min_quantity": 10, "rate": "2"}]},
    {"tiers": [{"min_quantity": 0, "rate": "2"}, {"min_quantity": 10, "rate": "1"}]},
])
def test_bad_tiers_are_refused(bad):
    with pytest.raises(ValidationError):
        load_terms(INFO, bad)


def test_terms_round_trip_to_json():
    assert dump_terms(INFO, load_terms(INFO, TIERS)) == TIERS


def test_names_are_translated():
    assert INFO.name("zh_Hans") == "阶梯式货款返点" and INFO.name("es") == "Bonificación escalonada"


def test_it_asks_for_lines_summed_per_model_and_price():
    assert INFO.shipment_grain == "model_price" and INFO.shipment_grain in SHIPMENT_GRAINS


@pytest.mark.parametrize("grain", ["model_day", "model_price"])
def test_summed_facts_settle_exactly_as_single_lines(grain):
    rows = shipments(("KTV-55A", 400, "300.00"), ("KTV-43B", 150, "199.99"),
                     ("KTV-55A", 120, "300.00"), ("KTV-55A", -15, "300.00"),
                     ("KTV-43B", 3, "189.50"))
    assert len(aggregate_shipments(rows, grain, "EUR")) == 3
    assert settle(TIERS, rows, grain) == settle(TIERS, rows)
