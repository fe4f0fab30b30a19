"""Part pages: internal users read, staff and administrators write; client users never."""
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from portal.catalogue.models import Part
from tests.clients.support import field_error

GOOD = dict(number="MB-5510", category="main_board", description="Main board, 55\" 4K, V2", cost_price="310.50")


def count_parts(db):
    return db.session.scalar(select(func.count(Part.id)))


@pytest.mark.parametrize("role", ("staff", "quality", "finance", "admin"))
def test_internal_roles_read_parts(client, make, role):
    part = make.part(number="MB-5510", cost_price=Decimal("1234.50"))
    client.login(make.user(role=role).email)
    listing = client.get("/catalogue/parts").get_data(as_text=True)
    assert "MB-5510" in listing and "CN¥1,234.50" in listing
    assert client.get(f"/catalogue/parts/{part.id}").status_code == 200


@pytest.mark.parametrize("role", ("client_admin", "client_user"))
def test_client_users_never_reach_the_parts(client, make, role):
    part = make.part()
    client.login(make.user(role=role).email)
    for path in ("/catalogue/parts", f"/catalogue/parts/{part.id}", "/catalogue/parts/new",
                 f"/catalogue/parts/{part.id}/edit"):
        assert client.get(path).status_code == 403, path
    assert "/catalogue/parts" not in client.get("/catalogue/models").get_data(as_text=True)


@pytest.mark.parametrize("role", ("quality", "finance"))
def test_readers_cannot_write(client, make, role):
    part = make.part()
    client.login(make.user(role=role).email)
    assert client.get("/catalogue/parts/new").status_code == 403
    assert client.post("/catalogue/parts/new", data=GOOD).status_code == 403
    assert client.post(f"/catalogue/parts/{part.id}/edit", data=GOOD).status_code == 403


def test_search_filter_and_pagination(client, make, small_pages):
    make.part(number="MB-1", category="main_board", description="Main board A")
    make.part(number="MB-2", category="main_board", description="Main board B")
    make.part(number="PB-1", category="power_board", description="Power supply")
    client.login(make.user(role="staff").email)

    def numbers(query):
        page = client.get("/catalogue/parts?" + query).get_data(as_text=True)
        return {n for n in ("MB-1", "MB-2", "PB-1") if f">{n}</a>" in page}

    assert numbers("q=supply") == {"PB-1"}
    assert numbers("category=main_board") == {"MB-1", "MB-2"}
    assert numbers("") == {"MB-1", "MB-2"} and numbers("page=2") == {"PB-1"}
    assert "No part matches your search." in client.get("/catalogue/parts?q=zzz").get_data(as_text=True)


def test_the_part_page_lists_the_batches_using_it(client, make):
    part = make.part(number="PNL-55", category="panel")
    make.batch(code="B-USES", materials=[part])
    make.batch(code="B-OTHER")
    client.login(make.user(role="quality").email)
    page = client.get(f"/catalogue/parts/{part.id}").get_data(as_text=True)
    assert "B-USES" in page and "B-OTHER" not in page


def test_a_staff_member_creates_and_edits_a_part(client, make, db):
    client.login(make.user(role="staff").email)
    response = client.post("/catalogue/parts/new", data=GOOD)
    assert response.status_code == 302
    part = db.session.scalar(select(Part).where(Part.number == "MB-5510"))
    assert (part.category, part.cost_price) == ("main_board", Decimal("310.50"))
    edited = client.post(f"/catalogue/parts/{part.id}/edit", data={**GOOD, "cost_price": "299"})
    assert edited.status_code == 302
    db.session.refresh(part)
    assert part.cost_price == Decimal("299.00")


@pytest.mark.parametrize("field, value, message", [
    ("number", "", "Enter the part number."),
    ("number", "P" * 41, "Use at most 40 characters."),
    ("category", "engine", "Choose a category from the list."),
    ("description", "", "Enter a description."),
    ("description", "D" * 201, "Use at most 200 characters."),
    ("cost_price", "", "Enter the cost price."),
    ("cost_price", "cheap", "Enter a number."),
    ("cost_price", "-1", "Enter a price of 0 or more."),
    ("cost_price", "1.005", "Give the price to the cent (two decimal places at most)."),
])
def test_bad_input_names_the_field_keeps_what_was_typed_and_writes_nothing(client, make, db, field, value, message):
    client.login(make.user(role="admin").email)
    before = count_parts(db)
    response = client.post("/catalogue/parts/new", data={**GOOD, field: value})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert field_error(page, message), page
    if field != "number":
        assert 'value="MB-5510"' in page
    assert count_parts(db) == before


def test_a_duplicate_part_number_is_refused_clearly(client, make, db):
    make.part(number="MB-5510")
    client.login(make.user(role="staff").email)
    before = count_parts(db)
    response = client.post("/catalogue/parts/new", data={**GOOD, "number": "mb-5510"})
    assert field_error(response.get_data(as_text=True), "A part with number mb-5510 already exists.")
    assert count_parts(db) == before


def test_a_part_in_a_material_list_keeps_its_category(client, make, db):
    part = make.part(category="main_board")
    make.batch(materials=[part])
    client.login(make.user(role="staff").email)
    response = client.post(f"/catalogue/parts/{part.id}/edit",
                           data={**GOOD, "number": part.number, "category": "power_board"})
    assert field_error(response.get_data(as_text=True),
                       "The category cannot change: 1 batch lists this part under “Main board”.")
    db.session.refresh(part)
    assert part.category == "main_board"


def test_an_unknown_part_is_404(client, make):
    client.login(make.user(role="staff").email)
    assert client.get("/catalogue/parts/999999").status_code == 404
    assert client.get("/catalogue/parts/999999/edit").status_code == 404
