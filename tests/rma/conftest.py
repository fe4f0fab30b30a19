"""Shared set-up for the RMA and refurbishment tests: two domestic clients under 三包, a
buyout client, shipped serials, parts, price lists, staff, and an outbox in a temp folder."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from portal.rma.models import RmaPriceList
from portal.rma.requests import RmaRequest, create_rma
from portal.schemes.models import Contract
from tests.clients.support import api, count_queries, fast_password_hashing  # noqa: F401

D = Decimal
TODAY = date(2025, 9, 1)


@pytest.fixture(autouse=True)
def request_context(request, app, tmp_path, monkeypatch):
    """Services translate their messages: run each test inside an English request; mail goes to tmp."""
    monkeypatch.setitem(app.config, "OUTBOX_DIR", str(tmp_path / "outbox"))
    if "db" in request.fixturenames:
        request.getfixturevalue("db")
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr("portal.rma.requests.local_today", lambda: TODAY)
    monkeypatch.setattr("portal.rma.workflow.local_today", lambda: TODAY)


@dataclass
class World:
    acme: object
    other: object
    buyer: object
    tv: object
    board: object
    cheap: object
    staff: object
    admin: object
    acme_user: object
    other_user: object
    buyer_user: object


@pytest.fixture
def world(make, db) -> World:
    acme = make.client(code="ACME", name="Acme", currency="CNY", contact_email="rma@acme.example")
    other = make.client(code="OTHER", name="Other Co", currency="CNY")
    buyer = make.client(code="BUYER", name="Buyer Ltd", currency="USD", market="overseas", locale="zh_Hant_HK",
                        contact_email="rma@buyer.example")
    tv = make.model(code="KTV-55X")
    board = make.part(category="main_board", number="MB-100", cost_price=D("310.00"))
    cheap = make.part(category="main_board", number="MB-090", cost_price=D("250.00"))
    # Shipped 2025-03-01: unit (12 months) and main board (36) in warranty on TODAY; 2023-01-10: unit out, board in.
    make.shipment(client=acme, ship_date=date(2025, 3, 1), lines=[
        dict(model=tv, quantity=3, unit_price=D("1000"), serials=["A-1", "A-2", "A-3"])])
    make.shipment(client=acme, ship_date=date(2023, 1, 10), lines=[
        dict(model=tv, quantity=1, unit_price=D("1000"), serials=["A-OLD"])])
    make.shipment(client=other, ship_date=date(2025, 3, 1), lines=[
        dict(model=tv, quantity=1, unit_price=D("1000"), serials=["O-1"])])
    make.shipment(client=buyer, ship_date=date(2025, 3, 1), lines=[
        dict(model=tv, quantity=2, unit_price=D("200"), serials=["B-1", "B-2"])])
    db.session.add(Contract(client_id=buyer.id, scheme_key="buyout_rebate", terms={"rebate_rate": "1.5"},
                            currency="USD", period_kind="month", starts_on=date(2025, 1, 1)))
    db.session.add_all([
        RmaPriceList(currency="CNY", labour_l1=D("40"), labour_l2=D("80"), labour_l3=D("150"), cny_rate=D("1"),
                     parts_markup=D("10")),
        RmaPriceList(currency="USD", labour_l1=D("6"), labour_l2=D("12"), labour_l3=D("20"), cny_rate=D("0.14"),
                     parts_markup=D("10")),
    ])
    db.session.flush()
    return World(acme, other, buyer, tv, board, cheap,
                 staff=make.user(role="staff", locale="en"), admin=make.user(role="admin", locale="en"),
                 acme_user=make.user(role="client_user", client=acme, locale="en"),
                 other_user=make.user(role="client_user", client=other, locale="en"),
                 buyer_user=make.user(role="client_user", client=buyer, locale="zh_Hant_HK"))


def file_rma(world, serials=("A-1", "A-2"), client=None, user=None, **kw):
    client = client or world.acme
    spec = RmaRequest(client_id=client.id, kind=kw.pop("kind", "unit"), destination=kw.pop("destination", "unit_repair"),
                      serials=list(serials), fault_description=kw.pop("fault_description", "No picture"), **kw)
    return create_rma(spec, user=user or world.acme_user)


@pytest.fixture
def rma(world):
    return file_rma(world)


def sign_in(client, user):
    """Sign out whoever is signed in, then sign `user` in."""
    client.post("/logout")
    client.login(user.email)
