"""Creating one shipment through the service, and the queries other capabilities use."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from portal.shipments.models import Serial, Shipment, ShipmentLine
from portal.shipments.services import (
    ShipmentFilters,
    ShipmentInput,
    ShipmentInvalid,
    create_shipment,
    quantity_shipped_by_model,
    serial_origins,
    shipments_query,
    shipped_lines,
    totals_for,
)
from portal.shipments.validation import LineInput, split_serials
from portal.tenancy import set_tenant


def line(model="KTV-55A", quantity=2, price="1850.00", currency="CNY", batch=None, serials=()):
    return LineInput(model_code=model, quantity=quantity, unit_price=Decimal(price), currency=currency,
                     batch_code=batch, serials=list(serials))


def spec(*lines, number="SH-1", client="ACME", ship_date=date(2025, 3, 1)):
    return ShipmentInput(number=number, client_code=client, ship_date=ship_date, lines=list(lines))


def create(app, data):
    with app.test_request_context():
        return create_shipment(data)


def invalid(app, data) -> dict:
    with app.test_request_context(), pytest.raises(ShipmentInvalid) as caught:
        create_shipment(data)
    return caught.value.errors


def test_split_serials():
    assert split_serials(" A1, A2;A3\n A4\tA5 ,, ") == ["A1", "A2", "A3", "A4", "A5"]
    assert split_serials(None) == []


def test_create_writes_lines_and_serials(app, db, world):
    shipment = create(app, spec(line(batch="B55-1", serials=["A1", "A2"]), line(model="KTV-43B", quantity=-1, price="10")))
    db.session.expire_all()
    shipment = db.session.get(Shipment, shipment.id)
    assert [(l.model.code, l.batch_id, l.quantity, l.currency) for l in shipment.lines] == [
        ("KTV-55A", world.b55.id, 2, "CNY"), ("KTV-43B", None, -1, "CNY")]
    assert db.session.scalars(select(Serial.serial).where(Serial.line_id == shipment.lines[0].id)).all() == ["A1", "A2"]


def test_create_reports_each_field_and_writes_nothing(app, db, world, make):
    make.shipment(client=world.acme, number="TAKEN", lines=[dict(model=world.tv55, quantity=1, unit_price=Decimal(1),
                                                                  serials=["OLD"])])
    errors = invalid(app, spec(
        line(batch="B43-1", serials=["N1", "OLD"]),
        line(model="NOPE", quantity=0, price="-1", currency="USD"),
        line(quantity=1, serials=["N1"]),
        number="TAKEN",
    ))
    assert errors == {
        "number": ["Shipment TAKEN already exists."],
        "lines": {
            0: {"batch_code": ["Batch B43-1 belongs to model KTV-43B, not KTV-55A."],
                "serials": ["Serial 'OLD' is already recorded (shipment TAKEN)."]},
            1: {"model_code": ["Unknown model code 'NOPE'."],
                "quantity": ["The quantity must not be zero (a negative quantity is returned goods)."],
                "currency": ["Currency USD differs from the client's CNY."],
                "unit_price": ["The unit price must not be negative."]},
            2: {"serials": ["Serial 'N1' appears twice in this shipment (first on line 1)."]},
        },
    }
    assert db.session.scalar(select(func.count(ShipmentLine.id))) == 1


def test_create_needs_a_known_client_a_date_and_a_line(app, db, world):
    assert invalid(app, spec(client="NOPE", ship_date=None)) == {
        "client_code": ["Unknown client code 'NOPE'."],
        "ship_date": ["The ship date is missing."],
        "lines": ["Enter at least one line."],
    }


def test_yen_has_no_decimals(app, db, world, make):
    make.client(code="NIPPON", currency="JPY")
    errors = invalid(app, spec(line(price="100.50", currency="JPY", quantity=1), client="NIPPON"))
    assert errors == {"lines": {0: {"unit_price": ["Unit price 100.50 has more decimals than JPY allows (0)."]}}}
    assert create(app, spec(line(price="100", currency="JPY", quantity=1), client="NIPPON", number="JP-1")).id


def shipped(make, world):
    make.shipment(client=world.acme, number="A-1", ship_date=date(2025, 1, 10), lines=[
        dict(model=world.tv55, quantity=1000, unit_price=Decimal("1850.00"), serials=["S1"]),
        dict(model=world.tv55, quantity=-20, unit_price=Decimal("1850.00")),
        dict(model=world.tv43, quantity=300, unit_price=Decimal("1199.90")),
    ])
    make.shipment(client=world.acme, number="A-2", ship_date=date(2025, 2, 10), lines=[
        dict(model=world.tv43, quantity=5, unit_price=Decimal("1199.90"), batch=world.b43)])
    make.shipment(client=world.globex, number="G-1", ship_date=date(2025, 1, 15), lines=[
        dict(model=world.tv55, quantity=7, unit_price=Decimal("249.99"), serials=["G1"])])


def test_quantity_shipped_per_model_between_dates(db, world, make):
    shipped(make, world)
    assert quantity_shipped_by_model(world.acme.id, date(2025, 1, 1), date(2025, 1, 31)) == {
        world.tv55.id: 980, world.tv43.id: 300}
    assert quantity_shipped_by_model(world.acme.id) == {world.tv55.id: 980, world.tv43.id: 305}
    assert quantity_shipped_by_model(world.acme.id, date(2025, 2, 1)) == {world.tv43.id: 5}


def test_shipped_lines_are_plain_facts(db, world, make):
    shipped(make, world)
    lines = shipped_lines(world.acme.id, date(2025, 1, 1), date(2025, 12, 31))
    assert [(l.number, l.model_code, l.quantity, l.value) for l in lines] == [
        ("A-1", "KTV-55A", 1000, Decimal("1850000.00")), ("A-1", "KTV-55A", -20, Decimal("-37000.00")),
        ("A-1", "KTV-43B", 300, Decimal("359970.00")), ("A-2", "KTV-43B", 5, Decimal("5999.50"))]
    assert (lines[-1].batch_id, lines[-1].batch_code, lines[0].batch_code) == (world.b43.id, "B43-1", None)
    assert len({l.line_id for l in lines}) == 4


def test_totals_are_aggregated_in_sql(db, world, make):
    shipped(make, world)
    ids = db.session.scalars(select(Shipment.id).order_by(Shipment.number)).all()
    totals = totals_for(ids)
    a1 = totals[ids[0]]
    assert (a1.lines, a1.quantity, a1.value, a1.currency) == (3, 1280, Decimal("2172970.00"), "CNY")
    assert totals[ids[2]].value == Decimal("1749.93")


def test_filters(app, db, world, make):
    shipped(make, world)

    def numbers(**kw):
        return [s.number for s in db.session.scalars(shipments_query(ShipmentFilters(**kw)))]

    assert numbers() == ["A-2", "G-1", "A-1"]
    assert numbers(client_id=world.globex.id) == ["G-1"]
    assert numbers(model_id=world.tv43.id) == ["A-2", "A-1"]
    assert numbers(date_from=date(2025, 1, 12), date_to=date(2025, 1, 31)) == ["G-1"]
    assert numbers(number="a-") == ["A-2", "A-1"]
    assert numbers(number="%") == []


def test_serial_origins_respect_tenancy(app, db, world, make):
    shipped(make, world)
    info = serial_origins(["S1", "NONE"])["S1"]
    assert (info.client_id, info.shipment_number, info.model_code, info.ship_date) == (
        world.acme.id, "A-1", "KTV-55A", date(2025, 1, 10))
    assert "NONE" not in serial_origins(["S1", "NONE"])
    db.session.expunge_all()
    with app.test_request_context():
        set_tenant(world.globex.id)
        assert set(serial_origins(["S1", "G1"])) == {"G1"}


def test_a_number_taken_by_someone_else_meanwhile(app, db, world, make, monkeypatch):
    """The check passed, then the unique constraint refused the number: nothing written."""
    from portal.shipments import services

    make.shipment(client=world.acme, number="RACE", lines=[dict(model=world.tv55, quantity=1, unit_price=Decimal(1))])
    monkeypatch.setattr(services, "existing_numbers", lambda numbers: set())
    assert invalid(app, spec(line(serials=["R1", "R2"]), number="RACE")) == {"number": ["Shipment RACE already exists."]}
    assert db.session.scalar(select(func.count(Serial.id))) == 0
    assert db.session.scalar(select(func.count(ShipmentLine.id))) == 1
