"""`shipped_before` (the quantities shipped since the contract start) is aggregated only for
a scheme that declares it reads it (SchemeInfo.needs_shipped_before): the parts ratio."""
from __future__ import annotations

from datetime import date

import pytest

from portal.schemes.registry import current_schemes
from portal.settlements import facts as facts_module
from portal.settlements.engine import compute_draft
from portal.settlements.facts import gather_facts, register_fact_provider, unregister_fact_provider

from .conftest import MARCH, D, add_contract, buyout_shipments

END = date(2025, 3, 31)


def _history(make, world, client):
    make.shipment(client=client, ship_date=date(2025, 2, 10), lines=[
        dict(model=world.tv55, quantity=7, unit_price=D("1850.00"))])


def _history_must_not_be_read(monkeypatch):
    monkeypatch.setattr(facts_module, "_shipped_before",
                        lambda *a: pytest.fail("the history before the period was aggregated"))


def test_only_the_parts_ratio_declares_it_needs_the_history():
    registry = current_schemes()
    needing = {key for key in ("buyout_rebate", "parts_ratio", "price_discount", "repair_compensation")
               if registry.info(key).needs_shipped_before}
    assert needing == {"parts_ratio"}


def test_without_the_need_the_history_is_not_read(db, make, world, monkeypatch):
    _history(make, world, world.acme)
    assert gather_facts(world.acme.id, "CNY", date(2025, 1, 1), MARCH, END).shipped_before == {"KTV-55A": 7}
    _history_must_not_be_read(monkeypatch)
    assert gather_facts(world.acme.id, "CNY", date(2025, 1, 1), MARCH, END,
                        shipped_before=False).shipped_before == {}


def test_a_providers_history_is_dropped_when_the_scheme_does_not_need_it(db, make, world):
    register_fact_provider("test_history", lambda query: {"shipped_before": {"KTV-55A": 3}})
    try:
        assert gather_facts(world.acme.id, "CNY", MARCH, MARCH, END).shipped_before == {"KTV-55A": 3}
        assert gather_facts(world.acme.id, "CNY", MARCH, MARCH, END, shipped_before=False).shipped_before == {}
    finally:
        unregister_fact_provider("test_history")


def test_a_provider_of_history_alone_is_not_called_without_the_need(db, world):
    register_fact_provider("test_history_only", lambda query: pytest.fail("called"), provides=("shipped_before",))
    try:
        gather_facts(world.acme.id, "CNY", MARCH, MARCH, END, shipped_before=False)
    finally:
        unregister_fact_provider("test_history_only")


def test_a_rebate_settlement_does_not_read_the_history(db, make, world, monkeypatch):
    _history(make, world, world.acme)
    buyout_shipments(make, world)
    expected = compute_draft(world.acme.id, MARCH).total  # the draft is recomputed below: same figures
    _history_must_not_be_read(monkeypatch)
    assert compute_draft(world.acme.id, MARCH).total == expected


def test_a_parts_ratio_settlement_still_reads_it(db, make, world, monkeypatch):
    client = make.client(code="PARTS", currency="CNY")
    add_contract(db.session, client, "parts_ratio",
                 {"category_ratios": {"main_board": "1"}, "category_prices": {"main_board": "310.00"}})
    _history(make, world, client)
    seen = []
    real = facts_module._shipped_before
    monkeypatch.setattr(facts_module, "_shipped_before", lambda conn, query: seen.append(query) or real(conn, query))
    compute_draft(client.id, MARCH)
    assert len(seen) == 1 and real(db.session.connection(), seen[0]) == {"KTV-55A": 7}
