"""Shipments gathered at the scheme's declared grain: summed in SQL exactly as
``contracts.toolkit.aggregate_shipments`` sums the lines, in a fixed number of queries, the
grain passed by the engine and by the comparison, and results identical to single lines."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from contracts import SHIPMENT_GRAINS, CurrencyMismatch, Period, check_currency
from contracts.toolkit import aggregate_shipments
from portal.schemes.comparison import Candidate, compare
from portal.settlements.engine import compute_draft
from portal.settlements.errors import SettlementError
from portal.settlements.facts import (
    FactQuery,
    gather_facts,
    register_fact_provider,
    shipment_facts,
    unregister_fact_provider,
)

from .conftest import MARCH, D, add_contract, buyout_shipments

END = date(2025, 3, 31)
START = date(2025, 1, 1)


def varied_shipments(make, world, client=None):
    """Returns, batches, two prices, several days, a group summing to zero, another client."""
    client = client or world.acme
    batch = make.batch(model=world.tv55, code="B-GRAIN")
    buyout_shipments(make, world)
    make.shipment(client=client, ship_date=date(2025, 3, 10), lines=[
        dict(model=world.tv55, batch=batch, quantity=40, unit_price=D("1850.00")),
        dict(model=world.tv55, quantity=12, unit_price=D("1700.00")),
        dict(model=world.tv43, quantity=5, unit_price=D("0.05"))])
    make.shipment(client=client, ship_date=date(2025, 3, 2), lines=[
        dict(model=world.tv55, quantity=-3, unit_price=D("1700.00")),
        dict(model=world.tv43, quantity=-5, unit_price=D("0.05"))])
    make.shipment(client=client, ship_date=date(2025, 3, 31), lines=[
        dict(model=world.tv43, quantity=9, unit_price=D("1199.90"))])
    make.shipment(client=client, ship_date=date(2025, 2, 20), lines=[  # before the period
        dict(model=world.tv55, quantity=11, unit_price=D("1850.00"))])
    make.shipment(client=world.globex, ship_date=date(2025, 3, 10), lines=[
        dict(model=world.tv55, quantity=99, unit_price=D("1850.00"))])


@pytest.mark.parametrize("grain", ["model_day", "model_price"])
def test_sql_sums_the_lines_as_the_contract_defines(db, make, world, grain):
    varied_shipments(make, world)
    lines = gather_facts(world.acme.id, "CNY", START, MARCH, END)
    grouped = gather_facts(world.acme.id, "CNY", START, MARCH, END, grain=grain)
    assert grouped.shipment_grain == grain and lines.shipment_grain == "line"
    assert grouped.shipments == aggregate_shipments(lines.shipments, grain, "CNY")
    assert len(grouped.shipments) < len(lines.shipments) == 9
    assert grouped.shipped_before == lines.shipped_before == {"KTV-55A": 11}
    first = grouped.shipments[0]
    assert (first.shipment_no, first.batch_code, first.model_code) == ("*", "*", "KTV-43B")


def test_model_price_facts_of_the_domain_example(db, make, world):
    buyout_shipments(make, world)
    facts = gather_facts(world.acme.id, "CNY", START, MARCH, END, grain="model_price")
    assert [(f.ref, f.quantity, f.unit_price, f.ship_date) for f in facts.shipments] == [
        ("*/KTV-43B/1199.90", 300, D("1199.90"), date(2025, 3, 10)),
        ("*/KTV-55A/1850.00", 980, D("1850.00"), date(2025, 3, 20))]


@pytest.mark.parametrize("grain", ["model_day", "model_price"])
def test_a_fixed_number_of_queries_whatever_the_volume(db, make, world, count_queries, grain):
    query = FactQuery(world.acme.id, "ACME", "CNY", START, Period(MARCH, END), grain)

    def queries() -> int:  # the shipment provider alone (other capabilities register theirs)
        with count_queries() as counted:
            assert shipment_facts(query)["shipments"]
        return counted[0]

    varied_shipments(make, world)
    few = queries()
    for n in range(40):
        make.shipment(client=world.acme, ship_date=date(2025, 3, 1 + n % 28), lines=[
            dict(model=world.tv43 if n % 2 else world.tv55, quantity=1 + n, unit_price=D(f"{10 + n % 3}.00"))])
    assert queries() == few <= 3  # the GROUP BY, model codes, shipped before


def test_a_group_in_another_currency_names_its_first_line(db, make, world):
    buyout_shipments(make, world)
    usd = make.shipment(client=world.acme, ship_date=date(2025, 3, 12), number="SH-USD", lines=[
        dict(model=world.tv55, quantity=1, unit_price=D("10.00"), currency="USD"),
        dict(model=world.tv55, quantity=4, unit_price=D("10.00"), currency="USD")])
    first = min(line.id for line in usd.lines)
    for grain in SHIPMENT_GRAINS:
        facts = gather_facts(world.acme.id, "CNY", START, MARCH, END, grain=grain)
        with pytest.raises(CurrencyMismatch) as caught:
            check_currency(facts)
        assert caught.value.ref == f"SH-USD/{first}", grain
    with pytest.raises(SettlementError, match=f"Shipment SH-USD/{first} is in USD"):
        compute_draft(world.acme.id, MARCH)  # buyout: model_price


def test_an_unknown_grain_is_refused(db, world):
    with pytest.raises(ValueError, match="model_week"):
        gather_facts(world.acme.id, "CNY", START, MARCH, END, grain="model_week")


@pytest.fixture
def grains_asked():
    """(grain, claims) of every fact query, recorded by a provider that adds nothing."""
    seen: list[tuple[str, bool]] = []
    register_fact_provider("test_grains", lambda query: seen.append((query.shipment_grain, query.claims)) or {})
    yield seen
    unregister_fact_provider("test_grains")


def test_the_engine_gathers_as_the_scheme_declares(db, make, world, grains_asked):
    ratio = make.client(code="RATIO")
    add_contract(db.session, ratio, "parts_ratio", {"category_ratios": {"main_board": "1"},
                                                    "category_prices": {"main_board": "310.00"}})
    repairs = make.client(code="REPAIRS")
    add_contract(db.session, repairs, "repair_compensation", {
        "labour_fees": {"L1": "40.00", "L2": "80.00", "L3": "120.00"}, "handling_fee": "5.00",
        "category_prices": {"main_board": "310.00"}})
    for client in (world.acme, world.globex, ratio, repairs):
        compute_draft(client.id, MARCH)
    assert grains_asked == [("model_price", False), ("line", False), ("model_day", False),
                            ("model_price", True)]


def test_the_comparison_gathers_as_each_scheme_declares(db, make, world, grains_asked):
    varied_shipments(make, world)
    candidates = [Candidate("buyout", "buyout_rebate", {"rebate_rate": "1.5"}, "CNY", "quarter"),
                  Candidate("discount", "price_discount", {"discount_rate": "3"}, "CNY", "quarter"),
                  Candidate("repairs", "repair_compensation", {
                      "labour_fees": {"L1": "40.00", "L2": "80.00", "L3": "120.00"}, "handling_fee": "5.00",
                      "category_prices": {"main_board": "310.00"}}, "CNY", "quarter")]
    result = compare(world.acme, candidates, date(2025, 4, 15), "en")
    assert [run.error for run in result.runs] == [None, None, None]
    # four quarters each, gathered once per (grain, claims)
    assert grains_asked == [("model_price", False)] * 4 + [("line", False)] * 4 + [("model_price", True)] * 4
    # 1.5 % of KTV-55A 1,813,000.00 + 74,000.00 + 15,300.00 + 20,350.00 (February: same quarter)
    # and of KTV-43B 359,970.00 + 10,799.10: 28,839.75 + 5,561.54
    assert result.runs[0].total == D("34401.29")
    assert result.runs[1].total > result.runs[0].total


@pytest.mark.parametrize("key, terms", [
    ("buyout_rebate", {"rebate_rate": "1.5"}),
    ("price_discount", {"discount_rate": "3"}),
    ("parts_ratio", {"category_ratios": {"main_board": "1"}, "category_prices": {"main_board": "310.00"}}),
])
def test_the_declared_grain_settles_the_database_facts_as_single_lines(app, db, make, world, key, terms):
    varied_shipments(make, world)
    registry = app.extensions["schemes"]
    lines = gather_facts(world.acme.id, "CNY", START, MARCH, END)
    grain = registry.info(key).shipment_grain
    grouped = gather_facts(world.acme.id, "CNY", START, MARCH, END, grain=grain)
    from_lines = registry.settle(key, terms, lines)
    assert from_lines.lines or from_lines.ledger
    assert registry.settle(key, terms, grouped) == from_lines
    assert registry.settle(key, terms, replace(lines, shipments=lines.shipments[::-1])) == from_lines


def test_computing_twice_stores_identical_lines(db, make, world):
    varied_shipments(make, world)

    def stored():
        draft = compute_draft(world.acme.id, MARCH)
        db.session.flush()
        db.session.expire(draft)
        return draft.total, [(line.position, line.section, line.direction, line.amount, line.description_key,
                              line.params, line.reference, line.quantity) for line in draft.lines]

    first = stored()
    assert first == stored() and len(first[1]) == 2
