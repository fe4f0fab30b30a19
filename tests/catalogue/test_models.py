"""Product model pages for internal users: list, detail, create, edit."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from portal.catalogue.models import ProductModel
from tests.clients.support import field_error

GOOD = dict(code="KTV-55A", name="55\" 4K TV", kind="tv", size_inches="55", launch_date="2023-03-01",
            end_of_production="2025-06-30", service_years="4")


def count_models(db):
    return db.session.scalar(select(func.count(ProductModel.id)))


@pytest.mark.parametrize("role", ("staff", "quality", "finance", "admin"))
def test_internal_roles_see_every_model(client, make, role):
    make.model(code="KTV-55A")
    make.model(code="KMN-27", kind="monitor")
    client.login(make.user(role=role).email)
    page = client.get("/catalogue/models").get_data(as_text=True)
    assert "KTV-55A" in page and "KMN-27" in page


@pytest.mark.parametrize("role", ("quality", "finance", "client_admin", "client_user"))
def test_only_staff_and_administrators_create_and_edit(client, make, role):
    model = make.model()
    client.login(make.user(role=role).email)
    assert "New model" not in client.get("/catalogue/models").get_data(as_text=True)
    assert client.get("/catalogue/models/new").status_code == 403
    assert client.post("/catalogue/models/new", data=GOOD).status_code == 403
    assert client.get(f"/catalogue/models/{model.id}/edit").status_code == 403
    assert client.post(f"/catalogue/models/{model.id}/edit", data=GOOD).status_code == 403


def test_the_list_shows_service_end_and_discontinued(client, make):
    make.model(code="OLD-1", launch_date=date(2018, 1, 1), end_of_production=date(2020, 1, 31), service_years=3)
    make.model(code="NEW-1", launch_date=date(2024, 1, 1))
    client.login(make.user(role="staff").email)
    page = client.get("/catalogue/models").get_data(as_text=True)
    assert "Jan 31, 2023" in page  # 2020-01-31 + 3 years
    assert "Discontinued" in page and "In production" in page


def test_search_and_filters(client, make):
    make.model(code="KTV-55A", name="Living room", kind="tv")
    make.model(code="KMN-27", name="Office", kind="monitor")
    make.model(code="KTV-32", kind="tv", launch_date=date(2015, 1, 1), end_of_production=date(2016, 1, 1))
    client.login(make.user(role="quality").email)

    def codes(query):
        page = client.get("/catalogue/models?" + query).get_data(as_text=True)
        return {c for c in ("KTV-55A", "KMN-27", "KTV-32") if f">{c}</a>" in page}

    assert codes("q=ktv") == {"KTV-55A", "KTV-32"}
    assert codes("q=office") == {"KMN-27"}
    assert codes("kind=monitor") == {"KMN-27"}
    assert codes("status=discontinued") == {"KTV-32"}
    assert codes("status=current&kind=tv") == {"KTV-55A"}
    assert "No model matches your search." in client.get("/catalogue/models?q=nothing").get_data(as_text=True)


def test_empty_catalogue_says_so(client, make):
    client.login(make.user(role="staff").email)
    assert "There are no models yet." in client.get("/catalogue/models").get_data(as_text=True)


def test_the_list_is_paginated_without_n_plus_1(client, make, small_pages, count_queries):
    client.login(make.user(role="staff").email)
    make.batch(model=make.model(code="M-01"))
    with count_queries() as few:
        client.get("/catalogue/models")
    for n in range(2, 7):
        make.batch(model=make.model(code=f"M-0{n}"))
    with count_queries() as many:
        page = client.get("/catalogue/models").get_data(as_text=True)
    assert many[0] == few[0]
    assert ">M-01</a>" in page and ">M-03</a>" not in page and "6 in all" in page
    assert ">M-05</a>" in client.get("/catalogue/models?page=3").get_data(as_text=True)


def test_the_detail_page_shows_the_model_and_its_batches_with_materials(client, make):
    model = make.model(code="KTV-55A", end_of_production=date(2025, 6, 30), service_years=4)
    board = make.part(category="main_board", number="MB-5510")
    make.batch(model=model, code="B-2401", materials=[board], quantity=1200)
    client.login(make.user(role="finance").email)
    page = client.get(f"/catalogue/models/{model.id}").get_data(as_text=True)
    assert "Jun 30, 2029" in page  # service end
    assert "B-2401" in page and "MB-5510" in page and "1,200" in page


def test_a_staff_member_creates_a_model(client, make, db):
    client.login(make.user(role="staff").email)
    response = client.post("/catalogue/models/new", data=GOOD)
    assert response.status_code == 302
    model = db.session.scalar(select(ProductModel).where(ProductModel.code == "KTV-55A"))
    assert (model.kind, model.size_inches, model.service_years) == ("tv", Decimal("55.0"), 4)
    assert model.service_end == date(2029, 6, 30)
    assert "Model KTV-55A created." in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_model_still_in_production_has_no_service_end_yet(client, make, db):
    client.login(make.user(role="admin").email)
    client.post("/catalogue/models/new", data={**GOOD, "end_of_production": ""})
    model = db.session.scalar(select(ProductModel).where(ProductModel.code == "KTV-55A"))
    assert model.end_of_production is None and model.service_end is None and not model.discontinued


@pytest.mark.parametrize("field, value, message", [
    ("code", "", "Enter the model code."),
    ("code", "K" * 41, "Use at most 40 characters."),
    ("name", "N" * 201, "Use at most 200 characters."),
    ("kind", "radio", "Choose TV or monitor."),
    ("size_inches", "", "Enter the screen size in inches."),
    ("size_inches", "big", "Enter a number."),
    ("size_inches", "NaN", "Enter a number."),
    ("size_inches", "2", "Enter a size between 5 and 150 inches."),
    ("size_inches", "55.55", "Give the size to one decimal place at most."),
    ("launch_date", "", "Enter the launch date."),
    ("launch_date", "01/03/2023", "Enter a date as YYYY-MM-DD."),
    ("end_of_production", "2023-13-01", "Enter a date as YYYY-MM-DD."),
    ("end_of_production", "2022-01-01", "The end of production cannot be before the launch date."),
    ("service_years", "6", "Choose 3, 4 or 5 years."),
    ("service_years", "x", "Choose 3, 4 or 5 years."),
])
def test_bad_input_names_the_field_keeps_what_was_typed_and_writes_nothing(client, make, db, field, value, message):
    client.login(make.user(role="staff").email)
    before = count_models(db)
    response = client.post("/catalogue/models/new", data={**GOOD, field: value})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert field_error(page, message), page
    if field != "code":
        assert 'value="KTV-55A"' in page
    assert count_models(db) == before


def test_a_duplicate_code_is_refused_clearly(client, make, db):
    make.model(code="KTV-55A")
    client.login(make.user(role="staff").email)
    before = count_models(db)
    response = client.post("/catalogue/models/new", data={**GOOD, "code": "ktv-55a"})
    assert field_error(response.get_data(as_text=True), "A model with code ktv-55a already exists.")
    assert count_models(db) == before


def test_a_staff_member_edits_a_model(client, make, db):
    model = make.model(code="KTV-55A")
    client.login(make.user(role="staff").email)
    assert 'value="KTV-55A"' in client.get(f"/catalogue/models/{model.id}/edit").get_data(as_text=True)
    eop = (date.today() - timedelta(days=1)).isoformat()
    response = client.post(f"/catalogue/models/{model.id}/edit", data={**GOOD, "end_of_production": eop,
                                                                       "service_years": "3"})
    assert response.status_code == 302
    db.session.refresh(model)
    assert model.discontinued and model.service_years == 3
    page = client.get(f"/catalogue/models/{model.id}").get_data(as_text=True)
    assert "Discontinued" in page


def test_editing_to_another_models_code_is_refused(client, make, db):
    make.model(code="KTV-55A")
    model = make.model(code="KTV-43B")
    client.login(make.user(role="admin").email)
    response = client.post(f"/catalogue/models/{model.id}/edit", data=GOOD)
    assert field_error(response.get_data(as_text=True), "A model with code KTV-55A already exists.")
    db.session.refresh(model)
    assert model.code == "KTV-43B"


def test_an_unknown_model_is_404(client, make):
    client.login(make.user(role="staff").email)
    assert client.get("/catalogue/models/999999").status_code == 404
    assert client.get("/catalogue/models/999999/edit").status_code == 404
