"""The warranty API: GET /api/v1/warranty/<serial>, POST /api/v1/warranty/lookup."""
import pytest

from portal.warranty import services

from .conftest import api_token


@pytest.fixture
def staff_auth(client, make):
    return api_token(client, make.user(role="staff"))


@pytest.fixture
def my_auth(client, make, fleet):
    return api_token(client, make.user(role="client_user", client=fleet.mine))


def test_one_serial(client, fleet, my_auth):
    response = client.get("/api/v1/warranty/SN-A1?on=2026-03-01", headers=my_auth)
    assert response.status_code == 200
    body = response.get_json()
    assert {k: body[k] for k in ("serial", "found", "status", "on", "model_code", "model_name", "batch_code",
                                 "ship_date", "shipment_number", "client_code", "grace_days")} == {
        "serial": "SN-A1", "found": True, "status": "parts", "on": "2026-03-01", "model_code": "KTV-55A",
        "model_name": "55-inch 4K TV", "batch_code": "B-55A-01", "ship_date": "2025-03-01",
        "shipment_number": "SH-MINE-1", "client_code": "MINE", "grace_days": 0,
    }
    assert body["categories"][0] == {"category": "unit", "months": 12, "ends_on": "2026-02-28", "in_warranty": False}
    assert body["categories"][3] == {"category": "panel", "months": 36, "ends_on": "2028-02-29", "in_warranty": True}
    assert [c["category"] for c in body["categories"]] == [
        "unit", "main_board", "power_board", "panel", "remote", "accessory"]


def test_one_serial_defaults_to_today(client, app, fleet, my_auth):
    body = client.get("/api/v1/warranty/SN-A1", headers=my_auth).get_json()
    with app.app_context():
        assert body["on"] == services.local_today().isoformat()


def test_unknown_and_other_clients_serials_are_404_alike(client, fleet, my_auth):
    theirs = client.get("/api/v1/warranty/SN-T1", headers=my_auth)
    unknown = client.get("/api/v1/warranty/SN-ZZ", headers=my_auth)
    assert theirs.status_code == unknown.status_code == 404
    assert theirs.get_json() == unknown.get_json()
    assert theirs.get_json()["message"] == "No unit with this serial number was found."
    assert theirs.get_json()["code"] == 404


def test_internal_roles_see_every_client(client, fleet, staff_auth):
    body = client.get("/api/v1/warranty/SN-T1", headers=staff_auth).get_json()
    assert body["client_code"] == "THEIRS" and body["ship_date"] == "2024-02-29"


def test_a_token_is_required(client, fleet):
    assert client.get("/api/v1/warranty/SN-A1").status_code == 401
    assert client.post("/api/v1/warranty/lookup", json={"serials": ["SN-A1"]}).status_code == 401
    bad = {"Authorization": "Bearer not-a-token"}
    assert client.get("/api/v1/warranty/SN-A1", headers=bad).status_code == 401


def test_the_session_cookie_does_not_authenticate_the_api(client, make, fleet):
    client.login(make.user(role="staff").email)
    assert client.get("/api/v1/warranty/SN-A1").status_code == 401


def test_bad_date_is_422(client, fleet, my_auth):
    response = client.get("/api/v1/warranty/SN-A1?on=tomorrow", headers=my_auth)
    assert response.status_code == 422
    assert "on" in response.get_json()["errors"]["query"]


def test_bulk_order_duplicates_and_summary(client, fleet, my_auth):
    serials = ["SN-A3", "", "SN-T1", " SN-A1 ", "NOPE", "SN-A3"]
    response = client.post("/api/v1/warranty/lookup", json={"serials": serials, "on": "2026-03-01"},
                           headers=my_auth)
    assert response.status_code == 200
    body = response.get_json()
    assert body["on"] == "2026-03-01"
    assert [(r["serial"], r["found"], r["status"]) for r in body["results"]] == [
        ("SN-A3", True, "parts"), ("SN-T1", False, "not_found"), ("SN-A1", True, "parts"),
        ("NOPE", False, "not_found"),
    ]
    assert body["summary"] == {"total": 4, "found": 2, "not_found": 2, "in_warranty": 0, "parts_only": 2,
                               "out_of_warranty": 0, "client_warranty": 0}
    not_found = body["results"][1]
    assert not_found["categories"] == [] and not_found["model_code"] is None and not_found["client_code"] is None


