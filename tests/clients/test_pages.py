"""Client pages: who may see and change them, search and filters, and bad input."""
import pytest
from sqlalchemy import func, select

from portal.clients.models import Client
from tests.clients.support import field_error

INTERNAL = ("staff", "quality", "finance", "admin")
CLIENT_ROLES = ("client_admin", "client_user")

GOOD = dict(code="huaxia", name="华夏视界电子有限公司", market="domestic", locale="zh_Hans", currency="CNY",
            contact_name="王磊", contact_email="Service@Huaxia.example.cn", contact_phone="+86 755 8888 1234",
            address="深圳市南山区科技园 88 号", active="y")


def count_clients(db):
    return db.session.scalar(select(func.count(Client.id)))


@pytest.mark.parametrize("role", INTERNAL)
def test_internal_roles_read_the_list_and_a_client(client, make, role):
    other = make.client(code="PEARL", name="明珠視聽")
    client.login(make.user(role=role).email)
    page = client.get("/clients").get_data(as_text=True)
    assert "PEARL" in page and "明珠視聽" in page
    assert client.get(f"/clients/{other.id}").status_code == 200


@pytest.mark.parametrize("role", ("staff", "quality", "finance"))
def test_only_administrators_create_and_edit(client, make, role):
    other = make.client()
    client.login(make.user(role=role).email)
    assert "New client" not in client.get("/clients").get_data(as_text=True)
    assert client.get("/clients/new").status_code == 403
    assert client.post("/clients/new", data=GOOD).status_code == 403
    assert client.get(f"/clients/{other.id}/edit").status_code == 403
    assert client.post(f"/clients/{other.id}/edit", data=GOOD).status_code == 403


@pytest.mark.parametrize("role", CLIENT_ROLES)
def test_client_users_never_reach_the_client_pages(client, make, role):
    user = make.user(role=role)
    client.login(user.email)
    for path in ("/clients", "/clients/new", f"/clients/{user.client_id}", f"/clients/{user.client_id}/edit"):
        assert client.get(path).status_code == 403, path
    assert client.post("/clients/new", data=GOOD).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, make):
    response = client.get("/clients")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_search_by_code_or_name_and_filter_by_market_and_status(client, make):
    make.client(code="HUAXIA", name="华夏视界", market="domestic")
    make.client(code="PEARL", name="Pearl AV", market="overseas")
    make.client(code="LUMIERE", name="Lumière SA", market="overseas", active=False)
    client.login(make.user(role="staff").email)

    def codes(query):
        page = client.get("/clients?" + query).get_data(as_text=True)
        return {c for c in ("HUAXIA", "PEARL", "LUMIERE") if f">{c}</a>" in page}

    assert codes("q=pearl") == {"PEARL"}
    assert codes("q=华夏") == {"HUAXIA"}
    assert codes("market=overseas") == {"PEARL", "LUMIERE"}
    assert codes("market=overseas&active=yes") == {"PEARL"}
    assert codes("active=no") == {"LUMIERE"}
    assert codes("q=%25") == set()  # a wildcard typed in the box is taken literally
    assert "No client matches your search." in client.get("/clients?q=nothing-like-this").get_data(as_text=True)


def test_empty_list_says_so(client, make):
    client.login(make.user(role="admin").email)
    assert "There are no clients yet." in client.get("/clients").get_data(as_text=True)


def test_the_list_is_paginated(client, make, small_pages):
    for code in ("A1", "A2", "A3", "A4", "A5"):
        make.client(code=code)
    client.login(make.user(role="staff").email)
    first = client.get("/clients").get_data(as_text=True)
    third = client.get("/clients?page=3").get_data(as_text=True)
    assert ">A1</a>" in first and ">A3</a>" not in first
    assert ">A5</a>" in third and ">A1</a>" not in third
    assert "5 in all" in first


def test_the_list_runs_a_fixed_number_of_queries(client, make, count_queries):
    user = make.user(role="admin")
    client.login(user.email)
    make.client()
    with count_queries() as few:
        client.get("/clients")
    for _ in range(8):
        make.client()
    with count_queries() as many:
        client.get("/clients")
    assert many[0] == few[0]


