"""Shared set-up for the settlement tests: clients with contracts and the DOMAIN examples'
shipments, a bad scheme registered into the running registry, and a trigger bypass for
tampering with issued documents."""
from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text

from contracts import SchemeInfo, hookimpl
from contracts.terms import tr
from marshmallow import Schema
from portal.schemes.models import Contract
from tests.clients.support import api, count_queries, fast_password_hashing  # noqa: F401

D = Decimal
MARCH = date(2025, 3, 1)
MIGRATION = Path(__file__).resolve().parents[2] / "migrations" / "versions" / "7307ed8f3a9d_settlement_immutability_triggers.py"


@pytest.fixture(autouse=True)
def request_context(request, app):
    """Services translate their messages: run each test inside a request (English), within
    the test's SAVEPOINT session when it uses one (tests that commit for real do not)."""
    if "db" in request.fixturenames:
        request.getfixturevalue("db")
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


def load_trigger_migration():
    spec = importlib.util.spec_from_file_location("immutability_migration", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def add_contract(session, client, scheme_key="buyout_rebate", terms=None, *, currency=None, period_kind="month",
                 starts_on=date(2025, 1, 1), ends_on=None) -> Contract:
    contract = Contract(client_id=client.id, scheme_key=scheme_key, terms={"rebate_rate": "1.5"} if terms is None else terms,
                        currency=currency or client.currency, period_kind=period_kind, starts_on=starts_on,
                        ends_on=ends_on)
    session.add(contract)
    session.flush()
    return contract


@dataclass
class World:
    acme: object  # CNY client, buyout 1.5 %, monthly from 2025-01-01
    globex: object  # USD client, discount 3 %, monthly from 2025-01-01
    tv55: object
    tv43: object
    finance: object
    admin: object
    staff: object
    acme_user: object
    acme_admin: object
    globex_user: object


@pytest.fixture
def world(make, db) -> World:
    acme = make.client(code="ACME", name="Acme Electronics", currency="CNY", locale="zh_Hans")
    globex = make.client(code="GLOBEX", name="Globex Overseas", currency="USD", market="overseas", locale="en")
    tv55 = make.model(code="KTV-55A", name="55-inch 4K TV")
    tv43 = make.model(code="KTV-43B", name="43-inch TV", size_inches=D("43"))
    add_contract(db.session, acme, "buyout_rebate", {"rebate_rate": "1.5"})
    add_contract(db.session, globex, "price_discount", {"discount_rate": "3"})
    return World(
        acme, globex, tv55, tv43,
        finance=make.user(role="finance", locale="en"), admin=make.user(role="admin", locale="en"),
        staff=make.user(role="staff", locale="en"),
        acme_user=make.user(role="client_user", client=acme, locale="zh_Hans"),
        acme_admin=make.user(role="client_admin", client=acme, locale="en"),
        globex_user=make.user(role="client_user", client=globex, locale="en"),
    )


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


# --- a scheme that misbehaves, registered into the running registry -----------------------

class _Terms(Schema):
    pass


def _info(key: str) -> SchemeInfo:
    text_ = tr(zh_Hans=key, zh_Hant_HK=key, en=key, fr=key, es=key)
    return SchemeInfo(key=key, names=text_, explanations=text_, terms_schema=_Terms,
                      messages={"bad": text_, "bad_line": text_}, version="1")


class BadScheme:
    """``raising``: portal_settle raises; ``malformed``: returns a float amount."""

    def __init__(self, key: str, behaviour: str):
        self.key, self.behaviour = key, behaviour

    @hookimpl
    def portal_scheme_info(self):
        return _info(self.key)

    @hookimpl
    def portal_settle(self, scheme_key, terms, facts):
        from contracts import SettlementLine, SettlementResult

        if scheme_key != self.key:
            return None
        if self.behaviour == "raising":
            raise ZeroDivisionError("the rebate table divides by zero")
        line = SettlementLine("bad", "credit", 1.5, facts.currency, "bad_line", {}, "X")
        return SettlementResult(lines=(line,))


@pytest.fixture
def bad_scheme(app):
    """Register a misbehaving scheme: bad_scheme("raising" | "malformed") -> its key."""
    registry = app.extensions["schemes"]
    added = []

    def register(behaviour: str) -> str:
        key = f"bad_{behaviour}"
        plugin = BadScheme(key, behaviour)
        registry.pm.register(plugin, name=key)
        registry.infos[key] = _info(key)
        added.append((key, plugin))
        return key

    yield register
    for key, plugin in added:
        registry.pm.unregister(plugin)
        registry.infos.pop(key, None)


# --- tampering with issued documents (the triggers refuse it otherwise) -----------------------

def bypass_triggers(connection) -> None:
    """Inside the test's transaction (rolled back at its end): switch the immutability
    triggers off, as an attacker with DDL rights could."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("ALTER TABLE settlement DISABLE TRIGGER USER"))
        connection.execute(text("ALTER TABLE settlement_line DISABLE TRIGGER USER"))
    else:
        for name in load_trigger_migration().SQLITE_TRIGGERS:
            connection.execute(text(f"DROP TRIGGER {name}"))


def restore_triggers(connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("ALTER TABLE settlement ENABLE TRIGGER USER"))
        connection.execute(text("ALTER TABLE settlement_line ENABLE TRIGGER USER"))
    else:
        for statement in load_trigger_migration().SQLITE_TRIGGERS.values():
            connection.execute(text(statement))
