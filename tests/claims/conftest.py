"""Shared set-up for the claims tests: ACME (CNY) under the DOMAIN compensation example
(L2 80.00, handling 5.00, main board 310.00, cap 300.00 per claim) with two stations and a
shipped serial; GLOBEX (USD) under a buyout contract with a station of its own; the people
who act; "today" fixed to 31 March 2025."""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from portal.network.models import ClientStation
from portal.schemes.models import Contract
from tests.clients.support import api, count_queries, fast_password_hashing  # noqa: F401

D = Decimal
TODAY = date(2025, 3, 31)
TERMS = {"labour_fees": {"L1": "40.00", "L2": "80.00", "L3": "120.00"}, "handling_fee": "5.00",
         "category_prices": {"main_board": "310.00", "power_board": "120.00"}, "cap_per_claim": "300.00"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr("portal.claims.services.today", lambda: TODAY)
    return TODAY


@pytest.fixture(autouse=True)
def storage_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "STORAGE_DIR", str(tmp_path / "storage"))
    app.extensions.pop("storage", None)
    yield
    app.extensions.pop("storage", None)


def add_contract(session, client, scheme_key="repair_compensation", terms=None, starts_on=date(2025, 1, 1)):
    contract = Contract(client_id=client.id, scheme_key=scheme_key, terms=dict(TERMS if terms is None else terms),
                        currency=client.currency, period_kind="month", starts_on=starts_on)
    session.add(contract)
    session.flush()
    return contract


def station(session, client, code, **kw) -> ClientStation:
    found = ClientStation(client_id=client.id, code=code, name=kw.pop("name", f"Station {code}"), city="Shenzhen",
                          region="south", **kw)
    session.add(found)
    session.flush()
    return found


@dataclass
class World:
    acme: object
    globex: object
    contract: object
    tv55: object
    board: object
    power: object
    st1: object
    st2: object
    gx_station: object
    staff: object
    admin: object
    finance: object
    acme_user: object
    acme_admin: object
    globex_user: object


@pytest.fixture
def world(make, db) -> World:
    acme = make.client(code="ACME", name="Acme Electronics", currency="CNY", locale="zh_Hans")
    globex = make.client(code="GLOBEX", name="Globex Overseas", currency="USD", market="overseas", locale="en")
    tv55 = make.model(code="KTV-55A", name="55-inch 4K TV")
    board = make.part(category="main_board", number="MB-55A")
    power = make.part(category="power_board", number="PB-55A")
    contract = add_contract(db.session, acme)
    add_contract(db.session, globex, "buyout_rebate", {"rebate_rate": "1.5"})
    make.shipment(client=acme, ship_date=date(2025, 1, 10), number="SH-ACME-1", lines=[
        dict(model=tv55, quantity=4, unit_price=D("1850.00"), serials=["SN-A1", "SN-A2", "SN-A3", "SN-A4"])])
    make.shipment(client=globex, ship_date=date(2025, 1, 10), number="SH-GX-1", lines=[
        dict(model=tv55, quantity=1, unit_price=D("250.00"), serials=["SN-G1"])])
    return World(
        acme, globex, contract, tv55, board, power,
        st1=station(db.session, acme, "ST-01"), st2=station(db.session, acme, "ST-02"),
        gx_station=station(db.session, globex, "GX-01"),
        staff=make.user(role="staff", locale="en"), admin=make.user(role="admin", locale="en"),
        finance=make.user(role="finance", locale="en"),
        acme_user=make.user(role="client_user", client=acme, locale="en"),
        acme_admin=make.user(role="client_admin", client=acme, locale="en"),
        globex_user=make.user(role="client_user", client=globex, locale="en"),
    )


def claim_data(**kw) -> dict:
    """A valid claim as the form posts it: the DOMAIN example (claimed 420.00)."""
    data = dict(serial="SN-A1", repair_date="2025-03-10", station="ST-01", fault_cause="normal_failure",
                repair_level="L2", repaired_category="main_board", parts="MB-55A:1", claimed_labour="100.00",
                claimed_parts="310.00", claimed_handling="10.00", currency="CNY", description="No picture",
                model="", preauthorisation="")
    data.update(kw)
    return data


def api_claim(**kw) -> dict:
    data = claim_data(**kw)
    parts = data.pop("parts")
    data["parts"] = [{"part_number": p.split(":")[0], "quantity": int(p.split(":")[1])}
                     for p in parts.split(";") if p.strip()] if isinstance(parts, str) else parts
    return data


def csv_file(rows: list[dict], header=None) -> io.BytesIO:
    from portal.claims.importer import COLUMNS

    header = header or list(COLUMNS)
    lines = [",".join(header)] + [",".join(str(row.get(c, "")) for c in header) for row in rows]
    return io.BytesIO(("\n".join(lines) + "\n").encode())


@pytest.fixture(autouse=True)
def request_context(request, app):
    """Services translate their messages: run each test inside an English request."""
    if "db" in request.fixturenames or "world" in request.fixturenames:
        request.getfixturevalue("db")
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


def as_(client, user):
    """Sign in as ``user`` (signing out whoever was signed in)."""
    client.post("/logout")
    client.login(user.email)
