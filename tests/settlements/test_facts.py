"""Gathering a period's facts: shipments by ship date, net quantities before the period,
the provider registry, and a fixed number of queries whatever the volume."""
from __future__ import annotations

from datetime import date

import pytest

from contracts import PartIssueFact, Period
from portal.settlements.facts import (
    FactQuery,
    declared_fields,
    fact_providers,
    gather_facts,
    register_fact_provider,
    shipment_facts,
    unregister_fact_provider,
)

from portal.settlements.engine import compute_draft

from .conftest import MARCH, D, add_contract, buyout_shipments

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

    query = FactQuery(world.acme.id, "ACME", "CNY", date(2025, 1, 1), Period(MARCH, END))

    def queries() -> tuple[int, int]:
        with count_queries() as counted:
            facts = gather_facts(world.acme.id, "CNY", date(2025, 1, 1), MARCH, END)
        assert facts.shipments and facts.shipped_before
        with count_queries() as own:  # the shipment provider alone (others register theirs)
            shipment_facts(query)
        return counted[0], own[0]

    add(10)
    few = queries()
    add(60)
    assert queries() == few and few[1] <= 5  # shipments, lines, models, batches, one GROUP BY


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


def claim_fact(ref: str, day: date = date(2025, 3, 9)):
    from contracts import ClaimDecision, ClaimFact, DecidedClaim

    fact = ClaimFact(ref, "SN-1", "KTV-55A", "ST-1", day, day, day, "normal_failure", "L1", "main_board", (),
                     D("40.00"), D("0.00"), D("5.00"), "CNY")
    return DecidedClaim(fact, ClaimDecision("accepted", (), D("45.00"), D("45.00"), D("45.00")))


@pytest.fixture
def claim_providers():
    """A provider declaring claims alone, and one that declares nothing and returns claims
    and part issues: (calls of the first,)."""
    calls = []

    def declared(query):
        calls.append(query)
        return {"claims": [claim_fact("CL-DECLARED")]}

    def undeclared(query):
        issue = PartIssueFact("PI-9", "MB-55A", "main_board", "KTV-55A", 1, date(2025, 3, 9), query.currency)
        return {"claims": [claim_fact("CL-UNDECLARED")], "part_issues": [issue]}

    register_fact_provider("test_declared_claims", declared, provides=["claims"])
    register_fact_provider("test_undeclared", undeclared)
    assert declared_fields("test_declared_claims") == {"claims"} and declared_fields("test_undeclared") is None
    yield calls
    unregister_fact_provider("test_declared_claims")
    unregister_fact_provider("test_undeclared")


def test_claims_are_gathered_only_for_schemes_that_settle_them(db, world, claim_providers):
    with_claims = gather_facts(world.acme.id, "CNY", MARCH, MARCH, END)
    assert {d.claim.ref for d in with_claims.claims} == {"CL-DECLARED", "CL-UNDECLARED"}
    assert len(claim_providers) == 1
    without = gather_facts(world.acme.id, "CNY", MARCH, MARCH, END, claims=False)
    assert without.claims == () and [p.ref for p in without.part_issues] == ["PI-9"]
    assert len(claim_providers) == 1  # the provider of claims alone was not even called


def test_the_engine_asks_for_claims_as_the_scheme_declares(db, make, world, claim_providers):
    compute_draft(world.acme.id, MARCH)  # buyout: handles no claims
    assert claim_providers == []
    client = make.client(code="COMP")
    add_contract(db.session, client, "repair_compensation", {
        "labour_fees": {"L1": "40.00", "L2": "80.00", "L3": "120.00"}, "handling_fee": "5.00",
        "category_prices": {"main_board": "310.00"}})
    draft = compute_draft(client.id, MARCH)
    assert len(claim_providers) == 1
    assert [line.reference for line in draft.lines] == ["CL-DECLARED", "CL-UNDECLARED"]
    assert draft.total == D("90.00")  # two accepted claims of 45.00


def test_a_declared_provider_is_held_to_its_fields(db, world):
    with pytest.raises(ValueError, match="unknown fields"):
        register_fact_provider("test_bad", lambda query: {}, provides=["rmas"])
    register_fact_provider("test_liar", lambda query: {"part_issues": []}, provides=["claims"])
    try:
        with pytest.raises(ValueError, match="returned 'part_issues', which it does not declare"):
            gather_facts(world.acme.id, "CNY", MARCH, MARCH, END)
    finally:
        unregister_fact_provider("test_liar")
    assert "test_bad" not in fact_providers()
