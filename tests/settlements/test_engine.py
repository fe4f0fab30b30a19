"""Computing drafts from shipments in the database: the DOMAIN examples, recomputing,
contracts and periods, plugin failures and currency mismatches (nothing written)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import event, func, select

from contracts import SettlementLine as ResultLine
from portal.settlements.engine import compute_draft
from portal.settlements.errors import SchemeFailed, SettlementError
from portal.settlements.issuing import issue
from portal.settlements.models import Settlement, SettlementLine
from portal.settlements.sections import register_section_provider, unregister_section_provider

from .conftest import MARCH, D, add_contract, buyout_shipments, discount_shipments


def counts(db):
    return (db.session.scalar(select(func.count(Settlement.id))),
            db.session.scalar(select(func.count(SettlementLine.id))))


def test_buyout_example_from_shipments(db, make, world):
    buyout_shipments(make, world)
    make.shipment(client=world.acme, ship_date=date(2025, 4, 1), lines=[  # next period: not in March
        dict(model=world.tv55, quantity=5, unit_price=D("1850.00"))])
    draft = compute_draft(world.acme.id, MARCH)
    assert (draft.status, draft.kind, draft.scheme_key, draft.currency) == ("draft", "settlement", "buyout_rebate", "CNY")
    assert (draft.period_start, draft.period_end) == (MARCH, date(2025, 3, 31))
    assert [(line.reference, line.direction, line.amount) for line in draft.lines] == [
        ("KTV-43B", "credit", D("5399.55")), ("KTV-55A", "credit", D("27195.00"))]
    assert draft.total == D("32594.55")
    first = draft.lines[1]
    assert (first.position, first.section, first.description_key, first.quantity) == (2, "rebate", "rebate_model", 980)
    assert first.params == {"model": "KTV-55A", "quantity": 980, "base": {"decimal": "1813000.00"},
                            "rate": {"decimal": "1.5"}}


def test_discount_example_usd(db, make, world):
    discount_shipments(make, world)
    draft = compute_draft(world.globex.id, MARCH)
    assert [line.amount for line in draft.lines] == [D("899.96"), D("52.50")]
    assert draft.total == D("952.46") and draft.currency == "USD"
    assert draft.lines[0].unit_price == D("249.99") and draft.lines[0].quantity == 120


def test_recompute_replaces_the_draft(db, make, world):
    buyout_shipments(make, world)
    draft = compute_draft(world.acme.id, MARCH)
    first_id = draft.id
    make.shipment(client=world.acme, ship_date=date(2025, 3, 30), lines=[
        dict(model=world.tv43, quantity=100, unit_price=D("1000.00"))])
    again = compute_draft(world.acme.id, MARCH)
    assert again.id == first_id
    assert again.total == D("32594.55") + D("1500.00")
    assert counts(db) == (1, 2)
    assert db.session.scalar(select(func.count(Settlement.id)).where(Settlement.status == "draft")) == 1


def test_an_empty_period_gives_an_empty_draft(db, world):
    draft = compute_draft(world.acme.id, date(2025, 2, 1))
    assert draft.lines == [] and draft.total == 0


def test_shipped_before_and_quarters(db, make, world):
    client = make.client(code="QTR", currency="CNY")
    add_contract(db.session, client, "buyout_rebate", {"rebate_rate": "2"}, period_kind="quarter",
                 starts_on=date(2025, 1, 1))
    make.shipment(client=client, ship_date=date(2025, 5, 20), lines=[
        dict(model=world.tv55, quantity=10, unit_price=D("100.00"))])
    draft = compute_draft(client.id, date(2025, 4, 1))
    assert draft.period_end == date(2025, 6, 30) and draft.total == D("20.00")
    with pytest.raises(SettlementError) as caught:
        compute_draft(client.id, date(2025, 5, 1))
    assert "2025-04-01" in caught.value.message and caught.value.field == "period_start"


def test_no_contract_and_unknown_client(db, make, world):
    lonely = make.client(code="LONELY")
    with pytest.raises(SettlementError) as caught:
        compute_draft(lonely.id, MARCH)
    assert "LONELY" in caught.value.message and "no contract" in caught.value.message
    with pytest.raises(SettlementError) as caught:
        compute_draft(999_999, MARCH)
    assert caught.value.status == 404
    assert counts(db) == (0, 0)


def test_a_period_split_between_two_contracts_is_refused(db, make, world):
    client = make.client(code="SPLIT")
    add_contract(db.session, client, "buyout_rebate", {"rebate_rate": "1"}, ends_on=date(2025, 3, 15))
    add_contract(db.session, client, "price_discount", {"discount_rate": "2"}, starts_on=date(2025, 3, 16))
    with pytest.raises(SettlementError) as caught:
        compute_draft(client.id, MARCH)
    assert "split between two contracts" in caught.value.message
    assert counts(db) == (0, 0)


def test_an_issued_period_is_not_computed_again(db, make, world):
    buyout_shipments(make, world)
    draft = compute_draft(world.acme.id, MARCH)
    issue(draft.id, world.finance.id)
    with pytest.raises(SettlementError) as caught:
        compute_draft(world.acme.id, MARCH)
    assert caught.value.status == 409 and draft.number in caught.value.message


@pytest.mark.parametrize("behaviour, why", [
    ("raising", "ZeroDivisionError: the rebate table divides by zero"),
    ("malformed", "malformed result: line 1: amount 1.5 is not a finite Decimal"),
])
def test_a_failing_scheme_writes_nothing_and_is_named(db, make, world, bad_scheme, behaviour, why):
    buyout_shipments(make, world)
    old = compute_draft(world.acme.id, MARCH)  # a draft made under the previous contract terms
    old_lines = [(line.id, line.amount) for line in old.lines]
    key = bad_scheme(behaviour)
    contract = db.session.scalars(select(Settlement.contract_id)).one()
    from portal.schemes.models import Contract

    switched = db.session.get(Contract, contract)
    switched.scheme_key, switched.terms = key, {}
    db.session.flush()
    with pytest.raises(SchemeFailed) as caught:
        compute_draft(world.acme.id, MARCH)
    assert caught.value.scheme_key == key
    assert f"The scheme {key} failed" in caught.value.message and why in caught.value.message
    db.session.expire_all()
    assert counts(db) == (1, 2)
    kept = db.session.get(Settlement, old.id)
    assert [(line.id, line.amount) for line in kept.lines] == old_lines and kept.scheme_key == "buyout_rebate"


def test_currency_mismatch_blocks_and_names_the_fact(db, make, world):
    shipment = make.shipment(client=world.acme, ship_date=date(2025, 3, 3), number="SH-USD", lines=[
        dict(model=world.tv55, quantity=1, unit_price=D("10.00"), currency="USD")])
    with pytest.raises(SettlementError) as caught:
        compute_draft(world.acme.id, MARCH)
    message = caught.value.message
    assert f"Shipment SH-USD/{shipment.lines[0].id} is in USD but the contract is in CNY" in message
    assert caught.value.scheme_key is None
    assert counts(db) == (0, 0)


def test_terms_the_scheme_refuses(db, make, world):
    client = make.client(code="BADTERMS")
    add_contract(db.session, client, "buyout_rebate", {"rebate_rate": "250"})
    with pytest.raises(SchemeFailed) as caught:
        compute_draft(client.id, MARCH)
    assert "terms are not valid" in caught.value.message and "buyout_rebate" in caught.value.message


def test_an_uninstalled_scheme(db, make, world):
    client = make.client(code="GONE")
    add_contract(db.session, client, "gone_scheme", {"x": 1})
    with pytest.raises(SchemeFailed) as caught:
        compute_draft(client.id, MARCH)
    assert "gone_scheme" in caught.value.message and "not installed" in caught.value.message


def test_portal_sections_come_after_the_scheme_lines(db, make, world):
    buyout_shipments(make, world)

    def repairs(query):
        assert query.client_code == "ACME" and query.period.start == MARCH
        return [ResultLine("test_repairs", "debit", D("120.00"), query.currency, "test_repair",
                           {"serial": "SN-1", "day": date(2025, 3, 3)}, "RMA-1")]

    register_section_provider("test_repairs", repairs, title="Charged repairs",
                              descriptions={"test_repair": "Repair of {serial} on {day}"})
    try:
        draft = compute_draft(world.acme.id, MARCH)
    finally:
        unregister_section_provider("test_repairs")
    assert [line.section for line in draft.lines] == ["rebate", "rebate", "test_repairs"]
    assert draft.lines[2].params == {"serial": "SN-1", "day": {"date": "2025-03-03"}}
    assert draft.total == D("32594.55") - D("120.00")


def test_a_malformed_portal_section_writes_nothing(db, make, world):
    register_section_provider("test_bad", lambda q: [ResultLine("other", "credit", D("1.00"), "CNY", "k", {}, "r")],
                              title="Bad", descriptions={"k": "x"})
    try:
        with pytest.raises(SettlementError) as caught:
            compute_draft(world.acme.id, MARCH)
    finally:
        unregister_section_provider("test_bad")
    assert "test_bad" in caught.value.message
    assert counts(db) == (0, 0)


def test_lines_are_bulk_inserted(db, make, world):
    def statements() -> list[str]:
        seen: list[str] = []

        def record(_conn, _cursor, statement, *_args):
            seen.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            compute_draft(world.globex.id, MARCH)  # price discount: one line per shipment line
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        return seen

    def add(count: int) -> None:
        make.shipment(client=world.globex, ship_date=date(2025, 3, 9), lines=[
            dict(model=world.tv55, quantity=n, unit_price=D("10.00")) for n in range(1, count + 1)])

    discount_shipments(make, world)
    compute_draft(world.globex.id, MARCH)  # both counts below recompute the draft, its total changed
    add(1)
    few = statements()
    add(40)
    many = statements()
    assert len(many) == len(few)  # a fixed number of statements, whatever the number of lines
    assert sum(s.startswith("INSERT INTO settlement_line") for s in many) == 1
    assert len(compute_draft(world.globex.id, MARCH).lines) == 43


def test_total_is_the_sum_of_rounded_lines(db, make, world):
    make.shipment(client=world.globex, ship_date=date(2025, 3, 2), lines=[
        dict(model=world.tv55, quantity=1, unit_price=D("0.10")),
        dict(model=world.tv55, quantity=1, unit_price=D("0.10")),
        dict(model=world.tv55, quantity=1, unit_price=D("0.10"))])
    # each line: 3 % of 0.10 = 0.003 -> 0.00 and skipped; no line, total 0
    assert compute_draft(world.globex.id, MARCH).total == Decimal("0")
