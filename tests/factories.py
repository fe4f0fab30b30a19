"""Small factories for tests: each makes a valid object with sensible defaults."""
from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from portal.auth.models import User
from portal.catalogue.models import Batch, BatchMaterial, Part, ProductModel
from portal.clients.models import Client
from portal.shipments.models import Serial, Shipment, ShipmentLine

PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)


class Factories:
    def __init__(self, session):
        self.session = session

    def _save(self, obj):
        self.session.add(obj)
        self.session.flush()
        return obj

    def client(self, **kw) -> Client:
        n = next(_seq)
        defaults = dict(code=f"C{n:04d}", name=f"Client {n}", market="domestic", locale="zh_Hans", currency="CNY")
        return self._save(Client(**{**defaults, **kw}))

    def user(self, role="client_user", client=None, **kw) -> User:
        n = next(_seq)
        if role in ("client_admin", "client_user") and client is None:
            client = self.client()
        user = User(email=kw.pop("email", f"user{n}@example.com"), name=kw.pop("name", f"User {n}"),
                    role=role, client=client, **kw)
        user.set_password(PASSWORD)
        return self._save(user)

    def model(self, **kw) -> ProductModel:
        n = next(_seq)
        defaults = dict(code=f"KTV-{n}", kind="tv", size_inches=Decimal("55"), launch_date=date(2024, 1, 1),
                        service_years=5)
        return self._save(ProductModel(**{**defaults, **kw}))

    def part(self, category="main_board", **kw) -> Part:
        n = next(_seq)
        defaults = dict(number=f"P{n:06d}", category=category, description=f"Part {n}", cost_price=Decimal("100.00"))
        return self._save(Part(**{**defaults, **kw}))

    def batch(self, model=None, materials=(), **kw) -> Batch:
        n = next(_seq)
        batch = Batch(code=kw.pop("code", f"B{n:05d}"), model=model or self.model(),
                      produced_on=kw.pop("produced_on", date(2024, 2, 1)), **kw)
        for part in materials:
            batch.materials.append(BatchMaterial(category=part.category, part=part))
        return self._save(batch)

    def shipment(self, client=None, ship_date=date(2025, 3, 1), lines=(), **kw) -> Shipment:
        """`lines`: dicts with model, quantity, unit_price, optional batch, currency, serials."""
        n = next(_seq)
        client = client or self.client()
        shipment = Shipment(number=kw.pop("number", f"SH-{n:06d}"), client=client, ship_date=ship_date, **kw)
        self._save(shipment)
        for spec in lines:
            spec = dict(spec)
            serials = spec.pop("serials", ())
            line = ShipmentLine(shipment=shipment, client_id=client.id, currency=spec.pop("currency", client.currency),
                                **spec)
            self._save(line)
            for s in serials:
                self.session.add(Serial(serial=s, line_id=line.id, client_id=client.id))
        self.session.flush()
        return shipment
