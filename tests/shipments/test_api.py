"""The shipments API: list, detail, serials, create, import; roles and tenancy."""
from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from portal.shipments.models import Serial, Shipment, ShipmentLine

from .conftest import bearer, csv_bytes, row, xlsx_bytes


def counts(db):
    return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in (Shipment, ShipmentLine, Serial))


@pytest.fixture
def shipments(make, world):
    mine = make.shipment(client=world.acme, number="ACME-001", ship_date=date(2025, 3, 1), lines=[
        dict(model=world.tv55, batch=world.b55, quantity=2, unit_price=Decimal("1850.00"), serials=["AS1", "AS2"]),
        dict(model=world.tv43, quantity=-1, unit_price=Decimal("1199.90")),
    ])
    theirs = make.shipment(client=world.globex, number="GLOBEX-001", ship_date=date(2025, 4, 1), lines=[
        dict(model=world.tv43, quantity=3, unit_price=Decimal("249.99"), serials=["GS1", "GS2", "GS3"])])
    return mine, theirs


@pytest.fixture
def staff(client, make):
    return bearer(client, make.user(role="staff"))


def body(**changes):
    data = {"number": "API-1", "client_code": "ACME", "ship_date": "2025-05-02", "lines": [
        {"model_code": "KTV-55A", "batch_code": "B55-1", "quantity": 2, "unit_price": "1850.00", "currency": "CNY",
         "serials": ["P1", "P2"]},
        {"model_code": "KTV-43B", "quantity": -1, "unit_price": 1199.9, "currency": "CNY"},
    ]}
    data.update(changes)
    return data


def test_list_with_totals_and_pagination(client, staff, shipments):
    response = client.get("/api/v1/shipments/?page_size=1", headers=staff)
    assert response.status_code == 200
    assert json.loads(response.headers["X-Pagination"])["total"] == 2
    [first] = response.get_json()
    assert first["number"] == "GLOBEX-001" and first["client_code"] == "GLOBEX"
    assert (first["line_count"], first["quantity"], first["value"], first["currency"]) == (1, 3, "749.97", "USD")
    second = client.get("/api/v1/shipments/?page_size=1&page=2", headers=staff).get_json()
    assert second[0]["value"] == "2500.10"


def test_list_filters(client, staff, world, shipments):
    def numbers(query):
        response = client.get(f"/api/v1/shipments/?{query}", headers=staff)
        assert response.status_code == 200, response.get_json()
        return [s["number"] for s in response.get_json()]

    assert numbers(f"client_id={world.acme.id}") == ["ACME-001"]
    assert numbers("model_code=KTV-55A") == ["ACME-001"]
    assert numbers(f"model_id={world.tv43.id}") == ["GLOBEX-001", "ACME-001"]
    assert numbers("model_code=NOPE") == []
    assert numbers("date_from=2025-03-02") == ["GLOBEX-001"]
    assert numbers("date_to=2025-03-01&number=acme") == ["ACME-001"]
    bad = client.get("/api/v1/shipments/?date_from=yesterday", headers=staff)
    assert bad.status_code == 422 and "date_from" in bad.get_json()["errors"]["query"]


def test_detail_and_serials(client, staff, shipments):
    mine, _ = shipments
    data = client.get(f"/api/v1/shipments/{mine.id}", headers=staff).get_json()
    assert data["serial_count"] == 2 and data["value"] == "2500.10"
    assert [(l["model_code"], l["batch_code"], l["quantity"], l["unit_price"], l["value"], l["serial_count"])
            for l in data["lines"]] == [("KTV-55A", "B55-1", 2, "1850.00", "3700.00", 2),
                                        ("KTV-43B", None, -1, "1199.90", "-1199.90", 0)]
    serials = client.get(f"/api/v1/shipments/{mine.id}/serials?page_size=1&page=2", headers=staff)
    assert serials.get_json() == [{"serial": "AS2", "line_id": mine.lines[0].id, "model_code": "KTV-55A"}]
    assert json.loads(serials.headers["X-Pagination"])["total"] == 2
    assert client.get("/api/v1/shipments/999999", headers=staff).status_code == 404
    assert client.get("/api/v1/shipments/999999/serials", headers=staff).status_code == 404


def test_client_token_reads_only_its_own(client, make, world, shipments):
    mine, theirs = shipments
    headers = bearer(client, make.user(role="client_user", client=world.acme))
    listed = client.get(f"/api/v1/shipments/?client_id={world.globex.id}", headers=headers).get_json()
    assert [s["number"] for s in listed] == ["ACME-001"]
    assert client.get(f"/api/v1/shipments/{mine.id}", headers=headers).status_code == 200
    missing = client.get(f"/api/v1/shipments/{theirs.id}", headers=headers)
    assert missing.status_code == 404 and missing.get_json()["code"] == 404
    assert client.get(f"/api/v1/shipments/{theirs.id}/serials", headers=headers).status_code == 404
    assert client.post("/api/v1/shipments/", json=body(), headers=headers).status_code == 403
    upload = {"file": (csv_bytes([row()]), "a.csv")}
    assert client.post("/api/v1/shipments/import", data=upload, headers=headers).status_code == 403


def test_a_token_is_required(client, shipments):
    mine, _ = shipments
    for url in ("/api/v1/shipments/", f"/api/v1/shipments/{mine.id}", f"/api/v1/shipments/{mine.id}/serials"):
        assert client.get(url).status_code == 401
    assert client.post("/api/v1/shipments/", json=body()).status_code == 401


