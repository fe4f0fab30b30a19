"""Shared set-up for the shipment tests: two clients, two models with batches, and helpers
that build CSV and XLSX files in memory."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

import pytest
from openpyxl import Workbook

from portal.shipments.importer import COLUMNS


@dataclass
class World:
    acme: object  # client, CNY
    globex: object  # client, USD
    tv55: object  # model KTV-55A
    tv43: object  # model KTV-43B
    b55: object  # batch B55-1 of KTV-55A
    b43: object  # batch B43-1 of KTV-43B


@pytest.fixture
def world(make) -> World:
    acme = make.client(code="ACME", name="Acme Electronics", currency="CNY")
    globex = make.client(code="GLOBEX", name="Globex Overseas", currency="USD", market="overseas", locale="en")
    tv55 = make.model(code="KTV-55A", name="55-inch 4K TV")
    tv43 = make.model(code="KTV-43B", name="43-inch TV", size_inches=Decimal("43"))
    return World(acme, globex, tv55, tv43, make.batch(model=tv55, code="B55-1"), make.batch(model=tv43, code="B43-1"))


def row(shipment_no="SH-1", client_code="ACME", ship_date="2025-03-01", model_code="KTV-55A", batch_code="",
        quantity="2", unit_price="1850.00", currency="CNY", serials="") -> dict:
    return dict(shipment_no=shipment_no, client_code=client_code, ship_date=ship_date, model_code=model_code,
                batch_code=batch_code, quantity=quantity, unit_price=unit_price, currency=currency, serials=serials)


def csv_bytes(rows, columns=COLUMNS, delimiter=",", encoding="utf-8") -> io.BytesIO:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(columns)
    for r in rows:
        writer.writerow([r.get(c, "") for c in columns])
    return io.BytesIO(out.getvalue().encode(encoding))


def xlsx_bytes(rows, columns=COLUMNS) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(columns))
    for r in rows:
        sheet.append([r.get(c) for c in columns])
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def bearer(client, user) -> dict:
    from tests.factories import PASSWORD

    response = client.post("/api/v1/auth/tokens", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 201, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['token']}"}
