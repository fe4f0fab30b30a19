"""Gathering a period's facts: shipments by ship date, net quantities before the period,
the provider registry, and a fixed number of queries whatever the volume."""
from __future__ import annotations

from datetime import date

import pytest

from contracts import PartIssueFact
from portal.settlements.facts import (
    fact_providers,
    gather_facts,
    register_fact_provider,
    unregister_fact_provider,
)

from .conftest import MARCH, D, buyout_shipments

END = date(2025, 3, 31)


def test_the_periods_shipments_with_their_own_currency(db, make, world):
    buyout_shipments(make, world)
    make.shipment(client=world.acme, ship_date=date(2025, 2, 28), lines=[
        dict(model=world.tv55, quantity=7, unit_price=D("1850.00"))])
    make.shipment(client=world.globex, ship_date=date(2025, 3, 10), lines=[  # another client
        dict(model=world.tv55, quantity=9, unit_price=D("200.00"))])
    facts = gather_facts(world.acme.id, "CNY", date(2025, 1, 1), MARCH, END)
    assert facts.client_code == "ACME" and facts.currency == "CNY"
    assert (facts.period.start, facts.period.end, facts.contract_start) == (MARCH, END, date(2025, 1, 1))
    got = [(f.model_code, f.quantity, f.unit_price, f.currency, f.ship_date) for f in facts.shipments]
    assert got == [
        ("KTV-55A", 1000, D("1850.00"), "CNY", date(2025, 3, 10)),
        ("KTV-43B", 300, D("1199.90"), "CNY", date(2025, 3, 10)),
        ("KTV-55A", -20, D("1850.00"), "CNY", date(2025, 3, 20)),
    ]
    first = facts.shipments[0]
    assert first.shipment_no == "SH-A-2025-03-10" and first.ref.startswith("SH-A-2025-03-10/")
    assert isinstance(first.unit_price, D) and first.batch_code == ""
    assert facts.shipped_before == {"KTV-55A": 7}
    assert facts.part_issues == () and facts.claims == () and dict(facts.free_issued_before) == {}


def test_shipped_before_counts_from_the_contract_start_net_of_returns(db, make, world):
    for day, quantity in ((date(2024, 12, 31), 50), (date(2025, 1, 5), 10), (date(2025, 2, 9), -3)):
        make.shipment(client=world.acme, ship_date=day, lines=[
            dict(model=world.tv43, quantity=quantity, unit_price=D("1.00"))])
    facts = gather_facts(world.acme.id, "CNY", date(2025, 1, 1), MARCH, END)
    assert facts.shipped_before == {"KTV-43B": 7}
    assert gather_facts(world.acme.id, "CNY", MARCH, MARCH, END).shipped_before == {}


def test_a_batch_code_is_carried(db, make, world):
    batch = make.batch(model=world.tv55, code="B55-7")
    make.shipment(client=world.acme, ship_date=date(2025, 3, 2), lines=[
        dict(model=world.tv55, batch=batch, quantity=1, unit_price=D("1.00"))])
    assert gather_facts(world.acme.id, "CNY", MARCH, MARCH, END).shipments[0].batch_code == "B55-7"


def test_a_fixed_number_of_queries_whatever_the_volume(db, make, world, count_queries):
    def add(count: int) -> None:
        batch = make.batch(model=world.tv55)
        for n in range(count):
            make.shipment(client=world.acme, ship_date=date(2025, 2 + n % 2, 1 + n % 28), lines=[
                dict(model=world.tv55 if n % 3 else world.tv43, batch=batch if n % 2 else None, quantity=1 + n,
                     unit_price=D("10.00"))])

    def queries() -> int:
        with count_queries() as counted:
            facts = gather_facts(world.acme.id, "CNY", date(2025, 1, 1), MARCH, END)
        assert facts.shipments and facts.shipped_before
        return counted[0]

    add(10)
    few = queries()
    add(60)
    assert queries() == few <= 6  # client, shipments, lines, models, batches, one GROUP BY


def test_providers_registered_later_are_merged(db, make, world):
    buyout_shipments(make, world)
    seen = []

    def part_issues(query):
        seen.append(query)
        issue = PartIssueFact("PI-1", "MB-55A", "main_board", "KTV-55A", 2, date(2025, 3, 9), query.currency)
        return {"part_issues": [issue], "free_issued_before": {("KTV-55A", "main_board"): 3},
                "shipped_before": {"KTV-55A": 1}}

    register_fact_provider("test_part_issues", part_issues)
    try:
        assert "shipments" in fact_providers() and "test_part_issues" in fact_providers()
        facts = gather_facts(world.acme.id, "CNY", date(2025, 1, 1), MARCH, END)
    finally:
        unregister_fact_provider("test_part_issues")
    assert seen[0].client_id == world.acme.id and seen[0].client_code == "ACME" and seen[0].period.end == END
    assert [p.ref for p in facts.part_issues] == ["PI-1"]
    assert facts.free_issued_before == {("KTV-55A", "main_board"): 3}
    assert facts.shipped_before == {"KTV-55A": 1}  # added to the shipments' (none before March)
    assert len(facts.shipments) == 3
    assert "test_part_issues" not in fact_providers()


def test_a_provider_returning_an_unknown_field_is_an_error(db, world):
    register_fact_provider("test_odd", lambda query: {"rmas": []})
    try:
        with pytest.raises(ValueError, match="unknown field 'rmas'"):
            gather_facts(world.acme.id, "CNY", MARCH, MARCH, END)
    finally:
        unregister_fact_provider("test_odd")
    with pytest.raises(TypeError):
        register_fact_provider("test_odd", "not callable")