def test_create(client, db, staff, world):
    response = client.post("/api/v1/shipments/", json=body(), headers=staff)
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert data["number"] == "API-1" and data["serial_count"] == 2 and data["value"] == "2500.10"
    assert counts(db) == (1, 2, 2)


@pytest.mark.parametrize("changes, errors", [
    (dict(client_code="NOPE"), {"client_code": ["Unknown client code 'NOPE'."]}),
    ({"lines": [{"model_code": "KTV-55A", "batch_code": "B43-1", "quantity": 1, "unit_price": "1", "currency": "CNY"}]},
     {"lines": {"0": {"batch_code": ["Batch B43-1 belongs to model KTV-43B, not KTV-55A."]}}}),
    ({"lines": [{"model_code": "X", "quantity": 0, "unit_price": "-1", "currency": "USD", "serials": ["A"]}]},
     {"lines": {"0": {"model_code": ["Unknown model code 'X'."],
                      "quantity": ["The quantity must not be zero (a negative quantity is returned goods)."],
                      "currency": ["Currency USD differs from the client's CNY."],
                      "unit_price": ["The unit price must not be negative."]}}}),
    ({"lines": [{"model_code": "KTV-55A", "quantity": -2, "unit_price": "1", "currency": "CNY", "serials": ["A", "B"]},
                {"model_code": "KTV-55A", "quantity": 3, "unit_price": "1", "currency": "CNY", "serials": ["C", "C"]}]},
     {"lines": {"0": {"serials": ["A returned-goods line (negative quantity) carries no serials."]},
                "1": {"serials": ["2 serials for a quantity of 3.",
                                  "Serial 'C' appears twice in this shipment (first on line 2)."]}}}),
])
def test_create_rule_errors_per_field(client, db, staff, world, changes, errors):
    response = client.post("/api/v1/shipments/", json=body(**changes), headers=staff)
    assert response.status_code == 422
    payload = response.get_json()
    assert payload["errors"] == {"json": errors}
    assert payload["message"] == "The shipment was not created."
    assert counts(db) == (0, 0, 0)


def test_create_against_existing_data(client, db, staff, world, shipments):
    response = client.post("/api/v1/shipments/", json=body(number="ACME-001", lines=[
        {"model_code": "KTV-55A", "quantity": 1, "unit_price": "1", "currency": "CNY", "serials": ["GS2"]}]), headers=staff)
    assert response.get_json()["errors"]["json"] == {
        "number": ["Shipment ACME-001 already exists."],
        "lines": {"0": {"serials": ["Serial 'GS2' is already recorded (shipment GLOBEX-001)."]}},
    }
    assert counts(db) == (2, 3, 5)


@pytest.mark.parametrize("changes, field", [
    (dict(ship_date="2025-02-30"), "ship_date"),
    (dict(number=""), "number"),
    (dict(lines=[]), "lines"),
    ({"lines": [{"model_code": "KTV-55A", "quantity": 1.5, "unit_price": "1", "currency": "CNY"}]}, "lines"),
    ({"lines": [{"model_code": "KTV-55A", "quantity": 1, "unit_price": "abc", "currency": "CNY"}]}, "lines"),
])
def test_create_malformed_json(client, db, staff, world, changes, field):
    response = client.post("/api/v1/shipments/", json=body(**changes), headers=staff)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]["json"]
    assert counts(db) == (0, 0, 0)


def test_import_csv_and_xlsx(client, db, staff, world):
    response = client.post("/api/v1/shipments/import", headers=staff,
                           data={"file": (csv_bytes([row(serials="A B"), row("SH-2", quantity="-1")]), "s.csv")})
    assert response.status_code == 201, response.get_json()
    assert response.get_json() == {"shipments": 2, "lines": 2, "serials": 2}
    response = client.post("/api/v1/shipments/import", headers=staff,
                           data={"file": (xlsx_bytes([row("SH-3", quantity=1, serials="C")]), "s.xlsx")})
    assert response.get_json() == {"shipments": 1, "lines": 1, "serials": 1}
    assert counts(db) == (3, 3, 3)


def test_import_reports_row_errors(client, db, staff, world):
    rows = [row("SH-1", serials="A B"), row("SH-2", batch_code="NOPE"), row("SH-3", serials="A")]
    response = client.post("/api/v1/shipments/import", headers=staff, data={"file": (csv_bytes(rows), "s.csv")})
    assert response.status_code == 422
    payload = response.get_json()
    assert payload["message"] == "2 rows have errors; nothing was imported."
    assert payload["errors"] == {"rows": [
        {"row": 3, "errors": ["Unknown batch code 'NOPE'."]},
        {"row": 4, "errors": ["1 serial for a quantity of 2.", "Serial 'A' appears twice in the file (first on row 2)."]},
    ], "more_rows": 0}
    assert counts(db) == (0, 0, 0)


def test_import_bad_files(client, db, staff, world):
    response = client.post("/api/v1/shipments/import", headers=staff, data={"file": (io.BytesIO(b"nope"), "s.xlsx")})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"file": ["The file is not a valid XLSX workbook."]}
    missing = client.post("/api/v1/shipments/import", headers=staff, data={})
    assert missing.status_code == 422 and "file" in missing.get_json()["errors"]["files"]


def test_openapi_describes_the_endpoints(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path in ("/api/v1/shipments/", "/api/v1/shipments/{shipment_id}", "/api/v1/shipments/{shipment_id}/serials",
                 "/api/v1/shipments/import"):
        assert path in spec["paths"], path
    assert "post" in spec["paths"]["/api/v1/shipments/import"]
