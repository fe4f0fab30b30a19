"""Production batch pages and their material lists, for internal users."""
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.catalogue.models import Batch, BatchMaterial
from tests.clients.support import field_error


def count_batches(db):
    return db.session.scalar(select(func.count(Batch.id)))


def good(model, **overrides):
    return {**dict(code="B-2401", model_id=str(model.id), produced_on="2024-01-15", quantity="1200"), **overrides}


@pytest.mark.parametrize("role", ("staff", "quality", "finance", "admin"))
def test_internal_roles_read_batches_and_materials(client, make, role):
    board = make.part(category="main_board", number="MB-5510", description="Main board 55 4K")
    batch = make.batch(code="B-2401", materials=[board], quantity=1200)
    client.login(make.user(role=role).email)
    listing = client.get("/catalogue/batches").get_data(as_text=True)
    assert "B-2401" in listing and "MB-5510" in listing and "1,200" in listing
    page = client.get(f"/catalogue/batches/{batch.id}").get_data(as_text=True)
    assert "MB-5510" in page and "Main board 55 4K" in page and "CN¥100.00" in page


@pytest.mark.parametrize("role", ("quality", "finance", "client_admin", "client_user"))
def test_only_staff_and_administrators_change_batches(client, make, role):
    model = make.model()
    batch = make.batch(model=model)
    client.login(make.user(role=role).email)
    assert client.get("/catalogue/batches/new").status_code == 403
    assert client.post("/catalogue/batches/new", data=good(model)).status_code == 403
    assert client.get(f"/catalogue/batches/{batch.id}/edit").status_code == 403
    assert client.post(f"/catalogue/batches/{batch.id}/edit", data=good(model)).status_code == 403
    assert client.post(f"/catalogue/batches/{batch.id}/materials", data={"main_board": "X"}).status_code == 403


def test_readers_see_no_material_form(client, make):
    batch = make.batch(materials=[make.part(category="panel", number="PNL-1")])
    client.login(make.user(role="quality").email)
    page = client.get(f"/catalogue/batches/{batch.id}").get_data(as_text=True)
    assert "PNL-1" in page and 'name="panel"' not in page and "Edit batch" not in page


def test_search_and_filter_by_model_and_part(client, make, small_pages):
    one, two = make.model(code="KTV-55A"), make.model(code="KTV-43B")
    board = make.part(category="main_board")
    make.batch(model=one, code="B-2401", materials=[board], produced_on=date(2024, 1, 1))
    make.batch(model=one, code="B-2402", produced_on=date(2024, 2, 1))
    make.batch(model=two, code="C-2401", materials=[board], produced_on=date(2024, 3, 1))
    client.login(make.user(role="staff").email)

    def codes(query):
        page = client.get("/catalogue/batches?" + query).get_data(as_text=True)
        return {c for c in ("B-2401", "B-2402", "C-2401") if f">{c}</a>" in page}

    assert codes("q=2401") == {"B-2401", "C-2401"}
    assert codes(f"model={one.id}") == {"B-2401", "B-2402"}
    assert codes(f"part={board.id}") == {"B-2401", "C-2401"}
    assert codes("") == {"C-2401", "B-2402"}  # newest first, two a page
    assert codes("page=2") == {"B-2401"}
    assert "No batch matches your search." in client.get("/catalogue/batches?q=zzz").get_data(as_text=True)


def test_the_list_runs_a_fixed_number_of_queries(client, make, count_queries):
    client.login(make.user(role="staff").email)
    parts = [make.part(category="main_board"), make.part(category="panel")]
    make.batch(materials=parts)
    with count_queries() as few:
        client.get("/catalogue/batches")
    for _ in range(6):
        make.batch(model=make.model(), materials=[make.part(category="main_board"), make.part(category="panel")])
    with count_queries() as many:
        client.get("/catalogue/batches")
    assert many[0] == few[0]


def test_a_model_page_shows_its_latest_batches_and_links_to_all(client, make):
    model = make.model()
    for n in range(12):
        make.batch(model=model, code=f"B-{n:02d}", produced_on=date(2024, 1, n + 1))
    client.login(make.user(role="staff").email)
    page = client.get(f"/catalogue/models/{model.id}").get_data(as_text=True)
    assert ">B-11</a>" in page and ">B-00</a>" not in page
    assert f"/catalogue/batches?model={model.id}" in page


def test_a_staff_member_creates_a_batch_then_records_its_materials(client, make, db):
    model = make.model()
    board = make.part(category="main_board", number="MB-5510")
    panel = make.part(category="panel", number="PNL-55")
    client.login(make.user(role="staff").email)
    form = client.get(f"/catalogue/batches/new?model={model.id}").get_data(as_text=True)
    assert f'<option selected value="{model.id}">' in form
    response = client.post("/catalogue/batches/new", data=good(model))
    assert response.status_code == 302
    batch = db.session.scalar(select(Batch).where(Batch.code == "B-2401"))
    assert (batch.model_id, batch.produced_on, batch.quantity) == (model.id, date(2024, 1, 15), 1200)
    saved = client.post(f"/catalogue/batches/{batch.id}/materials",
                        data={"main_board": "mb-5510", "panel": " PNL-55 ", "power_board": ""})
    assert saved.status_code == 302
    db.session.expire_all()
    assert {m.category: m.part_id for m in batch.materials} == {"main_board": board.id, "panel": panel.id}
    page = client.get(f"/catalogue/batches/{batch.id}").get_data(as_text=True)
    assert 'value="MB-5510"' in page and 'value="PNL-55"' in page


