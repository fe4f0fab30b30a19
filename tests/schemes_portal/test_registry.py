"""The plugin manager built in create_app: the four built-ins, enabling, and calling them."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from marshmallow import ValidationError

from contracts import ClaimFact, ClaimHistory, ClaimPart, Period, PeriodFacts, ShipmentFact, ShippedUnit
from portal.schemes.registry import SchemeNotInstalled, SchemeRegistry, current_schemes

from .conftest import BUILT_INS

D = Decimal


def test_create_app_keeps_the_registry_with_the_four_built_ins(app):
    registry = app.extensions["schemes"]
    assert isinstance(registry, SchemeRegistry)
    assert tuple(registry.infos) == BUILT_INS
    assert [info.key for info in registry.installed()] == list(BUILT_INS)
    assert registry.pm.get_plugin("buyout_rebate") is not None  # by entry point name
    with app.app_context():
        assert current_schemes() is registry


def test_installed_schemes_are_disabled_until_an_admin_enables_them(app, db, enable):
    registry = app.extensions["schemes"]
    assert registry.enabled() == []
    enable("price_discount")
    assert [info.key for info in registry.enabled()] == ["price_discount"]
    assert registry.is_enabled("price_discount") and not registry.is_enabled("buyout_rebate")


def test_a_setting_for_a_scheme_no_longer_installed_is_ignored(app, db, enable):
    enable("gone_scheme", "buyout_rebate")
    assert [info.key for info in app.extensions["schemes"].enabled()] == ["buyout_rebate"]


def test_unknown_scheme(app):
    registry = app.extensions["schemes"]
    with pytest.raises(SchemeNotInstalled, match="not installed"):
        registry.info("nope")


def test_settle_loads_stored_terms_and_checks_the_result(app):
    registry = app.extensions["schemes"]
    facts = PeriodFacts("ACME", "USD", date(2025, 1, 1), Period(date(2025, 3, 1), date(2025, 3, 31)), shipments=(
        ShipmentFact("S1", "SH-1", "KTV-55A", "B1", 120, D("249.99"), "USD", date(2025, 3, 5)),
        ShipmentFact("S2", "SH-2", "KTV-43B", "B2", 7, D("249.99"), "USD", date(2025, 3, 25)),
    ))
    result = registry.settle("price_discount", {"discount_rate": "3"}, facts)
    assert [line.amount for line in result.lines] == [D("899.96"), D("52.50")]
    assert result.total == D("952.46")
    with pytest.raises(ValidationError):
        registry.settle("price_discount", {"discount_rate": "300"}, facts)
    with pytest.raises(SchemeNotInstalled):
        registry.settle("nope", {}, facts)


def test_adjudicate_answers_only_for_schemes_that_decide_claims(app):
    registry = app.extensions["schemes"]
    terms = {"labour_fees": {"L1": "40", "L2": "80", "L3": "120"}, "handling_fee": "5",
             "category_prices": {"main_board": "310.00"}, "cap_per_claim": "300"}
    claim = ClaimFact("C1", "SN1", "KTV-55A", "ST1", date(2025, 3, 1), date(2025, 3, 5), None,
                      "normal_failure", "L2", "main_board", (ClaimPart("MB-1", "main_board", 1),),
                      D("100"), D("310"), D("10"), "CNY")
    history = ClaimHistory({"SN1": ShippedUnit("KTV-55A", date(2024, 6, 1))})
    decision = registry.adjudicate("repair_compensation", terms, claim, history)
    assert decision.outcome == "accepted" and decision.adjusted_amount == D("300.00")
    assert registry.adjudicate("buyout_rebate", {"rebate_rate": "1"}, claim, history) is None
