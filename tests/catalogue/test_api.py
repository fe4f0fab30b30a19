"""/api/v1/models, /api/v1/batches, /api/v1/parts for internal users: roles, filters, bad input."""
import json
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from portal.catalogue.models import Batch, BatchMaterial, Part, ProductModel

MODEL = dict(code="KTV-55A", name="55 4K", kind="tv", size_inches="55", launch_date="2023-03-01",
             end_of_production="2025-06-30", service_years=4)
PART = dict(number="MB-5510", category="main_board", description="Main board 55 4K", cost_price="310.00")


def count(db, model):
    return db.session.scalar(select(func.count(model.id)))


def bad_payload(good, field, value):
    payload = {**good, field: value}
    if value is None:
        payload.pop(field)
    return payload


# --- models ---------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ("staff", "quality", "finance", "admin"))
def test_internal_roles_list_and_read_models(api, make, role):
    model = make.model(code="KTV-55A", end_of_production=date(2025, 6, 30), service_years=4)
    make.model(code="KMN-27", kind="monitor")
    user = make.user(role=role)
    listed = api.get("/api/v1/models", user)
    assert [m["code"] for m in listed.get_json()] == ["KMN-27", "KTV-55A"]
    one = api.get(f"/api/v1/models/{model.id}", user).get_json()
    assert one["service_end"] == "2029-06-30" and one["size_inches"] == "55.0" and one["discontinued"] is True


def test_model_filters_and_pagination(api, make):
    make.model(code="KTV-55A", name="Living room")
    make.model(code="KMN-27", kind="monitor")
    make.model(code="KTV-32", launch_date=date(2015, 1, 1), end_of_production=date(2016, 1, 1))
    staff = make.user(role="staff")
    codes = lambda q: [m["code"] for m in api.get("/api/v1/models?" + q, staff).get_json()]  # noqa: E731
    assert codes("q=living") == ["KTV-55A"]
    assert codes("kind=monitor") == ["KMN-27"]
    assert codes("status=discontinued") == ["KTV-32"]
    page = api.get("/api/v1/models?page_size=2&page=2", staff)
    assert codes("page_size=2&page=2") == ["KTV-55A"]
    assert json.loads(page.headers["X-Pagination"])["total"] == 3
    assert api.get("/api/v1/models?kind=radio", staff).status_code == 422


@pytest.mark.parametrize("role", ("staff", "admin"))
def test_staff_and_administrators_create_and_change_models(api, make, db, role):
    user = make.user(role=role)
    created = api.post("/api/v1/models", user, json=MODEL)
    assert created.status_code == 201
    body = created.get_json()
    assert body["service_end"] == "2029-06-30"
    changed = api.patch(f"/api/v1/models/{body['id']}", user, json={"service_years": 3, "name": "Renamed"})
    assert changed.status_code == 200 and changed.get_json()["service_end"] == "2028-06-30"
    assert db.session.get(ProductModel, body["id"]).name == "Renamed"


@pytest.mark.parametrize("role", ("quality", "finance"))
def test_readers_cannot_write_models(api, make, db, role):
    model = make.model()
    user = make.user(role=role)
    assert api.post("/api/v1/models", user, json=MODEL).status_code == 403
    assert api.patch(f"/api/v1/models/{model.id}", user, json={"name": "x"}).status_code == 403


@pytest.mark.parametrize("field, value, message", [
    ("code", None, "This field is required."),
    ("code", "", "This field may not be empty."),
    ("code", "K" * 41, "Use at most 40 characters."),
    ("kind", "radio", "Must be one of: tv, monitor."),
    ("size_inches", "big", "Enter a number."),
    ("size_inches", "NaN", "Enter a number."),
    ("size_inches", "200", "Enter a size between 5 and 150 inches."),
    ("size_inches", "55.55", "Give the size to one decimal place at most."),
    ("launch_date", "01/03/2023", "Enter a date as YYYY-MM-DD."),
    ("launch_date", None, "This field is required."),
    ("end_of_production", "2022-01-01", "The end of production cannot be before the launch date."),
    ("service_years", 6, "Enter 3, 4 or 5 years."),
    ("service_years", "four", "Enter a whole number."),
    ("colour", "red", "Unknown field."),
])
def test_bad_model_input_gives_an_error_per_field_and_writes_nothing(api, make, db, field, value, message):
    staff = make.user(role="staff")
    before = count(db, ProductModel)
    response = api.post("/api/v1/models", staff, json=bad_payload(MODEL, field, value))
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"][field] == [message]
    assert count(db, ProductModel) == before


