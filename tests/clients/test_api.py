"""/api/v1/clients: roles, tenancy, pagination and bad input."""
import json

import pytest
from sqlalchemy import func, select

from portal.clients.models import Client

GOOD = dict(code="pearl", name="明珠視聽國際有限公司", market="overseas", locale="zh_Hant_HK", currency="USD",
            contact_email="aftersales@pearl-av.example.hk")


def count_clients(db):
    return db.session.scalar(select(func.count(Client.id)))


@pytest.mark.parametrize("role", ("staff", "quality", "finance", "admin"))
def test_internal_roles_list_every_client(api, make, role):
    make.client(code="HUAXIA")
    make.client(code="PEARL")
    response = api.get("/api/v1/clients", make.user(role=role))
    assert response.status_code == 200
    assert [c["code"] for c in response.get_json()] == ["HUAXIA", "PEARL"]


@pytest.mark.parametrize("role", ("client_admin", "client_user"))
def test_a_client_user_reads_its_own_client_only(api, make, role):
    mine, theirs = make.client(code="MINE"), make.client(code="THEIRS")
    user = make.user(role=role, client=mine)
    listed = api.get("/api/v1/clients", user)
    assert [c["code"] for c in listed.get_json()] == ["MINE"]
    assert json.loads(listed.headers["X-Pagination"])["total"] == 1
    assert api.get(f"/api/v1/clients/{mine.id}", user).get_json()["code"] == "MINE"
    hidden = api.get(f"/api/v1/clients/{theirs.id}", user)
    assert hidden.status_code == 404 and hidden.get_json()["code"] == 404


def test_without_a_token_the_api_answers_401(api, make):
    assert api.get("/api/v1/clients", None).status_code == 401
    assert api.post("/api/v1/clients", None, json=GOOD).status_code == 401


def test_the_session_cookie_does_not_authenticate_the_api(client, make):
    client.login(make.user(role="admin").email)
    assert client.get("/api/v1/clients").status_code == 401


def test_search_filters_and_pagination(api, make):
    make.client(code="HUAXIA", name="华夏视界", market="domestic")
    make.client(code="PEARL", name="Pearl AV", market="overseas")
    make.client(code="LUMIERE", name="Lumière", market="overseas", active=False)
    staff = make.user(role="staff")
    codes = lambda query: [c["code"] for c in api.get("/api/v1/clients?" + query, staff).get_json()]  # noqa: E731
    assert codes("q=华夏") == ["HUAXIA"]
    assert codes("market=overseas") == ["LUMIERE", "PEARL"]
    assert codes("active=false") == ["LUMIERE"]
    page = api.get("/api/v1/clients?page=2&page_size=2", staff)
    assert [c["code"] for c in page.get_json()] == ["PEARL"]
    assert json.loads(page.headers["X-Pagination"])["total"] == 3
    bad = api.get("/api/v1/clients?market=mars", staff)
    assert bad.status_code == 422 and "market" in bad.get_json()["errors"]["query"]


def test_an_administrator_creates_a_client(api, make, db):
    response = api.post("/api/v1/clients", make.user(role="admin"), json=GOOD)
    assert response.status_code == 201
    body = response.get_json()
    assert body["code"] == "PEARL" and body["active"] is True and body["contact_phone"] == ""
    assert db.session.get(Client, body["id"]).currency == "USD"


@pytest.mark.parametrize("role", ("staff", "quality", "finance", "client_admin", "client_user"))
def test_only_administrators_write(api, make, db, role):
    target = make.client()
    user = make.user(role=role, client=target if role.startswith("client") else None)
    assert api.post("/api/v1/clients", user, json=GOOD).status_code == 403
    assert api.patch(f"/api/v1/clients/{target.id}", user, json={"name": "Renamed"}).status_code == 403
    db.session.refresh(target)
    assert target.name != "Renamed"


@pytest.mark.parametrize("field, value, message", [
    ("code", None, "This field is required."),
    ("code", "  ", "This field may not be empty."),
    ("code", "PE ARL", "Use only letters, digits, '-' and '_'."),
    ("code", "X" * 21, "Use at most 20 characters."),
    ("name", None, "This field is required."),
    ("name", 42, "Enter text."),
    ("market", "mars", "Must be one of: domestic, overseas."),
    ("locale", "de", "Must be one of: zh_Hans, zh_Hant_HK, en, fr, es."),
    ("currency", "XYZ", "Must be one of: CNY, USD, EUR, HKD, JPY, GBP."),
    ("contact_email", "nope", "Enter a valid e-mail address."),
    ("address", "A" * 401, "Use at most 400 characters."),
    ("active", "perhaps", "Enter true or false."),
    ("surprise", 1, "Unknown field."),
])
def test_bad_input_gives_an_error_per_field_and_writes_nothing(api, make, db, field, value, message):
    admin = make.user(role="admin")
    before = count_clients(db)
    payload = {**GOOD, field: value}
    if value is None:
        payload.pop(field)
    response = api.post("/api/v1/clients", admin, json=payload)
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"][field] == [message]
    assert count_clients(db) == before


def test_a_body_that_is_not_an_object_is_refused(api, make):
    response = api.post("/api/v1/clients", make.user(role="admin"), json=["PEARL"])
    assert response.status_code == 422


def test_a_duplicate_code_is_a_clear_422(api, make, db):
    make.client(code="PEARL")
    admin = make.user(role="admin")
    before = count_clients(db)
    response = api.post("/api/v1/clients", admin, json=GOOD)
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"]["code"] == ["A client with code PEARL already exists."]
    assert count_clients(db) == before


def test_a_duplicate_that_slips_past_the_check_still_gives_a_clear_error(api, make, db, monkeypatch):
    """Two requests racing for a code: the unique constraint answers, not a 500."""
    make.client(code="PEARL")
    monkeypatch.setattr("portal.clients.services._check_code", lambda code, exclude_id: None)
    response = api.post("/api/v1/clients", make.user(role="admin"), json=GOOD)
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"]["code"] == ["A client with code PEARL already exists."]


def test_patch_changes_only_the_fields_given(api, make, db):
    target = make.client(code="PEARL", name="Pearl", currency="USD")
    response = api.patch(f"/api/v1/clients/{target.id}", make.user(role="admin"),
                         json={"currency": "HKD", "active": False})
    assert response.status_code == 200
    db.session.refresh(target)
    assert (target.name, target.currency, target.active) == ("Pearl", "HKD", False)


def test_patch_with_bad_input_changes_nothing(api, make, db):
    make.client(code="HUAXIA")
    target = make.client(code="PEARL", currency="USD")
    admin = make.user(role="admin")
    bad = api.patch(f"/api/v1/clients/{target.id}", admin, json={"currency": "XYZ", "name": ""})
    assert bad.status_code == 422
    assert set(bad.get_json()["errors"]["json"]) == {"currency", "name"}
    taken = api.patch(f"/api/v1/clients/{target.id}", admin, json={"code": "huaxia"})
    assert taken.get_json()["errors"]["json"]["code"] == ["A client with code HUAXIA already exists."]
    db.session.refresh(target)
    assert (target.code, target.currency) == ("PEARL", "USD")


def test_an_unknown_client_is_404(api, make):
    admin = make.user(role="admin")
    assert api.get("/api/v1/clients/999999", admin).status_code == 404
    assert api.patch("/api/v1/clients/999999", admin, json={"name": "x"}).status_code == 404


def test_the_openapi_document_describes_the_endpoints(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert {"/api/v1/clients", "/api/v1/clients/{client_id}"} <= set(spec["paths"])
