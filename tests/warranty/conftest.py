"""Shared data for the warranty tests: two clients, a model with a batch, a few serials."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import event

from portal.extensions import db as _db


@dataclass
class Fleet:
    mine: object
    theirs: object
    model: object
    batch: object
    shipment: object


SHIP_DATE = date(2025, 3, 1)


@pytest.fixture
def fleet(make):
    model = make.model(code="KTV-55A", name="55-inch 4K TV")
    batch = make.batch(model=model, code="B-55A-01")
    mine = make.client(code="MINE", name="Mine Electronics")
    theirs = make.client(code="THEIRS", name="Their Brand")
    shipment = make.shipment(client=mine, ship_date=SHIP_DATE, number="SH-MINE-1", lines=[
        dict(model=model, batch=batch, quantity=3, unit_price=Decimal("1850.00"),
             serials=["SN-A1", "SN-A2", "SN-A3"]),
        dict(model=model, quantity=1, unit_price=Decimal("1850.00"), serials=["SN-NOBATCH"]),
    ])
    make.shipment(client=theirs, ship_date=date(2024, 2, 29), number="SH-THEIRS-1", lines=[
        dict(model=model, batch=batch, quantity=1, unit_price=Decimal("1850.00"), serials=["SN-T1"]),
    ])
    return Fleet(mine, theirs, model, batch, shipment)


@pytest.fixture
def many_serials(make):
    """A shipment of `n` serials for a client, inserted in one statement."""
    from portal.shipments.models import Serial

    def build(client, n: int, prefix: str = "BULK-") -> list[str]:
        model = make.model()
        shipment = make.shipment(client=client, lines=[dict(model=model, quantity=n, unit_price=Decimal("1.00"))])
        line = shipment.lines[0]
        serials = [f"{prefix}{i:06d}" for i in range(n)]
        make.session.execute(
            Serial.__table__.insert(), [dict(serial=s, line_id=line.id, client_id=client.id) for s in serials]
        )
        return serials

    return build


class StatementCounter:
    def __init__(self):
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    def on(self, table: str) -> list[str]:
        return [s for s in self.statements if s.lstrip().upper().startswith("SELECT") and f"FROM {table}" in s]


@pytest.fixture
def count_statements(app):
    """Counts the SQL statements sent while the test runs (a before_cursor_execute listener)."""
    counter = StatementCounter()
    with app.app_context():
        engine = _db.engine
    event.listen(engine, "before_cursor_execute", counter)
    yield counter
    event.remove(engine, "before_cursor_execute", counter)


def api_token(client, user) -> dict:
    from tests.factories import PASSWORD

    response = client.post("/api/v1/auth/tokens", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 201, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['token']}"}