def test_materials_can_be_changed_and_cleared(client, make, db):
    old, new = make.part(category="main_board"), make.part(category="main_board")
    panel = make.part(category="panel")
    batch = make.batch(materials=[old, panel])
    client.login(make.user(role="admin").email)
    response = client.post(f"/catalogue/batches/{batch.id}/materials", data={"main_board": new.number, "panel": ""})
    assert response.status_code == 302
    rows = db.session.execute(select(BatchMaterial.category, BatchMaterial.part_id)
                              .where(BatchMaterial.batch_id == batch.id)).all()
    assert rows == [("main_board", new.id)]


@pytest.mark.parametrize("numbers, category, message", [
    ({"main_board": "NO-SUCH"}, "main_board", "No part has the number NO-SUCH."),
    ({"main_board": "PNL-55"}, "main_board", "Part PNL-55 is in the category “Panel”, not “Main board”."),
    ({"remote": "R" * 41}, "remote", "Use at most 40 characters."),
])
def test_bad_material_input_names_the_category_and_changes_nothing(client, make, db, numbers, category, message):
    board = make.part(category="main_board", number="MB-1")
    make.part(category="panel", number="PNL-55")
    batch = make.batch(materials=[board])
    client.login(make.user(role="staff").email)
    data = {"main_board": "MB-1", "power_board": "", "panel": "", "remote": "", "accessory": "", **numbers}
    response = client.post(f"/catalogue/batches/{batch.id}/materials", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert field_error(page, message), page
    assert f'value="{numbers[category]}"' in page  # what was typed is kept
    rows = db.session.execute(select(BatchMaterial.category, BatchMaterial.part_id)
                              .where(BatchMaterial.batch_id == batch.id)).all()
    assert rows == [("main_board", board.id)]


@pytest.mark.parametrize("field, value, message", [
    ("code", "", "Enter the batch code."),
    ("code", "B" * 41, "Use at most 40 characters."),
    ("model_id", "", "Choose a model from the list."),
    ("model_id", "999999", "Choose a model from the list."),
    ("produced_on", "", "Enter the production date."),
    ("produced_on", "yesterday", "Enter a date as YYYY-MM-DD."),
    ("quantity", "", "Enter the quantity produced."),
    ("quantity", "12.5", "Enter a whole number."),
    ("quantity", "0", "Enter a quantity between 1 and 10,000,000."),
])
def test_bad_batch_input_names_the_field_keeps_what_was_typed_and_writes_nothing(client, make, db, field, value,
                                                                                  message):
    model = make.model()
    client.login(make.user(role="staff").email)
    before = count_batches(db)
    response = client.post("/catalogue/batches/new", data=good(model, **{field: value}))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert field_error(page, message), page
    if field != "code":
        assert 'value="B-2401"' in page
    assert count_batches(db) == before


def test_a_duplicate_batch_code_is_refused_clearly(client, make, db):
    model = make.model()
    make.batch(model=model, code="B-2401")
    client.login(make.user(role="staff").email)
    before = count_batches(db)
    response = client.post("/catalogue/batches/new", data=good(model))
    assert field_error(response.get_data(as_text=True), "A batch with code B-2401 already exists.")
    assert count_batches(db) == before


def test_a_staff_member_edits_a_batch(client, make, db):
    one, two = make.model(), make.model()
    batch = make.batch(model=one, code="B-1", quantity=10)
    make.batch(model=one, code="B-2")
    client.login(make.user(role="staff").email)
    assert 'value="B-1"' in client.get(f"/catalogue/batches/{batch.id}/edit").get_data(as_text=True)
    taken = client.post(f"/catalogue/batches/{batch.id}/edit", data=good(two, code="B-2"))
    assert field_error(taken.get_data(as_text=True), "A batch with code B-2 already exists.")
    response = client.post(f"/catalogue/batches/{batch.id}/edit", data=good(two, code="B-1", quantity="20"))
    assert response.status_code == 302
    db.session.refresh(batch)
    assert (batch.model_id, batch.quantity) == (two.id, 20)


def test_an_unknown_batch_is_404(client, make):
    client.login(make.user(role="staff").email)
    assert client.get("/catalogue/batches/999999").status_code == 404
    assert client.get("/catalogue/batches/999999/edit").status_code == 404
    assert client.post("/catalogue/batches/999999/materials", data={}).status_code == 404
