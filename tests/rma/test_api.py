"""The RMA API: create, list, get with its timeline, diagnose and transitions; tenancy."""
from __future__ import annotations

from sqlalchemy import func, select

from portal.rma.models import Rma

from .conftest import file_rma

BODY = dict(kind="unit", destination="unit_repair", serials=["A-1", "A-2"], fault_description="No sound")


def test_create_list_and_get(api, db, world):
    created = api.post("/api/v1/rma/", world.acme_user, json=BODY)
    assert created.status_code == 201, created.json
    data = created.json
    assert data["status"] == "requested" and [line["serial"] for line in data["lines"]] == ["A-1", "A-2"]
    assert data["lines"][0]["in_warranty"] is True and data["timeline"][0]["to_status"] == "requested"
    assert data["next_actions"] == []
    listed = api.get("/api/v1/rma/", world.acme_user)
    assert [r["number"] for r in listed.json] == [data["number"]]
    assert api.get(f"/api/v1/rma/{data['id']}", world.acme_user).json["number"] == data["number"]


def test_bad_requests_write_nothing(api, db, world):
    before = db.session.scalar(select(func.count(Rma.id)))
    response = api.post("/api/v1/rma/", world.acme_user, json=dict(BODY, serials=["A-1", "O-1", "A-1"]))
    assert response.status_code == 422
    errors = response.json["errors"]["json"]["serials"]
    assert "entry 2: unknown serial number O-1." in errors and "entry 3: A-1 is already on this RMA (entry 1)." in errors
    assert api.post("/api/v1/rma/", world.acme_user, json=dict(BODY, kind="toaster")).status_code == 422
    assert api.post("/api/v1/rma/", world.staff, json=BODY).status_code == 422  # staff must name the client
    assert db.session.scalar(select(func.count(Rma.id))) == before


def test_staff_transitions_and_diagnosis(api, db, world):
    rma = file_rma(world)
    db.session.commit()
    base = f"/api/v1/rma/{rma.id}"
    assert api.post(f"{base}/transitions", world.acme_user, json={"action": "approve"}).status_code == 409
    assert api.post(f"{base}/transitions", world.staff, json={"action": "approve"}).json["status"] == "approved"
    refused = api.post(f"{base}/transitions", world.staff, json={"action": "close"})
    assert refused.status_code == 409 and "cannot be moved" in refused.json["message"]
    shipped = api.post(f"{base}/transitions", world.acme_user, json={"action": "ship", "carrier": "SF", "tracking": "9"})
    assert shipped.json["status"] == "shipped"
    received = api.post(f"{base}/transitions", world.staff, json={"action": "receive", "serials": ["A-1", "A-2"]})
    lines = received.json["lines"]
    for line in lines:
        done = api.post(f"{base}/diagnoses", world.staff, json={
            "line_id": line["id"], "fault_cause": "human_damage", "outcome": "repair",
            "parts": [{"part_number": "MB-100", "quantity": 1}]})
        assert done.status_code == 200, done.json
    assert done.json["status"] == "diagnosed" and done.json["lines"][0]["charge"] == "310.00"
    assert api.post(f"{base}/diagnoses", world.acme_user, json={
        "line_id": lines[0]["id"], "fault_cause": "human_damage", "outcome": "repair"}).status_code == 403
    quoted = api.post(f"{base}/transitions", world.staff, json={"action": "quote"})
    assert quoted.json["quote_total"] == "620.00"
    assert [e["action"] for e in quoted.json["timeline"]] == ["request", "approve", "ship", "receive", "diagnose", "quote"]


def test_tenancy(api, db, world):
    rma = file_rma(world)
    db.session.commit()
    assert api.get(f"/api/v1/rma/{rma.id}", world.other_user).status_code == 404
    assert api.post(f"/api/v1/rma/{rma.id}/transitions", world.other_user, json={"action": "ship"}).status_code == 404
    assert api.get("/api/v1/rma/", world.other_user).json == []
    assert api.get("/api/v1/rma/", None).status_code == 401
