"""Shared set-up for the schemes, offers and contracts pages and API: two clients with the
DOMAIN examples' models, the people who act on offers, schemes enabled by an admin, and a
fixed "today" (15 April 2025: the comparison's window is April 2024 – March 2025)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from portal.schemes.models import Contract, Offer, SchemeSetting
from tests.clients.support import api, fast_password_hashing  # noqa: F401

D = Decimal
TODAY = date(2025, 4, 15)
BUILT_INS = ("buyout_rebate", "parts_ratio", "price_discount", "repair_compensation")

VALID_TERMS = {
    "buyout_rebate": {"rebate_rate": "1.5"},
    "price_discount": {"discount_rate": "3"},
    "parts_ratio": {"category_ratios": {"main_board": "1"}, "category_prices": {"main_board": "310.00"}},
    "repair_compensation": {"labour_fees": {"L1": "40", "L2": "80", "L3": "120"}, "handling_fee": "5",
                            "category_prices": {"main_board": "310.00"}, "cap_per_claim": "300"},
}


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr("portal.schemes.services.today", lambda: TODAY)
    return TODAY


@dataclass
class World:
    acme: object  # CNY, domestic
    globex: object  # USD, overseas
    tv55: object
    tv43: object
    admin: object
    finance: object
    staff: object
    acme_admin: object
    acme_user: object
    globex_admin: object


@pytest.fixture
def world(make) -> World:
    acme = make.client(code="ACME", name="Acme Electronics", currency="CNY", locale="zh_Hans")
    globex = make.client(code="GLOBEX", name="Globex Overseas", currency="USD", market="overseas", locale="en")
    return World(
        acme, globex,
        tv55=make.model(code="KTV-55A", name="55-inch 4K TV"),
        tv43=make.model(code="KTV-43B", name="43-inch TV", size_inches=D("43")),
        admin=make.user(role="admin", locale="en"),
        finance=make.user(role="finance", locale="en"),
        staff=make.user(role="staff", locale="en"),
        acme_admin=make.user(role="client_admin", client=acme, locale="en"),
        acme_user=make.user(role="client_user", client=acme, locale="en"),
        globex_admin=make.user(role="client_admin", client=globex, locale="en"),
    )


@pytest.fixture
def enable(db):
    """enable("buyout_rebate", ...): what an administrator does on the Schemes page."""

    def switch_on(*keys: str) -> None:
        for key in keys or BUILT_INS:
            setting = db.session.get(SchemeSetting, key) or SchemeSetting(key=key)
            setting.enabled = True
            db.session.add(setting)
        db.session.flush()

    return switch_on


def add_offer(session, client, scheme_key="buyout_rebate", terms=None, *, currency=None,
              period_kind="month", status="offered") -> Offer:
    offer = Offer(client_id=client.id, scheme_key=scheme_key, terms=VALID_TERMS[scheme_key] if terms is None else terms,
                  currency=currency or client.currency, period_kind=period_kind, status=status)
    session.add(offer)
    session.flush()
    return offer


def add_contract(session, client, scheme_key="buyout_rebate", terms=None, *, currency=None,
                 period_kind="month", starts_on=date(2025, 1, 1), ends_on=None) -> Contract:
    contract = Contract(client_id=client.id, scheme_key=scheme_key, terms=VALID_TERMS[scheme_key] if terms is None else terms,
                        currency=currency or client.currency, period_kind=period_kind,
                        starts_on=starts_on, ends_on=ends_on)
    session.add(contract)
    session.flush()
    return contract


def buyout_shipments(make, world, day=date(2025, 3, 10)):
    """DOMAIN's buyout example: 1,000 and -20 (a return) of KTV-55A, 300 of KTV-43B."""
    make.shipment(client=world.acme, ship_date=day, number=f"SH-A-{day.isoformat()}", lines=[
        dict(model=world.tv55, quantity=1000, unit_price=D("1850.00")),
        dict(model=world.tv43, quantity=300, unit_price=D("1199.90")),
    ])
    make.shipment(client=world.acme, ship_date=day.replace(day=20), number=f"SH-R-{day.isoformat()}", lines=[
        dict(model=world.tv55, quantity=-20, unit_price=D("1850.00")),
    ])


def discount_shipments(make, world, day=date(2025, 3, 5)):
    """DOMAIN's discount example: 120 and 7 units at 249.99 USD."""
    make.shipment(client=world.globex, ship_date=day, number=f"SH-G1-{day.isoformat()}", lines=[
        dict(model=world.tv55, quantity=120, unit_price=D("249.99")),
    ])
    make.shipment(client=world.globex, ship_date=day.replace(day=25), number=f"SH-G2-{day.isoformat()}", lines=[
        dict(model=world.tv43, quantity=7, unit_price=D("249.99")),
    ])


@pytest.fixture
def sign_in(client):
    """sign_in(user): the test client, signed out of whoever was signed in, then in as user."""

    def switch(user):
        client.post("/logout")
        client.login(user.email)
        return client

    return switch
