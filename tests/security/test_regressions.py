"""Server errors the API fuzz found (issue 11), each pinned by a test."""
from __future__ import annotations

TOO_BIG = 2**63  # beyond any INTEGER column


def test_an_identifier_beyond_the_database_range_is_a_404(world, signed_in, tokens):
    assert signed_in["admin"].get(f"/claims/{TOO_BIG}").status_code == 404
    response = world.app.test_client().get(f"/api/v1/shipments/{TOO_BIG}/serials",
                                           headers={"Authorization": f"Bearer {tokens['admin']}"})
    assert response.status_code == 404


def test_a_number_beyond_the_database_range_in_a_query_is_a_422(world, tokens):
    response = world.app.test_client().get(f"/api/v1/contracts?client_id={TOO_BIG}",
                                           headers={"Authorization": f"Bearer {tokens['admin']}"})
    assert response.status_code == 422
    assert "out of range" in response.get_data(as_text=True)
    # the session was rolled back: the next request works
    ok = world.app.test_client().get("/api/v1/contracts", headers={"Authorization": f"Bearer {tokens['admin']}"})
    assert ok.status_code == 200


def test_decimal_bounds_are_numbers_in_the_openapi_document(world):
    spec = world.app.test_client().get("/api/v1/openapi.json").json
    bounds = [(name, field, p[key]) for name, schema in spec["components"]["schemas"].items()
              for field, p in schema.get("properties", {}).items() for key in ("minimum", "maximum") if key in p]
    assert bounds
    assert [b for b in bounds if isinstance(b[2], str)] == []
