"""The ledger gathers facts the way the client's scheme declares it needs them (shipment grain,
claims, history since the contract start), and its figures are those of the finest facts."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from portal.parts import ledger as ledger_module
from portal.parts.ledger import client_ledger, price_lines
from portal.parts.orders import LineSpec, create_order, ship_order
from portal.schemes.registry import current_schemes
from portal.schemes.services import contract_for
from portal.settlements.facts import gather_facts

from .conftest import receive

D = Decimal
ON = date(2025, 3, 20)


def _ship(make, world, client, day, quantity):
    make.shipment(client=client, ship_date=day,
                  lines=[{"model": world.tv55, "quantity": quantity, "unit_price": D("1850.00")}])


def _spy(monkeypatch):
    calls = []

    def spy(*args, **kwargs):
        calls.append(kwargs)
        return gather_facts(*args, **kwargs)

    monkeypatch.setattr(ledger_module, "gather_facts", spy)
    return calls


def _finest_ledger(client_id, on):
    """The ledger from facts at the finest grain, with claims and history: the old way."""
    contract = contract_for(client_id, on)
    facts = gather_facts(client_id, contract.currency, contract.starts_on, contract.starts_on, on)
    return current_schemes().settle(contract.scheme_key, contract.terms, facts).ledger


def test_the_ledger_gathers_at_the_schemes_grain_with_the_same_figures(world, make, db, monkeypatch):
    for day, quantity in ((date(2025, 1, 10), 120), (date(2025, 2, 3), 90), (date(2025, 2, 3), -10),
                          (date(2025, 3, 1), 150)):
        _ship(make, world, world.acme, day, quantity)
    receive(world, world.board, 5)
    for day, quantity in ((date(2025, 2, 10), 1), (date(2025, 3, 5), 3)):
        order = create_order(world.acme.id, [LineSpec(quantity, part_number="MB-55A-01")], on=day)
        ship_order(order, world.factory.id, day=day)
    expected = _finest_ledger(world.acme.id, ON)
    assert any(row.used for row in expected)  # a ledger worth comparing

    calls = _spy(monkeypatch)
    _contract, got = client_ledger(world.acme.id, on=ON)
    assert got == expected
    assert calls == [{"grain": "model_day", "claims": False, "shipped_before": True}]


def test_a_scheme_without_ledger_is_run_on_its_own_grain(world, make, db, monkeypatch):
    _ship(make, world, world.globex, date(2025, 2, 1), 40)
    calls = _spy(monkeypatch)
    scheme, _currency, pricing = price_lines(world.globex.id, [(world.board, world.tv55, 2)], ON)
    assert scheme == "buyout_rebate" and [(p.free, p.charged) for p in pricing] == [(0, 2)]
    assert calls == [{"grain": "model_price", "claims": False, "shipped_before": False}]


def test_an_earlier_issue_without_an_agreed_price_does_not_stop_pricing_a_new_order(world, make, db):
    """Acme's contract prices main boards only. A power board issued earlier is charged at no
    agreed price (finance hears of it when settling); pricing a new order still works."""
    _ship(make, world, world.acme, date(2025, 1, 10), 300)
    receive(world, world.power, 2)
    order = create_order(world.acme.id, [LineSpec(1, part_number="PW-55A-01")], on=date(2025, 2, 10))
    ship_order(order, world.factory.id, day=date(2025, 2, 10))

    scheme, _currency, pricing = price_lines(world.acme.id, [(world.board, world.tv55, 4)], ON)
    assert scheme == "parts_ratio"
    assert [(p.free, p.charged, p.unit_price) for p in pricing] == [(3, 1, D("310.00"))]