def test_model_code_conflicts_and_partial_date_checks(api, make, db):
    make.model(code="KTV-55A")
    other = make.model(code="KTV-43B", launch_date=date(2024, 1, 1))
    staff = make.user(role="staff")
    dup = api.post("/api/v1/models", staff, json={**MODEL, "code": "ktv-55a"})
    assert dup.status_code == 422
    assert dup.get_json()["errors"]["json"]["code"] == ["A model with code ktv-55a already exists."]
    early = api.patch(f"/api/v1/models/{other.id}", staff, json={"end_of_production": "2023-12-31"})
    assert early.get_json()["errors"]["json"]["end_of_production"] == [
        "The end of production cannot be before the launch date."]
    db.session.refresh(other)
    assert other.end_of_production is None
    assert api.get("/api/v1/models/999999", staff).status_code == 404
    assert api.patch("/api/v1/models/999999", staff, json={"name": "x"}).status_code == 404


# --- batches --------------------------------------------------------------------------------

@pytest.fixture
def parts(make):
    return dict(board=make.part(category="main_board", number="MB-1"),
                panel=make.part(category="panel", number="PNL-1"),
                other_board=make.part(category="main_board", number="MB-2"))


def batch_json(model, **overrides):
    data = dict(code="B-2401", model_id=model.id, produced_on="2024-01-15", quantity=1200,
                materials=[{"category": "main_board", "part_number": "MB-1"},
                           {"category": "panel", "part_number": "pnl-1"}])
    return {**data, **overrides}


def test_staff_create_a_batch_with_its_materials_and_replace_them(api, make, db, parts):
    model = make.model()
    staff = make.user(role="staff")
    created = api.post("/api/v1/batches", staff, json=batch_json(model))
    assert created.status_code == 201
    body = created.get_json()
    assert body["quantity"] == 1200 and body["model_code"] == model.code
    materials = [(m["category"], m["part_number"]) for m in body["materials"]]
    assert materials == [("main_board", "MB-1"), ("panel", "PNL-1")]
    changed = api.patch(f"/api/v1/batches/{body['id']}", staff,
                        json={"materials": [{"category": "main_board", "part_number": "MB-2"}]})
    assert changed.status_code == 200
    rows = db.session.execute(select(BatchMaterial.category, BatchMaterial.part_id)
                              .where(BatchMaterial.batch_id == body["id"])).all()
    assert rows == [("main_board", parts["other_board"].id)]
    kept = api.patch(f"/api/v1/batches/{body['id']}", staff, json={"quantity": 1300})
    assert kept.get_json()["quantity"] == 1300 and len(kept.get_json()["materials"]) == 1


@pytest.mark.parametrize("role", ("staff", "quality", "finance", "admin"))
def test_internal_roles_list_batches_with_filters(api, make, role, parts):
    one, two = make.model(), make.model()
    make.batch(model=one, code="B-1", materials=[parts["board"]], produced_on=date(2024, 1, 1))
    make.batch(model=two, code="B-2", produced_on=date(2024, 2, 1))
    user = make.user(role=role)
    codes = lambda q: [b["code"] for b in api.get("/api/v1/batches?" + q, user).get_json()]  # noqa: E731
    assert codes("") == ["B-2", "B-1"]
    assert codes(f"model_id={one.id}") == ["B-1"]
    assert codes(f"part_id={parts['board'].id}") == ["B-1"]
    assert codes("q=b-2") == ["B-2"]
    assert api.get("/api/v1/batches", user).get_json()[1]["quantity"] == 0


