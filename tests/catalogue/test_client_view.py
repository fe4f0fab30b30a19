"""A client user's catalogue: the models it bought, their batches and material lists, read-only;
every other model or batch is 404, on pages and in the API."""
from decimal import Decimal

import pytest


@pytest.fixture
def world(make):
    """Two companies; each bought one model; a third model nobody bought."""
    mine, theirs = make.client(code="MINE"), make.client(code="THEIRS")
    board = make.part(category="main_board", number="MB-MINE", description="Board of my model",
                      cost_price=Decimal("987.65"))
    my_model = make.model(code="MY-55")
    their_model = make.model(code="THEIR-43")
    unsold = make.model(code="UNSOLD-32")
    my_batch = make.batch(model=my_model, code="B-MINE", materials=[board], quantity=4321)
    their_batch = make.batch(model=their_model, code="B-THEIRS")
    unsold_batch = make.batch(model=unsold, code="B-UNSOLD")
    line = lambda model: [dict(model=model, quantity=10, unit_price=Decimal("100.00"))]  # noqa: E731
    make.shipment(client=mine, lines=line(my_model))
    make.shipment(client=theirs, lines=line(their_model))
    return dict(mine=mine, theirs=theirs, my_model=my_model, their_model=their_model, unsold=unsold,
                my_batch=my_batch, their_batch=their_batch, unsold_batch=unsold_batch, board=board)


ROLES = ("client_admin", "client_user")


@pytest.mark.parametrize("role", ROLES)
def test_the_catalogue_lists_only_the_models_bought(client, make, world, role):
    client.login(make.user(role=role, client=world["mine"]).email)
    page = client.get("/catalogue/models").get_data(as_text=True)
    assert "MY-55" in page
    assert "THEIR-43" not in page and "UNSOLD-32" not in page
    assert "New model" not in page
    assert "MY-55" not in client.get("/catalogue/models?q=their").get_data(as_text=True)


@pytest.mark.parametrize("role", ROLES)
def test_a_bought_model_shows_its_batches_and_material_list_without_internal_figures(client, make, world, role):
    client.login(make.user(role=role, client=world["mine"]).email)
    model_page = client.get(f"/catalogue/models/{world['my_model'].id}").get_data(as_text=True)
    assert "B-MINE" in model_page and "MB-MINE" in model_page
    assert "4,321" not in model_page  # production volumes are internal
    batch_page = client.get(f"/catalogue/batches/{world['my_batch'].id}").get_data(as_text=True)
    assert "MB-MINE" in batch_page and "Board of my model" in batch_page
    assert "987.65" not in batch_page and "4,321" not in batch_page  # no cost price, no quantity
    assert 'name="main_board"' not in batch_page  # read-only
    batches = client.get("/catalogue/batches").get_data(as_text=True)
    assert "B-MINE" in batches and "B-THEIRS" not in batches and "B-UNSOLD" not in batches


@pytest.mark.parametrize("role", ROLES)
def test_models_and_batches_not_bought_are_404(client, make, world, role):
    client.login(make.user(role=role, client=world["mine"]).email)
    for model in ("their_model", "unsold"):
        assert client.get(f"/catalogue/models/{world[model].id}").status_code == 404
    for batch in ("their_batch", "unsold_batch"):
        assert client.get(f"/catalogue/batches/{world[batch].id}").status_code == 404
    page = client.get(f"/catalogue/batches?model={world['their_model'].id}").get_data(as_text=True)
    assert "B-THEIRS" not in page


def test_a_client_that_bought_nothing_is_told_so(client, make, world):
    client.login(make.user(role="client_user").email)
    page = client.get("/catalogue/models").get_data(as_text=True)
    assert "No model has been shipped to your company yet." in page


@pytest.mark.parametrize("role", ROLES)
def test_the_api_confines_a_client_user_the_same_way(api, make, world, role):
    user = make.user(role=role, client=world["mine"])
    models = api.get("/api/v1/models", user).get_json()
    assert [m["code"] for m in models] == ["MY-55"]
    assert api.get(f"/api/v1/models/{world['my_model'].id}", user).status_code == 200
    assert api.get(f"/api/v1/models/{world['their_model'].id}", user).status_code == 404
    assert api.get(f"/api/v1/models/{world['unsold'].id}", user).status_code == 404
    batches = api.get("/api/v1/batches", user).get_json()
    assert [b["code"] for b in batches] == ["B-MINE"]
    assert batches[0]["quantity"] is None
    assert batches[0]["materials"] == [{"category": "main_board", "part_id": world["board"].id,
                                        "part_number": "MB-MINE", "description": "Board of my model"}]
    assert api.get(f"/api/v1/batches/{world['their_batch'].id}", user).status_code == 404
    assert api.get(f"/api/v1/batches?model_id={world['their_model'].id}", user).get_json() == []


@pytest.mark.parametrize("role", ROLES)
def test_client_users_cannot_read_parts_or_write_in_the_api(api, make, world, role):
    user = make.user(role=role, client=world["mine"])
    assert api.get("/api/v1/parts", user).status_code == 403
    assert api.get(f"/api/v1/parts/{world['board'].id}", user).status_code == 403
    assert api.post("/api/v1/models", user, json={}).status_code == 403
    assert api.patch(f"/api/v1/models/{world['my_model'].id}", user, json={"name": "x"}).status_code == 403
    assert api.post("/api/v1/batches", user, json={}).status_code == 403
    assert api.patch(f"/api/v1/batches/{world['my_batch'].id}", user, json={"quantity": 1}).status_code == 403
