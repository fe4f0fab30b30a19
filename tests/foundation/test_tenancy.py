"""The one tenancy mechanism, at the ORM level (pages and API are tested in their own files)."""
from decimal import Decimal

from sqlalchemy import func, select

from portal.clients.models import Client
from portal.shipments.models import Serial, Shipment, ShipmentLine
from portal.tenancy import set_tenant


def two_clients(make):
    model = make.model()
    mine, theirs = make.client(code="MINE"), make.client(code="THEIRS")
    line = lambda s: [dict(model=model, quantity=1, unit_price=Decimal("10.00"), serials=[s])]  # noqa: E731
    return mine, theirs, make.shipment(client=mine, lines=line("S-MINE")), make.shipment(client=theirs, lines=line("S-THEIRS"))


def test_a_confined_session_sees_only_its_client(app, db, make):
    mine, theirs, my_shipment, their_shipment = two_clients(make)
    db.session.expunge_all()  # nothing cached: every read goes to the database
    with app.test_request_context():
        set_tenant(mine.id)
        assert db.session.scalars(select(Shipment)).all() == [db.session.get(Shipment, my_shipment.id)]
        assert db.session.get(Shipment, their_shipment.id) is None
        assert db.session.scalar(select(func.count(Serial.id))) == 1
        assert [c.code for c in db.session.scalars(select(Client))] == ["MINE"]
        assert db.session.scalars(select(ShipmentLine.quantity).join(Shipment)).all() == [1]
        # relationships loaded from an allowed row do not leak either
        assert {s.serial for s in db.session.scalars(select(Serial))} == {"S-MINE"}


def test_unconfined_code_sees_everything(app, db, make):
    two_clients(make)
    with app.test_request_context():
        set_tenant(None)
        assert db.session.scalar(select(func.count(Shipment.id))) == 2