def test_the_batch_list_runs_a_fixed_number_of_queries(api, make, count_queries):
    staff = make.user(role="staff")
    api.get("/api/v1/batches", staff)  # the token is issued outside the counted requests
    board, panel = make.part(category="main_board"), make.part(category="panel")
    make.batch(materials=[board])
    with count_queries() as few:
        api.get("/api/v1/batches", staff)
    for _ in range(5):
        make.batch(materials=[board, panel])
    with count_queries() as many:
        api.get("/api/v1/batches", staff)
    assert many[0] == few[0]


@pytest.mark.parametrize("field, value, error", [
    ("code", None, ["This field is required."]),
    ("model_id", "abc", ["Enter a whole number."]),
    ("model_id", 999999, ["Choose a model from the list."]),
    ("produced_on", "15.01.2024", ["Enter a date as YYYY-MM-DD."]),
    ("quantity", 0, ["Enter a quantity between 1 and 10,000,000."]),
    ("quantity", 12.5, ["Enter a whole number."]),
    ("materials", "MB-1", ["Enter a list."]),
    ("materials", [{"category": "unit", "part_number": "MB-1"}],
     {"0": {"category": ["Must be one of: main_board, power_board, panel, remote, accessory."]}}),
    ("materials", [{"category": "main_board"}], {"0": {"part_number": ["This field is required."]}}),
    ("materials", [{"category": "main_board", "part_number": "NOPE"}],
     {"0": {"part_number": ["No part has the number NOPE."]}}),
    ("materials", [{"category": "panel", "part_number": "PNL-1"}, {"category": "main_board", "part_number": "PNL-1"}],
     {"1": {"part_number": ["Part PNL-1 is in the category “Panel”, not “Main board”."]}}),
    ("materials", [{"category": "panel", "part_number": "PNL-1"}, {"category": "panel", "part_number": "PNL-1"}],
     {"1": {"category": ["This category is listed twice."]}}),
])
def test_bad_batch_input_gives_an_error_per_field_and_writes_nothing(api, make, db, parts, field, value, error):
    model = make.model()
    staff = make.user(role="staff")
    before = count(db, Batch), count(db, BatchMaterial)
    payload = bad_payload(batch_json(model), field, value)
    response = api.post("/api/v1/batches", staff, json=payload)
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"][field] == error
    assert (count(db, Batch), count(db, BatchMaterial)) == before


def test_batch_code_conflicts_and_a_bad_patch_change_nothing(api, make, db, parts):
    model = make.model()
    make.batch(model=model, code="B-TAKEN")
    batch = make.batch(model=model, code="B-MINE", materials=[parts["board"]], quantity=5)
    staff = make.user(role="staff")
    dup = api.post("/api/v1/batches", staff, json=batch_json(model, code="b-taken"))
    assert dup.get_json()["errors"]["json"]["code"] == ["A batch with code b-taken already exists."]
    bad = api.patch(f"/api/v1/batches/{batch.id}", staff,
                    json={"quantity": 7, "materials": [{"category": "main_board", "part_number": "PNL-1"}]})
    assert bad.status_code == 422
    db.session.expire_all()
    batch = db.session.get(Batch, batch.id)
    assert batch.quantity == 5 and [m.part_id for m in batch.materials] == [parts["board"].id]
    assert api.get("/api/v1/batches/999999", staff).status_code == 404
    assert api.patch("/api/v1/batches/999999", staff, json={"quantity": 1}).status_code == 404


@pytest.mark.parametrize("role", ("quality", "finance"))
def test_readers_cannot_write_batches(api, make, role, parts):
    model = make.model()
    batch = make.batch(model=model)
    user = make.user(role=role)
    assert api.get(f"/api/v1/batches/{batch.id}", user).status_code == 200
    assert api.post("/api/v1/batches", user, json=batch_json(model)).status_code == 403
    assert api.patch(f"/api/v1/batches/{batch.id}", user, json={"quantity": 1}).status_code == 403