def test_bulk_internal_user_sees_all(client, fleet, staff_auth):
    body = client.post("/api/v1/warranty/lookup", json={"serials": ["SN-T1", "SN-A1"]}, headers=staff_auth).get_json()
    assert [r["client_code"] for r in body["results"]] == ["THEIRS", "MINE"]


def test_bulk_over_the_limit_is_422_and_nothing_is_looked_up(client, fleet, my_auth, monkeypatch):
    monkeypatch.setattr(services, "lookup", lambda *a, **k: pytest.fail("looked up despite the limit"))
    response = client.post("/api/v1/warranty/lookup", json={"serials": [f"S{i}" for i in range(10_001)]},
                           headers=my_auth)
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"]["serials"] == [
        "At most 10,000 serial numbers can be looked up at a time."]


@pytest.mark.parametrize("payload, field", [
    ({}, "serials"),
    ({"serials": "SN-A1"}, "serials"),
    ({"serials": [1, 2]}, "serials"),
    ({"serials": []}, "serials"),
    ({"serials": ["", "  "]}, "serials"),
    ({"serials": ["SN-A1"], "on": "01/02/2025"}, "on"),
])
def test_bulk_malformed_input_is_422(client, fleet, my_auth, payload, field, monkeypatch):
    monkeypatch.setattr(services, "lookup", lambda *a, **k: pytest.fail("looked up malformed input"))
    response = client.post("/api/v1/warranty/lookup", json=payload, headers=my_auth)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]["json"]


def test_bulk_of_2500_serials_uses_a_bounded_number_of_statements(client, make, fleet, many_serials,
                                                                   count_statements):
    user = make.user(role="client_user", client=fleet.mine)
    serials = many_serials(fleet.mine, 2500)
    headers = api_token(client, user)
    count_statements.statements.clear()
    response = client.post("/api/v1/warranty/lookup", json={"serials": serials}, headers=headers)
    assert response.status_code == 200 and response.get_json()["summary"]["found"] == 2500
    assert len(count_statements.on("serial")) == 3
    # token and user look-ups, plus the three chunks: nothing grows with the number of serials
    assert len(count_statements.statements) <= 8


def test_openapi_documents_both_endpoints(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    one = spec["paths"]["/api/v1/warranty/{serial}"]["get"]
    bulk = spec["paths"]["/api/v1/warranty/lookup"]["post"]
    assert {"200", "401", "403", "404", "422"} <= set(one["responses"])
    assert {"200", "401", "403", "422"} <= set(bulk["responses"])
    schemas = spec["components"]["schemas"]
    assert {"WarrantyResult", "CategoryWarranty", "LookupRequest", "LookupResponse", "Summary"} <= set(schemas)
    assert "in_warranty" in schemas["CategoryWarranty"]["properties"]
    assert schemas["WarrantyResult"]["properties"]["status"]["enum"] == [
        "in", "parts", "out", "not_found", "client_warranty"]
    assert one["summary"] and bulk["summary"]


def test_the_fast_dump_agrees_with_the_documented_schema(app, fleet):
    from datetime import date

    from portal.warranty.schemas import LookupResponseSchema, WarrantyResultSchema, dump_lookup, dump_result

    with app.test_request_context():
        results = services.lookup(["SN-A1", "NOPE", "SN-NOBATCH", "SN-T1"], on=date(2026, 3, 1))
        for result in results:
            assert dump_result(result) == WarrantyResultSchema().dump(result)
        on = date(2026, 3, 1)
        expected = LookupResponseSchema().dump({"on": on, "summary": services.summarise(results), "results": results})
        assert dump_lookup(results, on) == expected
