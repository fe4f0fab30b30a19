"""The demo data: loaded once, complete enough to show every page, deterministic."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from contracts.domain import add_months
from portal.auth.models import User
from portal.catalogue.models import Batch, BatchMaterial, Part, ProductModel
from portal.clients.models import Client
from portal.demo import (CLIENTS, DEMO_LEGACY_SERIALS, DEMO_PASSWORD, DEMO_SERIAL_EXAMPLES, USERS,
                         load_demo)
from portal.demo.shipments import plan_shipments
from portal.shipments.models import Serial, Shipment, ShipmentLine

TABLES = (Client, User, ProductModel, Part, Batch, BatchMaterial, Shipment, ShipmentLine, Serial)


def counts(session) -> dict[str, int]:
    return {table.__name__: session.scalar(select(func.count()).select_from(table)) for table in TABLES}


@pytest.fixture
def demo(db):
    assert load_demo() is True
    return db


def test_loading_twice_changes_nothing(db):
    assert load_demo() is True
    first = counts(db.session)
    assert load_demo() is False
    assert counts(db.session) == first
    assert first["Client"] == len(CLIENTS) and first["User"] == len(USERS)


def test_loading_keeps_a_database_that_already_has_clients(db, make):
    make.client(code="REAL")
    assert load_demo() is False
    assert counts(db.session)["ProductModel"] == 0


def test_six_models_one_discontinued_and_batches_with_materials(demo):
    models = demo.session.scalars(select(ProductModel)).all()
    assert len(models) == 6
    assert {m.kind for m in models} == {"tv", "monitor"}
    discontinued = [m for m in models if m.discontinued]
    assert len(discontinued) == 1
    old = discontinued[0]
    assert old.end_of_production < date.today() and 3 <= old.service_years <= 5
    assert old.service_end > date.today()  # still serviced
    for model in models:
        assert model.launch_date < date.today()
        assert len(model.batches) >= 3
        for batch in model.batches:
            categories = {m.category for m in batch.materials}
            expected = {"main_board", "power_board", "panel", "accessory"} | ({"remote"} if model.kind == "tv" else set())
            assert categories == expected, batch.code
            assert batch.produced_on >= add_months(model.launch_date, -2)
    # Real life: later batches of a model were built with another panel or board.
    changed = [m.code for m in models
               if len({tuple(sorted((x.category, x.part.number) for x in b.materials)) for b in m.batches}) > 1]
    assert len(changed) == 6


def test_parts_in_every_category_with_decimal_cost(demo):
    parts = demo.session.scalars(select(Part)).all()
    assert {p.category for p in parts} == {"main_board", "power_board", "panel", "remote", "accessory"}
    assert all(isinstance(p.cost_price, Decimal) and p.cost_price > 0 for p in parts)


def test_twelve_months_of_shipments_to_every_client(demo):
    today = date.today()
    months = {add_months(today.replace(day=1), -n).strftime("%Y-%m") for n in range(12)}
    for client in demo.session.scalars(select(Client)):
        shipped = demo.session.scalars(select(Shipment.ship_date).where(Shipment.client_id == client.id)).all()
        assert months <= {d.strftime("%Y-%m") for d in shipped}, client.code
        assert max(shipped) <= today
        lines = demo.session.scalars(select(ShipmentLine).where(ShipmentLine.client_id == client.id)).all()
        assert len(lines) >= 24
        assert {line.currency for line in lines} == {client.currency}
        assert all(isinstance(line.unit_price, Decimal) and line.unit_price > 0 for line in lines)


def test_serials_for_positive_lines_none_for_returns(demo):
    per_line = dict(demo.session.execute(select(Serial.line_id, func.count()).group_by(Serial.line_id)).all())
    lines = demo.session.scalars(select(ShipmentLine)).all()
    returns = [line for line in lines if line.quantity < 0]
    assert len(returns) >= 3
    assert all(line.id not in per_line for line in returns)
    assert all(per_line[line.id] == line.quantity for line in lines if line.quantity > 0)
    assert 10_000 <= sum(per_line.values()) <= 60_000
    # No batch shipped more units than it produced.
    shipped = demo.session.execute(
        select(Batch.code, Batch.quantity, func.sum(ShipmentLine.quantity))
        .join(ShipmentLine, ShipmentLine.batch_id == Batch.id).group_by(Batch.code, Batch.quantity)
    ).all()
    assert shipped and all(total <= produced for _code, produced, total in shipped)


def test_demo_serials_are_shipped_to_their_clients(demo):
    today = date.today()
    for code, number in DEMO_SERIAL_EXAMPLES.items():
        unit = demo.session.scalar(select(Serial).where(Serial.serial == number))
        assert unit is not None, number
        assert unit.line.shipment.client.code == code and unit.line.quantity > 0
        assert unit.line.shipment.ship_date > add_months(today, -12)
        assert not unit.line.model.discontinued
    for code, number in DEMO_LEGACY_SERIALS.items():
        unit = demo.session.scalar(select(Serial).where(Serial.serial == number))
        assert unit.line.shipment.client.code == code
        assert unit.line.model.discontinued
        assert unit.line.shipment.ship_date < add_months(today, -12)  # whole unit out of warranty
    assert set(DEMO_SERIAL_EXAMPLES) == {c["code"] for c in CLIENTS}


def test_every_demo_login_can_sign_in(demo, client):
    for email, name, role, client_code, locale in USERS:
        client.login(email, DEMO_PASSWORD)
        page = client.get("/")
        assert page.status_code == 200 and name in page.get_data(as_text=True), email
        user = demo.session.scalar(select(User).where(User.email == email))
        assert (user.role, user.locale, user.client.code if user.client else None) == (role, locale, client_code)
        client.post("/logout")


def test_the_plan_is_the_same_whatever_the_date():
    """Serials, quantities and batches never depend on the day the demo is loaded."""

    def shape(today):
        return [(s.client, s.offset, s.day, [(l.model, l.quantity, l.batch_no, l.first_unit) for l in s.lines])
                for s in plan_shipments(today)]

    assert shape(date(2026, 1, 31)) == shape(date(2028, 7, 1))
