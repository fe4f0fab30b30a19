"""Shared set-up for the spare-parts tests: two clients (Acme under the spare-parts-ratio
scheme, main board 1 % at 310.00; Globex under buyout), a model with a batch whose material
list names a main board, stock locations, and users of each role."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from portal.parts.models import StockLocation
from portal.parts.stock import MoveRequest, move
from portal.schemes.models import Contract
from tests.clients.support import api, fast_password_hashing  # noqa: F401

D = Decimal
RATIO_TERMS = {"category_ratios": {"main_board": "1"}, "category_prices": {"main_board": "310.00"}}


@pytest.fixture(autouse=True)
def request_context(request, app):
    if "db" in request.fixturenames:
        request.getfixturevalue("db")
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


@dataclass
class World:
    acme: object
    globex: object
    tv55: object
    batch: object
    board: object
    power: object
    factory: object
    hk: object
    line: object
    staff: object
    quality: object
    acme_user: object
    globex_user: object


@pytest.fixture
def world(make, db) -> World:
    acme = make.client(code="ACME", name="Acme Electronics", currency="CNY", locale="zh_Hans")
    globex = make.client(code="GLOBEX", name="Globex Overseas", currency="USD", market="overseas", locale="en")
    tv55 = make.model(code="KTV-55A", name="55-inch 4K TV", end_of_production=date(2025, 6, 30), service_years=3)
    board = make.part(number="MB-55A-01", category="main_board", description="Main board 55A")
    power = make.part(number="PW-55A-01", category="power_board", description="Power board 55A")
    batch = make.batch(model=tv55, code="B55-1", materials=[board, power])
    db.session.add_all([Contract(client_id=acme.id, scheme_key="parts_ratio", terms=RATIO_TERMS, currency="CNY",
                                 period_kind="month", starts_on=date(2025, 1, 1)),
                        Contract(client_id=globex.id, scheme_key="buyout_rebate", terms={"rebate_rate": "1.5"},
                                 currency="USD", period_kind="month", starts_on=date(2025, 1, 1))])
    factory = StockLocation(code="AS-SZ", name="Factory after-sales", kind="after_sales")
    hk = StockLocation(code="HK-SP", name="Hong Kong service point", kind="service_point")
    line = StockLocation(code="PROD-1", name="Production line 1", kind="production")
    db.session.add_all([factory, hk, line])
    db.session.flush()
    return World(acme, globex, tv55, batch, board, power, factory, hk, line,
                 staff=make.user(role="staff", locale="en"), quality=make.user(role="quality", locale="en"),
                 acme_user=make.user(role="client_user", client=acme, locale="en"),
                 globex_user=make.user(role="client_user", client=globex, locale="en"))


def receive(world, part, quantity, location=None):
    return move(MoveRequest("receipt", part.id, quantity, "purchase", to_location_id=(location or world.factory).id))