def test_an_administrator_creates_a_client(client, make, db):
    client.login(make.user(role="admin").email)
    response = client.post("/clients/new", data=GOOD)
    assert response.status_code == 302
    created = db.session.scalar(select(Client).where(Client.code == "HUAXIA"))
    assert created.name == "华夏视界电子有限公司" and created.currency == "CNY" and created.active
    assert created.contact_email == "service@huaxia.example.cn"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Client HUAXIA created." in page and "深圳市南山区科技园 88 号" in page


@pytest.mark.parametrize("field, value, message", [
    ("code", "", "Enter the client's code."),
    ("code", "HUA XIA", "Use only letters, digits, '-' and '_' in the code."),
    ("code", "X" * 21, "Use at most 20 characters."),
    ("name", "  ", "Enter the company name."),
    ("name", "N" * 201, "Use at most 200 characters."),
    ("market", "mars", "Choose domestic or overseas."),
    ("locale", "de", "Choose one of the portal's languages."),
    ("currency", "XYZ", "Choose one of the listed currencies."),
    ("currency", "", "Choose one of the listed currencies."),
    ("contact_email", "not-an-address", "Enter a valid e-mail address."),
    ("contact_phone", "call me maybe", "Use only digits, spaces and + ( ) - . / x in a phone number."),
    ("address", "A" * 401, "Use at most 400 characters."),
])
def test_bad_input_names_the_field_keeps_what_was_typed_and_writes_nothing(client, make, db, field, value, message):
    client.login(make.user(role="admin").email)
    before = count_clients(db)
    response = client.post("/clients/new", data={**GOOD, field: value})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert field_error(page, message), page
    assert "Please correct the marked fields." in page
    assert "华夏视界电子有限公司" in page or field == "name"
    assert count_clients(db) == before


def test_a_duplicate_code_is_refused_clearly(client, make, db):
    make.client(code="HUAXIA")
    client.login(make.user(role="admin").email)
    before = count_clients(db)
    response = client.post("/clients/new", data={**GOOD, "code": "huaxia"})
    assert response.status_code == 200
    assert field_error(response.get_data(as_text=True), "A client with code HUAXIA already exists.")
    assert count_clients(db) == before


def test_an_administrator_edits_a_client(client, make, db):
    target = make.client(code="PEARL", currency="USD")
    client.login(make.user(role="admin").email)
    form = client.get(f"/clients/{target.id}/edit").get_data(as_text=True)
    assert 'value="PEARL"' in form
    response = client.post(f"/clients/{target.id}/edit", data={**GOOD, "code": "PEARL", "currency": "HKD",
                                                               "market": "overseas", "active": ""})
    assert response.status_code == 302
    db.session.refresh(target)
    assert (target.currency, target.market, target.active) == ("HKD", "overseas", False)


def test_editing_to_another_clients_code_is_refused(client, make, db):
    make.client(code="HUAXIA")
    target = make.client(code="PEARL")
    client.login(make.user(role="admin").email)
    response = client.post(f"/clients/{target.id}/edit", data={**GOOD, "code": "HUAXIA"})
    assert field_error(response.get_data(as_text=True), "A client with code HUAXIA already exists.")
    db.session.refresh(target)
    assert target.code == "PEARL"


def test_keeping_its_own_code_is_not_a_conflict(client, make, db):
    target = make.client(code="PEARL")
    client.login(make.user(role="admin").email)
    response = client.post(f"/clients/{target.id}/edit", data={**GOOD, "code": "pearl", "name": "Pearl AV"})
    assert response.status_code == 302
    db.session.refresh(target)
    assert target.name == "Pearl AV"


def test_an_unknown_client_is_404(client, make):
    client.login(make.user(role="admin").email)
    assert client.get("/clients/999999").status_code == 404
    assert client.get("/clients/999999/edit").status_code == 404


def test_the_detail_page_links_to_the_clients_users_for_administrators(client, make):
    target = make.client()
    make.user(role="client_user", client=target)
    client.login(make.user(role="admin").email)
    page = client.get(f"/clients/{target.id}").get_data(as_text=True)
    assert f"/users?client={target.id}" in page and "Users (1)" in page


def test_the_forms_carry_and_require_a_csrf_token(app, client, make, db):
    client.login(make.user(role="admin").email)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post("/clients/new", data=GOOD).status_code == 400
        token = client.csrf_token("/clients/new")
        assert client.post("/clients/new", data={**GOOD, "csrf_token": token}).status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