# --- parts ----------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ("staff", "quality", "finance", "admin"))
def test_internal_roles_list_parts_with_filters(api, make, role):
    make.part(number="MB-1", category="main_board", description="Main board A", cost_price=Decimal("310.5"))
    make.part(number="PB-1", category="power_board", description="Power supply")
    user = make.user(role=role)
    numbers = lambda q: [p["number"] for p in api.get("/api/v1/parts?" + q, user).get_json()]  # noqa: E731
    assert numbers("") == ["MB-1", "PB-1"]
    assert numbers("category=power_board") == ["PB-1"]
    assert numbers("q=main") == ["MB-1"]
    assert api.get("/api/v1/parts", user).get_json()[0]["cost_price"] == "310.50"
    assert api.get("/api/v1/parts?category=engine", user).status_code == 422


def test_staff_create_and_change_parts(api, make, db):
    staff = make.user(role="staff")
    created = api.post("/api/v1/parts", staff, json=PART)
    assert created.status_code == 201 and created.get_json()["cost_price"] == "310.00"
    part_id = created.get_json()["id"]
    changed = api.patch(f"/api/v1/parts/{part_id}", staff, json={"cost_price": 299.5})
    assert changed.status_code == 200
    assert db.session.get(Part, part_id).cost_price == Decimal("299.50")
    assert api.get(f"/api/v1/parts/{part_id}", staff).get_json()["number"] == "MB-5510"


@pytest.mark.parametrize("role", ("quality", "finance"))
def test_readers_cannot_write_parts(api, make, role):
    part = make.part()
    user = make.user(role=role)
    assert api.post("/api/v1/parts", user, json=PART).status_code == 403
    assert api.patch(f"/api/v1/parts/{part.id}", user, json={"description": "x"}).status_code == 403


@pytest.mark.parametrize("field, value, message", [
    ("number", None, "This field is required."),
    ("number", " ", "This field may not be empty."),
    ("number", "P" * 41, "Use at most 40 characters."),
    ("category", "engine", "Must be one of: unit, main_board, power_board, panel, remote, accessory."),
    ("description", None, "This field is required."),
    ("description", "D" * 201, "Use at most 200 characters."),
    ("cost_price", "cheap", "Enter a number."),
    ("cost_price", "-0.01", "Enter a price of 0 or more."),
    ("cost_price", "1.005", "Give the price to the cent (two decimal places at most)."),
    ("cost_price", None, "This field is required."),
])
def test_bad_part_input_gives_an_error_per_field_and_writes_nothing(api, make, db, field, value, message):
    staff = make.user(role="staff")
    before = count(db, Part)
    response = api.post("/api/v1/parts", staff, json=bad_payload(PART, field, value))
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"][field] == [message]
    assert count(db, Part) == before


def test_part_number_conflicts_and_unknown_parts(api, make, db):
    make.part(number="MB-5510")
    part = make.part(number="MB-9")
    staff = make.user(role="staff")
    dup = api.post("/api/v1/parts", staff, json=PART)
    assert dup.get_json()["errors"]["json"]["number"] == ["A part with number MB-5510 already exists."]
    renamed = api.patch(f"/api/v1/parts/{part.id}", staff, json={"number": "mb-5510"})
    assert renamed.status_code == 422
    db.session.refresh(part)
    assert part.number == "MB-9"
    assert api.get("/api/v1/parts/999999", staff).status_code == 404
    assert api.patch("/api/v1/parts/999999", staff, json={"description": "x"}).status_code == 404


def test_the_openapi_document_describes_the_catalogue(client):
    paths = set(client.get("/api/v1/openapi.json").get_json()["paths"])
    assert {"/api/v1/models", "/api/v1/models/{model_id}", "/api/v1/batches", "/api/v1/batches/{batch_id}",
            "/api/v1/parts", "/api/v1/parts/{part_id}"} <= paths
